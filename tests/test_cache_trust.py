"""What nesa keeps between runs (the cache, the digest's sent-record, the
journal's leftovers) is trusted only when it is whole and of its shape.

- files git does not check (assume-unchanged, skip-worktree) are hashed from
  their bytes, never served stale;
- any byte of any cache file flipped: every answer is a cold run's;
- a cache entry of the wrong shape (with a right checksum) is a miss;
- a sent-record that exists but is not a record stops the send;
- state paths of the wrong type are clear errors, never tracebacks;
- temporary files of a killed journal replay are swept by the next command.
"""

from __future__ import annotations

import json
import marshal
import os
import re
import shutil
import signal
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import PROJECT, edit, git, make_repo
from nesa_cli.cli import app
from nesa_cli.store.cache import CACHE_DIR, ENTRY_TAG, fingerprint

runner = CliRunner()
TODAY = "2026-11-23"


def nesa(root: Path, *args: str, env: dict | None = None):
    return runner.invoke(app, ["-C", str(root), "--today", TODAY, *args], env=env, catch_exceptions=False)


def answers(root: Path, cache: bool = True) -> tuple:
    """What the commands that read through the cache say."""
    env = None if cache else {"NESA_CACHE": "0"}
    out = []
    for args in (["validate"], ["validate", "--format", "json"], ["schools", "list", "--json"], ["networks", "list", "--json"]):
        r = nesa(root, *args, env=env)
        assert r.exit_code in (0, 1) and r.output.strip(), (args, r.output)
        out.append((r.exit_code, r.output))
    return tuple(out)


# --- files git does not check ---------------------------------------------------------


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
@pytest.mark.parametrize("target", ["data/schools/100001.yaml", "data/networks/sencos.yaml", "data/alliance.yaml"])
def test_files_git_does_not_check_are_hashed_not_served_stale(repo, flag, target):
    assert answers(repo) == answers(repo)  # the cache is warm
    git(repo, "update-index", flag, target)
    text = (repo / target).read_text()
    # break the file in a way the schema sees (a field that must be a mapping or a known key)
    (repo / target).write_text(text + "no_such_field_here: 1\n")
    assert "M" not in git(repo, "status", "--porcelain", "--", target)  # git itself no longer sees the change
    warm, cold = answers(repo), answers(repo, cache=False)
    assert warm == cold
    assert warm[0][0] == 1 and "no_such_field_here" in warm[0][1]


# --- damage: flip any byte of any cache file -------------------------------------------


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    """Warm caches in three states, each with a saved copy and the cold
    answers: "as-is" (nothing changed since: the whole-run entry and the
    packs answer), "no-packs" (the same without packs: every file's own entry
    answers) and "edited" (one school's phone changed since: the last run
    and the school's old entry answer, for the incremental check)."""
    top = tmp_path_factory.mktemp("warm")
    out = {}
    for name in ("as-is", "no-packs", "edited"):
        root = make_repo(top / name, PROJECT)
        answers(root)
        answers(root)
        if name == "no-packs":
            for pack in (root / CACHE_DIR).rglob("pack-*"):
                pack.unlink()
        if name == "edited":
            school = sorted((root / "data/schools").glob("*.yaml"))[0].relative_to(root).as_posix()
            text = (root / school).read_text()
            assert "phone: " in text
            (root / school).write_text(text.replace("phone: ", "phone: 01670 999999\n# was: ", 1))
        saved = top / f"{name}-cache"
        shutil.copytree(root / CACHE_DIR, saved)
        cold = answers(root, cache=False)
        files = sorted(p.relative_to(saved).as_posix() for p in saved.rglob("*") if p.is_file() and p.name != ".gitignore")
        out[name] = (root, saved, files, cold)
    return out


SCENARIOS = ["as-is", "no-packs", "edited"]


def _restore(root: Path, saved: Path) -> None:
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    shutil.copytree(saved, root / CACHE_DIR)


