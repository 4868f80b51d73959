"""PDF documents through Typst: tagged, PDF/UA-1, no system libraries.

A PDF is made from the same document data the HTML and Markdown templates
get, handed to a Typst template (``templates/<document>.typ``, a repository
copy first) as JSON in ``sys.inputs``. Data never becomes Typst markup: a
string from the data is always text in the PDF, whatever characters it holds,
so there is nothing to escape and nothing to inject.

What a template can reach is fenced in (template overrides are written by
anyone who can open a pull request, and PDFs are made on machines whose
environment holds secrets):

* Typst's project root is a fresh temporary folder holding only the Typst
  templates (built-in, then the repository's), the image files in the
  repository's ``templates/`` and the alliance's logo - each let through
  :class:`nesa_cli.render.fetch.Gate` (inside the repository, not hidden,
  an image, a regular file, at most 10 MiB). ``read()``, ``image()`` and
  ``json()`` see nothing else: not the repository's data, not ``/etc``.
* Typst packages (``@preview/...``) are refused before compiling, and while
  Typst runs its package folders are empty and every proxy variable points
  at a closed port, so no package is ever downloaded.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

from nesa_cli.dates import uk_long, uk_text
from nesa_cli.errors import UsageError
from nesa_cli.resources import templates_dir

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
_STAGED = frozenset(IMAGE_SUFFIXES + (".typ",))
# A package import names a package spec as a string: "@namespace/name:version".
_PACKAGE = re.compile(r"""["']@[A-Za-z0-9_.-]+/""")
_PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
_NO_PROXY_VARS = ("NO_PROXY", "no_proxy")
CLOSED_PORT = "http://127.0.0.1:1"
# The body font, then what Windows, macOS and other Linux systems have; last,
# a font Typst carries itself, so there is always one.
FONTS = ("DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Libertinus Serif")


class PdfError(UsageError):
    """A PDF could not be made (no Typst, a template error, a refused package)."""


def install_hint() -> str:
    from nesa_cli.install_source import running, with_pdf

    source = running()
    how = f"python -m pip install '{with_pdf(source)}'" if source else "python -m pip install 'typst>=0.14'"
    return f"PDF output needs Typst (one wheel, no system libraries): {how}"


def plain(value: Any) -> Any:
    """The document data as JSON values, dates in the one UK style documents use
    ('9 December 2026'; a date-time '9 December 2026, 13:30'), money and other
    decimals as their digits (templates format money with ``money()``)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return f"{uk_text(value.date())}, {value:%H:%M}"
    if isinstance(value, date):
        return uk_text(value)
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return {k: plain(getattr(value, k)) for k in value.__dataclass_fields__}
    return str(value)


def long_date(value: date | str | None) -> str:
    """'Wednesday 9 December 2026' (a meeting's own date in a heading)."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return uk_long(value) if value else ""


def template_path(root: Path | None, document: str) -> tuple[Path, str]:
    """(file, "repository" | "built-in") of ``<document>.typ``."""
    name = f"{document}.typ"
    if root is not None:
        local = Path(root) / "templates" / name
        if local.is_file():
            return local, "repository"
    builtin = templates_dir() / name
    if builtin.is_file():
        return builtin, "built-in"
    raise PdfError(f"no template {name} (looked in the repository's templates/ and the built-in ones)")


@contextlib.contextmanager
def _no_network() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in _PROXY_VARS + _NO_PROXY_VARS}
    try:
        for k in _PROXY_VARS:
            os.environ[k] = CLOSED_PORT
        for k in _NO_PROXY_VARS:
            os.environ.pop(k, None)
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _stage(root: Path | None, folder: Path, logo: str | None, on_refused) -> str | None:
    """Copy into ``folder`` what a template may use; the logo's name there (or None)."""
    from nesa_cli.render.fetch import Gate, Refused

    for p in sorted(templates_dir().glob("*.typ")):
        shutil.copyfile(p, folder / p.name)
    if root is None:
        return None
    gate = Gate(root, on_refused)
    local = Path(root) / "templates"
    if local.is_dir() and local.resolve() != templates_dir().resolve():
        for p in sorted(local.iterdir()):
            suffix = p.suffix.lower()
            if suffix != ".typ" and suffix not in IMAGE_SUFFIXES:
                continue
            try:
                content, _ = gate.read(p.absolute().as_uri(), _STAGED)
            except Refused:
                continue
            (folder / p.name).write_bytes(content)
    if not logo:
        return None
    source = Path(root) / logo
    if source.suffix.lower() not in IMAGE_SUFFIXES:
        gate.refuse(logo, "the logo is not an image (png, jpg, gif, svg or webp)")
        return None
    try:
        content, _ = gate.read(source.absolute().as_uri())
    except Refused:
        return None
    name = "nesa-logo" + source.suffix.lower()
    (folder / name).write_bytes(content)
    return name


