"""Change reports as plain text (a terminal, an email's text part) or as
Markdown (a pull request's job summary): Markdown only when writing Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from nesa_cli.changes.describe import Change
from nesa_cli.changes.summarise import Line, area_title


@dataclass(frozen=True)
class Links:
    """Where a file of the data can be seen on the web (from ``links:`` in
    data/alliance.yaml): ``{repository}/blob/{branch}/{path}`` by default."""

    repository: str | None = None
    branch: str = "main"
    file: str = "{repository}/blob/{branch}/{path}"
    folder: str = "{repository}/tree/{branch}/{path}"

    def url(self, path: str | None) -> str | None:
        if not self.repository or not path:
            return None
        pattern = self.file if path.endswith((".yaml", ".yml")) else self.folder
        from urllib.parse import quote

        return pattern.format(repository=self.repository.rstrip("/"), branch=quote(self.branch), path=quote(path))

    @classmethod
    def of(cls, alliance) -> "Links":
        links = getattr(alliance, "links", None) or {}
        if not links.get("repository"):
            return cls()
        return cls(links["repository"], links.get("branch") or "main",
                   links.get("file_url") or cls.file, links.get("folder_url") or cls.folder)


def _lines(changes) -> list[Line]:
    return [c if isinstance(c, Line) else Line(c.area, c.text, c.path, [c.author] if c.author else []) for c in changes]


def by_area(lines: list[Line]) -> dict[str, list[Line]]:
    out: dict[str, list[Line]] = {}
    for line in lines:
        out.setdefault(line.area, []).append(line)
    return out


def text(changes: list[Change] | list[Line], title: str) -> str:
    """Plain text: no escapes, no markup."""
    from nesa_cli.safetext import visible_lines

    lines = [title, ""]
    if not changes:
        lines.append("No changes to the alliance data.")
    for area, items in by_area(_lines(changes)).items():
        lines += [area_title(area), ""]
        for c in items:
            who = f" ({c.author})" if c.author else ""
            lines.append(f"  - {c.text}{who}")
        lines.append("")
    return visible_lines("\n".join(lines).rstrip() + "\n")


def markdown(changes: list[Change] | list[Line], title: str, links: Links | None = None) -> str:
    """The changes as Markdown, grouped by area (for a pull request summary)."""
    links = links or Links()
    lines = [f"## {_md(title)}", ""]
    if not changes:
        lines.append("No changes to the alliance data.")
    for area, items in by_area(_lines(changes)).items():
        lines += [f"### {area_title(area)}", ""]
        for c in items:
            who = f" ({_md(c.author)})" if c.author else ""
            url = links.url(c.path)
            body = f"[{_md(c.text)}](<{url}>)" if url else _md(c.text)
            lines.append(f"- {body}{who}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    """Data is data: escape what Markdown (and GitHub's HTML) would act on."""
    for ch in "\\`*_[]<|":
        text = text.replace(ch, "\\" + ch)
    return text
