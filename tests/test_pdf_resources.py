"""A PDF contains nothing from outside the data repository (hardening class 2).

Hostile template overrides in the data repository's templates/ name resources
in every way HTML, CSS and SVG can (an attachment link, an image, a CSS
url(), @import, an object, an iframe, an SVG image), each pointing at a file
outside the repository (file://, a relative ../ path, an absolute path, a
symbolic link), at /proc/self/environ and /etc/passwd, at files in the
repository the document has no business with (.git/config, the data), and at
a local HTTP server. The PDF is taken apart with pypdf (every stream
decompressed, attachments, images, text) and must hold none of it; the server
must see no request; each refused URL is named once on stderr.
"""

from __future__ import annotations

import base64
import http.server
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nesa_cli.cli import app
from nesa_cli.resources import templates_dir

pytestmark = pytest.mark.slow  # many PDFs or real processes: in CI and the full run, not the fast one

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

OUTSIDE_MARK = "OUTSIDE-7f3a9c-MARK"
ENV_MARK = "ENVSECRET-51b2e8-MARK"
DOCS = {
    "agenda": ("agenda.html.j2", ["agenda", "2026-12-09-strategic-board", "--format", "pdf"]),
    "contacts": ("contacts.html.j2", ["contacts", "--format", "pdf"]),
    "invoice": ("invoice.html.j2", ["invoices", "render", "NESA-2025-0001", "--format", "pdf"]),
}
# How a document can name a resource: (where in the page, markup with {u} for the URL)
WAYS = {
    "link-attachment": ("head", '<link rel="attachment" href="{u}">'),
    "a-attachment": ("body", '<a rel="attachment" href="{u}">x</a>'),
    "img": ("body", '<img src="{u}" alt="">'),
    "css-url": ("head", '<style>p {{ background-image: url("{u}") }}</style>'),
    "css-import": ("head", '<style>@import url("{u}");</style>'),
    "stylesheet": ("head", '<link rel="stylesheet" href="{u}">'),
    "font-face": ("head", '<style>@font-face {{ font-family: X; src: url("{u}") }} h1 {{ font-family: X }}</style>'),
    "object": ("body", '<object data="{u}" type="image/png"></object><embed src="{u}">'),
    "iframe": ("body", '<iframe src="{u}"></iframe>'),
    "svg-image": ("body", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
                          '<image href="{u}" width="10" height="10"/><image xlink:href="{u}" width="10" height="10"/></svg>'),
}


class _Hits(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Hits.hits.append(self.path)
        body = f'h1::after {{ content: "{OUTSIDE_MARK}" }}'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hits)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The sample alliance, with a secret file next to it (outside) and a link
    inside the repository that leads to it."""
    from tests.conftest import PROJECT, make_repo

    base = tmp_path_factory.mktemp("pdf")
    root = make_repo(base / "sample", PROJECT)
    outside = base / "outside"
    outside.mkdir()
    css = f'h1::after {{ content: "{OUTSIDE_MARK}" }} /* {OUTSIDE_MARK} */\n'
    for name in ("secret.css", "secret.png", "secret.svg", "secret.txt"):
        (outside / name).write_text(css, encoding="utf-8")
    (root / "assets").mkdir()
    os.symlink(outside / "secret.css", root / "assets" / "escape.css")
    os.symlink(outside, root / "assets" / "out")
    (root / "templates").mkdir()
    return root, outside


def _targets(root: Path, outside: Path, port: int) -> list[str]:
    rel = os.path.relpath(outside, root)
    return [
        (outside / "secret.css").as_uri(),
        f"{rel}/secret.css",
        f"{rel}/secret.png",
        str(outside / "secret.svg"),
        "file:///proc/self/environ",
        "file:///etc/passwd",
        "/etc/passwd",
        f"http://127.0.0.1:{port}/secret.css",
        f"https://127.0.0.1:{port}/secret.css",
        "assets/escape.css",
        "assets/out/secret.png",
        ".git/config",
        "data/alliance.yaml",
        "file://localhost/etc/passwd",
        "file:///etc/%70asswd",
    ]


def _override(root: Path, template: str, way: str, urls: list[str]) -> None:
    where, markup = WAYS[way]
    text = (templates_dir() / template).read_text(encoding="utf-8")
    block = "".join(markup.format(u=u) for u in urls)
    if where == "head":
        text = text.replace("</head>", block + "</head>", 1)
    else:
        text = text.replace("<body>", "<body>" + block, 1)
    (root / "templates" / template).write_text(text, encoding="utf-8")


def pdf_contents(data: bytes) -> str:
    """Everything in a PDF as text: every stream decompressed, attachments, images, page text."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    parts = [data.decode("latin-1")]
    for num in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(num)
        except Exception:  # noqa: BLE001 - a free entry
            continue
        if isinstance(obj, pypdf.generic.StreamObject):
            try:
                parts.append(obj.get_data().decode("latin-1"))
            except Exception:  # noqa: BLE001 - an image codec pypdf cannot undo
                parts.append(obj._data.decode("latin-1"))
    for name, contents in reader.attachments.items():
        parts.append(name)
        parts += [c.decode("latin-1") for c in contents]
    for page in reader.pages:
        parts.append(page.extract_text() or "")
        parts += [img.data.decode("latin-1") for img in page.images]
    return "\n".join(parts)