def test_the_warm_caches_hold_every_kind_of_entry(warmed):
    names = {Path(f).name for f in warmed["as-is"][2]}
    assert any(n.startswith("pack-") for n in names) and any(n.startswith("run-") for n in names)
    assert {"folder-listings", "last-run-working-tree"} <= names
    assert not any(Path(f).name.startswith("pack-") for f in warmed["no-packs"][2])
    root = warmed["edited"][0]
    _restore(root, warmed["edited"][1])
    from nesa_cli.store import WorkingTree
    from nesa_cli.validate.run import validate

    assert validate(WorkingTree(root))[0].incremental  # the edited state is checked incrementally


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_flipping_any_byte_of_any_cache_file_gives_the_cold_answer(warmed, data):
    root, saved, files, cold = warmed[data.draw(st.sampled_from(SCENARIOS), label="scenario")]
    _restore(root, saved)
    name = data.draw(st.sampled_from(files), label="file")
    path = root / CACHE_DIR / name
    raw = bytearray(path.read_bytes())
    at = data.draw(st.integers(0, len(raw) - 1), label="offset")
    raw[at] ^= data.draw(st.integers(1, 255), label="xor")
    path.write_bytes(bytes(raw))
    assert answers(root) == cold


def _entry(key: str, value) -> bytes:
    body = marshal.dumps((key, False, value))
    return ENTRY_TAG + zlib.crc32(body).to_bytes(4, "little") + body


_SHAPES = st.recursive(
    st.none() | st.integers(-3, 3) | st.text(max_size=3) | st.booleans(),
    lambda inner: st.lists(inner, max_size=3) | st.lists(inner, max_size=7).map(tuple)
    | st.dictionaries(st.sampled_from(["files", "rows", "extra", "count", "x"]), inner, max_size=4),
    max_leaves=12)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_an_entry_of_the_wrong_shape_is_a_miss(warmed, data):
    """A checksum-correct entry (single file, whole run, last run, listings)
    holding any other value: no traceback, the cold answer."""
    root, saved, files, cold = warmed[data.draw(st.sampled_from(SCENARIOS), label="scenario")]
    _restore(root, saved)
    singles = [f for f in files if not Path(f).name.startswith("pack-")]
    runs = [f for f in singles if not re.match(r"[0-9a-f]{40,64}-", Path(f).name)]  # whole-run, last run, listings
    name = data.draw(st.sampled_from(runs) if runs and data.draw(st.booleans(), label="a run entry") else st.sampled_from(singles), label="file")
    shape = data.draw(_SHAPES, label="value")
    key = Path(name).name
    (root / CACHE_DIR / name).write_bytes(_entry(key, shape))
    assert answers(root) == cold


# --- the digest's sent-record -----------------------------------------------------------

from test_digest import add_recipients, smtp, smtp_env, week  # noqa: E402,F401  (smtp, week: fixtures)


_NOT_RECORDS = st.recursive(st.none() | st.integers() | st.text(max_size=4) | st.booleans(),
                            lambda inner: st.lists(inner, max_size=3), max_leaves=6) | st.dictionaries(
    st.text(max_size=5), st.none() | st.integers() | st.lists(st.integers(), max_size=2) | st.text(max_size=3)
    | st.fixed_dictionaries({"status": st.integers() | st.none()}), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None)
@given(value=_NOT_RECORDS)
def test_a_sent_record_that_is_not_a_record_raises(tmp_path_factory, value):
    from nesa_cli.digest.send import SendError, sent_record

    root = tmp_path_factory.mktemp("rec")
    (root / ".nesa-state").mkdir()
    path = root / ".nesa-state" / "digest-sent.json"
    path.write_text(json.dumps(value))
    with pytest.raises(SendError, match="digest-sent.json"):
        sent_record(root)


@pytest.mark.parametrize("content", ["[]", "null", "", "{", '"sent"', "0", '{"2025-W47:x": 3}', "\x00\xff"])
def test_a_damaged_sent_record_stops_the_send(week, smtp, content):  # noqa: F811 - fixtures
    add_recipients(week)
    handler, port = smtp()
    state = week / ".nesa-state"
    state.mkdir()
    (state / "digest-sent.json").write_text(content, encoding="latin-1")
    r = runner.invoke(app, ["-C", str(week), "--today", "2025-11-21", "digest", "--send"], env=smtp_env(port), catch_exceptions=False)
    assert r.exit_code in (1, 2), r.output
    assert "digest-sent.json" in r.output and "refusing to send" in r.output and "delete it" in r.output, r.output
    assert handler.envelopes == []


