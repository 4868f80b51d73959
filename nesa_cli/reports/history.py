"""The commits that changed one school, network or policy, field by field."""

from __future__ import annotations

from pathlib import Path

from nesa_cli.changes import field_changes
from nesa_cli.load import load_bytes


def thing_path(root: Path, query: str, model) -> tuple[str, str]:
    """(path, label) for a URN, school name, network id or policy id."""
    from nesa_cli.reports.lookup import find_one

    import re

    q = query.strip()
    if re.fullmatch(r"[0-9]{6}", q):
        return f"data/schools/{q}.yaml", f"school {q}"
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", q):  # an id can never climb out of data/
        if q in model.networks or (root / f"data/networks/{q}.yaml").exists():
            return f"data/networks/{q}.yaml", f"network {q}"
        if q in model.policies or (root / f"data/policies/{q}.yaml").exists():
            return f"data/policies/{q}.yaml", f"policy {q}"
    things = [(f"data/schools/{s.urn}.yaml", str(s.urn), s.name) for s in model.schools.values()]
    things += [(n.path, n.id, n.name) for n in model.networks.values()]
    things += [(p.path, p.id, p.title) for p in model.policies.values()]
    hit = find_one(q, things, lambda t: t[1], lambda t: t[2], "school, network or policy")
    return hit[0], hit[2]


def _data(path: str, raw: bytes | None, privacy=None):
    if raw is None:
        return None
    doc = load_bytes(path, raw)
    if not isinstance(doc.data, dict):
        return {"(unreadable)": path}
    return privacy.mask(doc.data) if privacy is not None else doc.data


def newest_privacy(root: Path, path: str | None, read=None):
    """What the file as it is now (the working tree) marks private; see
    :class:`nesa_cli.privacy.Privacy`. ``read(path, bytes)`` makes its
    document (default: parse it; see nesa_cli.changes.walk.Versions)."""
    from nesa_cli.privacy import Privacy

    full = Path(root, path) if path else None
    if full is None or not full.is_file() or full.is_symlink():
        return Privacy()
    try:
        doc = (read or load_bytes)(path, full.read_bytes())
    except OSError:
        return Privacy()
    return Privacy(doc.data if isinstance(doc.data, dict) else None)


def _labeller(path: str, names):
    from nesa_cli.changes.labels import place, schema_for
    from nesa_cli.kinds import kind_for

    kind = kind_for(path)
    root = schema_for(kind.name if kind else None)
    names = names or (lambda urn: f"URN {urn}")
    return lambda c: place(root, c.steps, names)[0] or c.field


def history(root: Path, path: str, names=None) -> list[dict]:
    """Newest first: commit, date, author, message and the fields it changed.

    A value is hidden when it is private in the revision shown or in the file
    as it is now (so marking a detail private later hides it in all of its history)."""
    from nesa_cli.store.git import file_history

    privacy = newest_privacy(root, path)
    label = _labeller(path, names)
    out = []
    for commit, before, after, old_path, new_path in file_history(root, path):
        changes = field_changes(_data(old_path or path, before, privacy), _data(new_path or path, after, privacy))
        event = "created" if before is None else "deleted" if after is None else "renamed" if old_path != new_path else "changed"
        out.append({
            "commit": commit.hexsha[:10], "date": commit.committed_datetime.date(),
            "author": commit.author.name, "message": commit.message.strip().splitlines()[0] if commit.message.strip() else "",
            "event": event, "path": new_path or old_path,
            "changes": [dict(c.as_dict(), label=label(c)) for c in changes],
        })
    return out


def predecessor_histories(root: Path, path: str, model, names=None, shown=()) -> list[tuple[str, str, list[dict]]]:
    """issue 20, conversions: for a school's file, the history of each predecessor's file (newest
    first), as (the predecessor in words, its path, its entries): the school's history continues
    across its URNs (nesa_cli.succession). Commits in ``shown`` (the school's own entries: git may
    have followed the new file back into the old one as a copy) are left out."""
    import re

    from nesa_cli.succession import chain, formerly

    m = re.fullmatch(r"data/schools/([0-9]{6})\.yaml", path)
    if not m or model is None or int(m.group(1)) not in model.schools:
        return []
    out = []
    school = model.schools[int(m.group(1))]
    for old_urn, _link in chain(model, school.urn):
        old_path = f"data/schools/{old_urn}.yaml"
        said = formerly(model, school) or f"URN {old_urn}"
        seen = {e["commit"] for e in shown}
        older = history(root, old_path, names) if (Path(root) / old_path).is_file() else []
        out.append((said, old_path, [e for e in older if e["commit"] not in seen]))
        school = model.schools.get(old_urn)
        if school is None:
            break
    return out