def _environ_lines() -> list[str]:
    raw = Path("/proc/self/environ").read_bytes().decode("utf-8", "replace")
    return [e for e in raw.split("\0") if len(e) > 12 and "=" in e][:5]


def _assert_clean(text: str) -> None:
    assert OUTSIDE_MARK not in text
    assert "root:x:0:0" not in text and "root:*:0:0" not in text
    for line in _environ_lines():
        assert line not in text
    assert "[core]" not in text  # .git/config
    assert "kind: alliance" not in text and "short_name" not in text  # the data itself


@pytest.mark.parametrize("doc", sorted(DOCS))
@pytest.mark.parametrize("way", sorted(WAYS))
def test_hostile_override_embeds_nothing(hostile, server, tmp_path, doc, way):
    root, outside = hostile
    template, args = DOCS[doc]
    urls = _targets(root, outside, server)
    for old in (root / "templates").iterdir():
        old.unlink()
    _override(root, template, way, urls)
    _Hits.hits.clear()
    out = tmp_path / "doc.pdf"
    if doc == "invoice":
        out = tmp_path / "inv"
    r = CliRunner().invoke(app, ["-C", str(root), "--today", "2026-11-23", *args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    pdf = (out / "NESA-2025-0001.pdf") if doc == "invoice" else out
    _assert_clean(pdf_contents(pdf.read_bytes()))
    assert _Hits.hits == []
    warned = [line for line in r.stderr.splitlines() if "left out of the PDF" in line]
    if way != "iframe":  # WeasyPrint does not load iframes at all
        assert warned, r.stderr
    assert len(warned) == len(set(warned))  # once per URL
    assert OUTSIDE_MARK not in r.output


def test_environment_secret_not_embedded(hostile, tmp_path):
    """The SMTP password in the environment of a real process stays out of the PDF."""
    root, _ = hostile
    for old in (root / "templates").iterdir():
        old.unlink()
    _override(root, "agenda.html.j2", "link-attachment", ["file:///proc/self/environ", "/proc/self/environ"])
    out = tmp_path / "a.pdf"
    env = dict(os.environ, NESA_SMTP_PASSWORD=ENV_MARK)
    r = subprocess.run([sys.executable, "-m", "nesa_cli", "-C", str(root), "--today", "2026-11-23", "agenda",
                        "2026-12-09-strategic-board", "--format", "pdf", "-o", str(out)],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    text = pdf_contents(out.read_bytes())
    assert ENV_MARK not in text and base64.b64encode(ENV_MARK.encode()).decode() not in text
    assert ENV_MARK not in r.stderr + r.stdout
    assert r.stderr.count("/proc/self/environ") == 1  # both spellings are one URL, named once


def test_repository_logo_still_embedded(hostile, tmp_path):
    """An image inside the repository, named relatively, is kept (and a bundled one too)."""
    root, _ = hostile
    for old in (root / "templates").iterdir():
        old.unlink()
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==")
    (root / "assets" / "logo.png").write_bytes(png)
    (root / "templates" / "logo2.png").write_bytes(png)
    _override(root, "agenda.html.j2", "img", ["assets/logo.png", "templates/logo2.png", "data:image/png;base64," + base64.b64encode(png).decode()])
    out = tmp_path / "a.pdf"
    r = CliRunner().invoke(app, ["-C", str(root), "--today", "2026-11-23", "agenda", "2026-12-09-strategic-board",
                                 "--format", "pdf", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "left out" not in r.stderr
    reader = pypdf.PdfReader(str(out))
    assert sum(len(p.images) for p in reader.pages) >= 1


@pytest.mark.parametrize("name", ["/etc/passwd", "../../etc/passwd", "../outside/secret.txt", "./../x", "..", "a\\..\\b", ".hidden"])
@pytest.mark.parametrize("tag", ["include", "extends", "import"])
def test_include_outside_templates_refused(hostile, tmp_path, name, tag):
    root, _ = hostile
    for old in (root / "templates").iterdir():
        old.unlink()
    stmt = {"include": "{% include NAME %}", "extends": "{% extends NAME %}", "import": "{% import NAME as m %}"}[tag]
    (root / "templates" / "agenda.md.j2").write_text(stmt.replace("NAME", repr(name)) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["-C", str(root), "--today", "2026-11-23", "agenda", "2026-12-09-strategic-board"])
    assert r.exit_code == 2, r.output
    assert "not allowed" in r.stderr and "no template agenda.md.j2" not in r.stderr
    assert "root:" not in r.output and OUTSIDE_MARK not in r.output


def test_template_link_out_of_templates_refused(hostile):
    root, outside = hostile
    for old in (root / "templates").iterdir():
        old.unlink()
    os.symlink(outside / "secret.txt", root / "templates" / "agenda.md.j2")
    r = CliRunner().invoke(app, ["-C", str(root), "--today", "2026-11-23", "agenda", "2026-12-09-strategic-board"])
    assert r.exit_code == 2, r.output
    assert "leads outside" in r.stderr and OUTSIDE_MARK not in r.output