# --- state paths of the wrong type -------------------------------------------------------


EDIT = ["networks", "set", "sencos", "frequency=termly"]


@pytest.mark.parametrize("place,make,args", [
    (".nesa-state", "file", EDIT),  # a journal would go in it: an edit of one file does not need it...
    (".nesa-state", "file", ["membership", "withdraw", "100002", "--date", "2026-01-05", "--reason", "x"]),
    (".nesa-state/edit-journal.json", "folder", EDIT),
    (".nesa-lock", "folder", EDIT),
    (".nesa-lock", "folder", ["invoices", "issue", "2025-26"]),
])
def test_state_paths_of_the_wrong_type_are_clear_errors(repo, place, make, args):
    path = repo / place
    path.parent.mkdir(parents=True, exist_ok=True)
    if make == "file":
        path.write_text("not a folder\n")
    else:
        path.mkdir()
    r = nesa(repo, *args)
    if r.exit_code == 0:  # the command had no need of that place
        assert args == EDIT and place == ".nesa-state", r.output
        return
    assert r.exit_code == 2, r.output
    assert place in r.output and ("where nesa keeps" in r.output), r.output
    v = nesa(repo, "validate")
    assert v.exit_code in (0, 1), v.output


def test_digest_state_of_the_wrong_type(week, smtp):  # noqa: F811 - fixtures
    add_recipients(week)
    handler, port = smtp()
    for place, make in ((".nesa-state", "file"), (".nesa-state/digest-sent.json", "folder"), (".nesa-state/digest.lock", "folder")):
        shutil.rmtree(week / ".nesa-state", ignore_errors=True)
        if (week / ".nesa-state").is_file():
            (week / ".nesa-state").unlink()
        path = week / place
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x") if make == "file" else path.mkdir()
        r = runner.invoke(app, ["-C", str(week), "--today", "2025-11-21", "digest", "--send"], env=smtp_env(port), catch_exceptions=False)
        assert r.exit_code == 2 and place in r.output and "where nesa keeps" in r.output, (place, r.output)
        assert handler.envelopes == []
        if path.is_file():
            path.unlink()


def test_a_cache_folder_that_is_a_file_turns_the_cache_off(repo):
    cold = answers(repo, cache=False)
    (repo / CACHE_DIR).write_text("not a folder")
    assert answers(repo) == cold


# --- a killed journal replay -------------------------------------------------------------


def test_temporary_files_of_a_killed_replay_are_swept_by_the_next_command(repo):
    """A journal for two files; the command that replays it is killed inside
    its first write (the temporary file written, not yet renamed). The next
    command replays it again and leaves no temporary file anywhere."""
    import base64

    from nesa_cli.store.journal import JOURNAL

    school, network = "data/schools/100002.yaml", "data/networks/sencos.yaml"
    new = {school: (repo / school).read_bytes().replace(b"name:", b"# replayed\nname:", 1),
           network: (repo / network).read_bytes() + b"# replayed\n"}
    (repo / ".nesa-state").mkdir()
    payload = {"version": 1, "files": {p: base64.b64encode(b).decode() for p, b in new.items()}}
    (repo / JOURNAL).write_text(json.dumps(payload))
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            real = os.replace

            def dying_replace(src, dst, *a, **k):
                if "/data/" in str(dst):
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(src, dst, *a, **k)

            os.replace = dying_replace
            from nesa_cli.store.journal import recover

            recover(repo)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == -signal.SIGKILL
    left = [p for p in (repo / "data").rglob(".*.tmp")]
    assert left, "the kill should have left a temporary file"
    r = nesa(repo, "validate")
    assert r.exit_code == 0, r.output
    assert [p for p in repo.rglob(".*.tmp")] == []
    assert not (repo / JOURNAL).exists()
    assert all((repo / p).read_bytes() == b for p, b in new.items())