def _check_packages(folder: Path) -> None:
    for p in sorted(folder.glob("*.typ")):
        text = p.read_text(encoding="utf-8", errors="replace")
        m = _PACKAGE.search(text)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            raise PdfError(f"templates/{p.name}:{line}: Typst packages ({m.group(0)[1:]}...) are not allowed in nesa templates: "
                           "a PDF is made from the repository's own files only")


def to_pdf(root: Path | None, document: str, data: dict[str, Any], *, brand: dict[str, Any] | None = None,
           today: date | None = None, on_refused: Callable[[str, str], None] | None = None) -> bytes:
    """PDF/UA-1 bytes of ``document`` (``templates/<document>.typ``) for ``data``."""
    import json

    try:
        import typst
    except ImportError:
        raise PdfError(install_hint()) from None
    path, _ = template_path(root, document)
    brand = dict(brand or {})
    with tempfile.TemporaryDirectory(prefix="nesa-pdf-") as tmp:
        folder = Path(tmp)
        main = path.name
        logo = _stage(root, folder, brand.pop("logo", None), on_refused)
        if not (folder / main).is_file() or (folder / main).read_bytes() != path.read_bytes():
            raise PdfError(f"templates/{main}: refused (it must be a regular file inside the repository, not a link out of it)")
        _check_packages(folder)
        if logo:
            brand["logo"] = logo
        (folder / "packages").mkdir()
        payload = json.dumps({"doc": plain(data), "brand": plain(brand), "fonts": list(FONTS)}, ensure_ascii=False)
        stamp = None
        if today is not None:
            stamp = int(datetime(today.year, today.month, today.day, 12, 0, tzinfo=timezone.utc).timestamp())
        try:
            with _no_network():
                return typst.compile(str(folder / main), root=str(folder), sys_inputs={"nesa": payload},
                                     pdf_standards=["ua-1"], package_path=str(folder / "packages"),
                                     package_cache_path=str(folder / "packages"), timestamp=stamp)
        except typst.TypstError as exc:
            raise PdfError(_message(exc, folder, main, path)) from None


def _message(exc, folder: Path, main: str, path: Path) -> str:
    """Typst's first diagnostic as ``templates/<file>:line:col: message``, with
    the temporary folder Typst worked in left out of it."""
    text = (getattr(exc, "diagnostic", None) or str(exc)).strip()
    lines = text.splitlines()
    # the first error, not a warning printed before it (an unknown fallback font)
    first = next((x for x in lines if x.startswith("error:")), lines[0] if lines else "Typst failed")
    text = text[text.find(first):] if first in text else text
    where = re.search(r"┌─ (.+?):(\d+):(\d+)", text)
    first = first.removeprefix("error: ").replace("file:" + str(folder), "file:").replace(str(folder), "")
    place = f"templates/{Path(where.group(1)).name}:{where.group(2)}:{where.group(3)}" if where else f"templates/{main}"
    return f"{place}: {first}"
