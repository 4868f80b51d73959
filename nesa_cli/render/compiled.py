"""Compiled templates, kept so that a template is compiled once, not per render.

Compiling a template (Jinja's lexer, parser, the sandbox's guard and code
generator) costs 20 to 40 ms for the digest's; running it under 1 ms. So:

* within a process, each template is compiled once (a digest renders its text
  twice and a message per school);
* a **built-in** template's code is also kept across runs, in the package's
  own ``__pycache__`` (where Python keeps the package's compiled modules: no
  one can write there who could not change the code itself). A template from
  a data repository's ``templates/`` is never kept on disk: a planted file in
  the repository must not become code that runs.

An entry is used only for the same source (its SHA-256), the same Jinja and
Python, and the same sandbox (the hash of the modules that set the
environment up and guard it): a change to any of these compiles afresh.
Entries are written atomically; one that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path

_MEMORY: dict[str, tuple[str, object]] = {}  # key -> (source hash, code)
_HERE = Path(__file__).resolve().parent
_MAGIC = b"nesa-template-code 1\n"


@lru_cache(maxsize=None)
def fingerprint() -> str:
    """What compiled code depends on besides the template's own source."""
    import jinja2

    h = hashlib.sha256(f"{jinja2.__version__}|{sys.version_info[:2]}|{sys.implementation.cache_tag}".encode())
    for module in ("sandbox.py", "__init__.py", "compiled.py"):
        try:
            h.update((_HERE / module).read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()


def cache_folder() -> Path:
    return _HERE / "__pycache__" / "templates"


class Bucket:
    """What Jinja's loader asks a bytecode cache for: ``code`` (None: compile)."""

    def __init__(self, key: str, checksum: str, keep: bool):
        self.key, self.checksum, self.code = key, checksum, None
        self.nesa_keep = keep


class TemplateCodeCache:
    """Jinja's bytecode-cache hooks (``get_bucket``, ``set_bucket``; its own
    BytecodeCache would import pickle): memory always, disk for built-in templates."""

    def __init__(self, builtin: Path, folder: Path | None = None):
        self.builtin = Path(builtin).resolve()
        self.folder = folder if folder is not None else cache_folder()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{fingerprint()}|{name}|{filename}".encode()).hexdigest()

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha256(source.encode("utf-8")).hexdigest()

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        bucket = Bucket(self.get_cache_key(name, filename), self.get_source_checksum(source), self._builtin(filename))
        self.load_bytecode(bucket)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        self.dump_bytecode(bucket)

    def _builtin(self, filename: str | None) -> bool:
        if not filename:
            return False
        try:
            return self.builtin in Path(filename).parents
        except (TypeError, ValueError):
            return False

    def load_bytecode(self, bucket: Bucket) -> None:
        hit = _MEMORY.get(bucket.key)
        if hit is not None and hit[0] == bucket.checksum:
            bucket.code = hit[1]
            return
        if not bucket.nesa_keep:
            return
        try:
            data = (self.folder / f"{bucket.key}.code").read_bytes()
        except OSError:
            return
        head = _MAGIC + bucket.checksum.encode("ascii") + b"\n"
        if not data.startswith(head):
            return
        try:
            code = marshal.loads(data[len(head):])
        except (EOFError, ValueError, TypeError):
            return
        if type(code).__name__ == "code":
            bucket.code = code
            _MEMORY[bucket.key] = (bucket.checksum, code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        _MEMORY[bucket.key] = (bucket.checksum, bucket.code)
        if bucket.nesa_keep and not sys.dont_write_bytecode:  # PYTHONDONTWRITEBYTECODE: Python's own rule for __pycache__
            self.write(bucket)

    def write(self, bucket: Bucket) -> None:
        path = self.folder / f"{bucket.key}.code"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(_MAGIC + bucket.checksum.encode("ascii") + b"\n" + marshal.dumps(bucket.code))
            os.replace(tmp, path)
        except OSError:  # a read-only install: compile each run, as before
            try:
                tmp.unlink()
            except OSError:
                pass


def precompile() -> list[str]:
    """Compile every built-in template into the cache now (as ``compileall``
    does for modules; it writes even under PYTHONDONTWRITEBYTECODE, being
    asked to). Returns the names; a template that does not compile is skipped
    (rendering it reports the error)."""
    from nesa_cli.render import environment
    from nesa_cli.resources import templates_dir

    env = environment(None)
    cache = env.bytecode_cache
    done = []
    for path in sorted(templates_dir().glob("*.j2")):
        source, filename, _ = env.loader.get_source(env, path.name)
        bucket = cache.get_bucket(env, path.name, filename, source)
        if bucket.code is None:
            try:
                bucket.code = env.compile(source, path.name, filename)
            except Exception:  # noqa: BLE001 - a broken template is reported when it is rendered
                continue
            _MEMORY[bucket.key] = (bucket.checksum, bucket.code)
        cache.write(bucket)
        done.append(path.name)
    return done
