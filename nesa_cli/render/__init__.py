"""Rendering documents through Jinja templates.

Only this package knows about Jinja. Templates are ``<document>.<format>.j2``;
a data repository may override any of them with a file of the same name in
its own ``templates/`` folder. The environment is sandboxed (templates are
edited by users) and autoescapes HTML, so data such as ``<script>`` or
``{{ 7*7 }}`` is printed literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from nesa_cli.dates import uk_long, uk_text
from nesa_cli.errors import UsageError
from nesa_cli.resources import templates_dir


class RenderError(UsageError):
    """A document could not be rendered (missing template, missing PDF support)."""


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    source: str  # "repository" or "built-in"
    path: Path
    overrides_builtin: bool


def _folders(root: Path | None) -> list[tuple[str, Path]]:
    builtin = templates_dir()
    folders = []
    if root is not None:
        local = (root / "templates").resolve()
        if local.is_dir() and local != builtin.resolve():
            folders.append(("repository", local))
    folders.append(("built-in", builtin))
    return folders


def money(value: Any) -> str:
    """'£1,234.50' from a Decimal (or int/str); negative as '-£12.00'."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def _uk_date(value: Any) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.date()
    return uk_long(value) if value else ""


def _uk_short(value: Any) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return uk_text(value) if value else ""


def _hhmm(value: Any) -> str:
    return value.strftime("%H:%M") if hasattr(value, "strftime") else str(value or "")


def environment(root: Path | None = None):
    """The sandboxed, bounded environment (see :mod:`nesa_cli.render.sandbox`); one per render."""
    from nesa_cli.render.compiled import TemplateCodeCache
    from nesa_cli.render.sandbox import guarded_environment

    return guarded_environment(
        [p for _, p in _folders(root)],
        bytecode_cache=TemplateCodeCache(templates_dir()),
        filters={"money": money, "uk_date": _uk_date, "uk_short": _uk_short, "hhmm": _hhmm},
        autoescape=lambda name: bool(name) and (".html" in name or ".xml" in name or ".svg" in name),
        undefined=_strict(),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _strict():
    from jinja2 import StrictUndefined

    return StrictUndefined


def render(root: Path | None, document: str, fmt: str, context: dict[str, Any]) -> str:
    """Render ``templates/<document>.<fmt>.j2`` (repository copy first)."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    from nesa_cli.render.sandbox import TemplateLimit, TemplateRefused

    name = f"{document}.{fmt}.j2"
    try:
        return environment(root).get_template(name).render(**context)
    except TemplateNotFound as exc:
        if exc.name != name:
            raise RenderError(f"{name}: includes or extends {exc.name!r}, which is not in the repository's templates/ nor built in") from None
        raise RenderError(f"no template {name} (looked in the repository's templates/ and the built-in ones)") from None
    except TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or name}:{exc.lineno}: template error: {exc.message}") from None
    except UndefinedError as exc:
        raise RenderError(f"{name}: template uses something the document does not have: {exc.message}") from None
    except SecurityError as exc:
        raise RenderError(f"{name}: template tried something unsafe and was stopped: {exc}") from None
    except TemplateRefused as exc:
        raise RenderError(f"{name}: {exc}") from None
    except TemplateLimit as exc:
        raise RenderError(f"template {name} is too large or loops: {exc}") from None
    except RecursionError:
        raise RenderError(f"template {name} loops: a macro, include or recursive loop calls itself without end") from None
    except MemoryError:
        raise RenderError(f"template {name} is too large: rendering ran out of memory") from None
    except (ArithmeticError, TypeError, ValueError, LookupError) as exc:
        raise RenderError(f"{name}: template failed: {type(exc).__name__}: {str(exc)[:200]}") from None


def pdf_install_hint() -> str:
    """What to install for PDFs (see :func:`nesa_cli.render.pdf.install_hint`)."""
    from nesa_cli.render.pdf import install_hint

    return install_hint()


def templates_in_force(root: Path | None) -> list[TemplateInfo]:
    """Every template name, with the copy in force (repository beats built-in)."""
    seen: dict[str, TemplateInfo] = {}
    builtin_names = {p.name for p in _template_files(templates_dir())}
    for source, folder in _folders(root):
        for p in _template_files(folder):
            if p.name not in seen:
                seen[p.name] = TemplateInfo(p.name, source, p, source == "repository" and p.name in builtin_names)
    return sorted(seen.values(), key=lambda t: t.name)


def _template_files(folder: Path) -> list[Path]:
    """Jinja templates (``*.j2``) and Typst templates (``*.typ``) in ``folder``."""
    return sorted([*folder.glob("*.j2"), *folder.glob("*.typ")])


def copy_template(root: Path, name: str) -> Path:
    """Copy the built-in template ``name`` into the repository's ``templates/``
    to change it there; refuses to overwrite a copy already made."""
    import shutil

    from nesa_cli.store.paths import safe_path

    import difflib

    builtin = {p.name: p for p in _template_files(templates_dir())}
    if name not in builtin:
        close = difflib.get_close_matches(name, builtin, n=3, cutoff=0.5)
        raise RenderError(f"no built-in template {name!r}" + (f"; did you mean {', '.join(close)}?" if close
                                                              else f"; built in: {', '.join(builtin)}"))
    target_dir = Path(root) / "templates"
    target = target_dir / name
    if target.exists():
        raise RenderError(f"templates/{name} exists already: edit it, or delete it to go back to the built-in one")
    target_dir.mkdir(exist_ok=True)
    shutil.copyfile(builtin[name], safe_path(root, f"templates/{name}"))
    return target
