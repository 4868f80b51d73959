"""A PDF contains nothing from outside the data repository (hardening class 2).

PDFs are made by Typst from ``templates/<document>.typ``. Hostile template
overrides in the data repository's templates/ name files in every way Typst
can read one (``read``, ``image``, ``json``, ``yaml``, ``csv``, ``include``,
``import``), each pointing at a file outside the repository (an absolute
path, a relative ../ path, a symbolic link inside the repository that leads
out), at /proc/self/environ and /etc/passwd, at files in the repository the
document has no business with (.git/config, the data), and at Typst packages,
which Typst would download. The command must either refuse (exit 2, a
message naming the template) or make a PDF holding none of it; the PDF is
taken apart with pypdf (every stream decompressed, attachments, images, text);
a local proxy must see no request.
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

pytest.importorskip("typst")
pypdf = pytest.importorskip("pypdf")

OUTSIDE_MARK = "OUTSIDE-7f3a9c-MARK"
ENV_MARK = "ENVSECRET-51b2e8-MARK"
DOCS = {
    "agenda": ("agenda.typ", ["agenda", "2026-12-09-strategic-board", "--format", "pdf"]),
    "contacts": ("contacts.typ", ["contacts", "--format", "pdf"]),
    "invoice": ("invoice.typ", ["invoices", "render", "NESA-2025-0001", "--format", "pdf"]),
}
# How a Typst template can name a file: markup with {u} for the path (as a Typst string).
WAYS = {
    "read": "#read({u})",
    "image": "#image({u}, alt: \"x\")",
    "json": "#json({u})",
    "yaml": "#yaml({u})",
    "csv": "#csv({u})",
    "include": "#include {u}",
    "import": "#import {u}: *",
    "bytes": "#str(read({u}, encoding: none).len())",
}


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


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


def _override(root: Path, template: str, way: str, target: str) -> None:
    """The built-in template with one hostile line added after its imports."""
    text = (templates_dir() / template).read_text(encoding="utf-8")
    line = WAYS[way].format(u=_typst_string(target))
    text = text.replace('#import "nesa.typ": *\n', '#import "nesa.typ": *\n' + line + "\n", 1)
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


def _run(root: Path, tmp_path: Path, doc: str):
    _template, args = DOCS[doc]
    out = tmp_path / ("inv" if doc == "invoice" else "doc.pdf")
    r = CliRunner().invoke(app, ["-C", str(root), "--today", "2026-11-23", *args, "-o", str(out)])
    pdf = (out / "NESA-2025-0001.pdf") if doc == "invoice" else out
    return r, pdf


@pytest.mark.parametrize("doc", sorted(DOCS))
@pytest.mark.parametrize("way", sorted(WAYS))
def test_hostile_override_embeds_nothing(hostile, server, tmp_path, doc, way):
    root, outside = hostile
    template, _ = DOCS[doc]
    for target in _targets(root, outside, server):
        for old in (root / "templates").iterdir():
            old.unlink()
        _override(root, template, way, target)
        r, pdf = _run(root, tmp_path, doc)
        assert r.exit_code in (0, 2), (target, r.output)
        assert "Traceback" not in r.output
        if r.exit_code == 2:
            assert f"templates/{template}" in r.stderr or "nesa.typ" in r.stderr, (target, r.stderr)
        else:
            _assert_clean(pdf_contents(pdf.read_bytes()))
        assert OUTSIDE_MARK not in r.output and "root:x:0:0" not in r.output
    assert _Hits.hits == []


@pytest.mark.parametrize("spec", ['"@preview/tablex:0.0.8"', "'@local/x:1.0.0'"])
def test_package_import_refused_before_typst(hostile, tmp_path, spec):
    root, _ = hostile
    for old in (root / "templates").iterdir():
        old.unlink()
    text = (templates_dir() / "agenda.typ").read_text(encoding="utf-8")
    (root / "templates" / "agenda.typ").write_text(f"#import {spec.replace(chr(39), chr(34))}: *\n" + text, encoding="utf-8")
    r, _ = _run(root, tmp_path, "agenda")
    assert r.exit_code == 2, r.output
    assert "templates/agenda.typ:1: Typst packages" in r.stderr


def test_package_download_never_reaches_the_network(hostile, tmp_path, monkeypatch):
    """A package spec put together at run time passes the text check; Typst then
    tries to download it, through the proxy variables nesa points at a closed
    port. The proxy the user's environment names sees no request."""
    import socket

    hits: list[bytes] = []
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            hits.append(conn.recv(200))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(var, f"http://127.0.0.1:{srv.getsockname()[1]}")
    monkeypatch.setenv("NO_PROXY", "")
    for old in (root := hostile[0] / "templates").iterdir():
        old.unlink()
    text = (templates_dir() / "agenda.typ").read_text(encoding="utf-8")
    (root / "agenda.typ").write_text('#import ("@pre" + "view/tablex:0.0.8"): *\n' + text, encoding="utf-8")
    try:
        r, _ = _run(hostile[0], tmp_path, "agenda")
    finally:
        stop.set()
        thread.join(2)
        srv.close()
    assert r.exit_code == 2, r.output
    assert "download" in r.stderr
    assert hits == []
    assert os.environ["HTTPS_PROXY"].startswith("http://127.0.0.1:") and os.environ["HTTPS_PROXY"] != "http://127.0.0.1:1"


def test_environment_secret_not_embedded(hostile, tmp_path):
    """The SMTP password in the environment of a real process stays out of the
    PDF: a template that prints everything Typst was given, and tries
    /proc/self/environ, gets only the document's data."""
    root, _ = hostile
    for old in (root / "templates").iterdir():
        old.unlink()
    text = (templates_dir() / "agenda.typ").read_text(encoding="utf-8")
    (root / "templates" / "agenda.typ").write_text(text + "\n#repr(sys.inputs)\n", encoding="utf-8")
    out = tmp_path / "a.pdf"
    env = dict(os.environ, NESA_SMTP_PASSWORD=ENV_MARK)
    cmd = [sys.executable, "-m", "nesa_cli", "-C", str(root), "--today", "2026-11-23", "agenda",
           "2026-12-09-strategic-board", "--format", "pdf", "-o", str(out)]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    text = pdf_contents(out.read_bytes())
    assert "Strategic Board" in text
    assert ENV_MARK not in text and base64.b64encode(ENV_MARK.encode()).decode() not in text
    (root / "templates" / "agenda.typ").write_text('#read("/proc/self/environ")\n', encoding="utf-8")
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "templates/agenda.typ:1:" in r.stderr, r.stderr
    assert ENV_MARK not in r.stderr + r.stdout


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==")


def test_repository_logo_and_images_embedded(hostile, tmp_path):
    """The logo branding names, and an image in the repository's templates/, are kept."""
    root, outside = hostile
    for old in (root / "templates").iterdir():
        old.unlink()
    (root / "assets" / "logo.png").write_bytes(PNG)
    (root / "templates" / "seal.png").write_bytes(PNG)
    alliance = root / "data" / "alliance.yaml"
    original = alliance.read_text(encoding="utf-8")
    try:
        assert "  logo: templates/nesa-logo.svg\n" in original  # the sample's own branding, changed in place
        alliance.write_text(original.replace("  logo: templates/nesa-logo.svg\n", "  logo: assets/logo.png\n"), encoding="utf-8")
        text = (templates_dir() / "agenda.typ").read_text(encoding="utf-8")
        (root / "templates" / "agenda.typ").write_text(text + '\n#image("seal.png", width: 1cm, alt: "Seal")\n', encoding="utf-8")
        r, pdf = _run(root, tmp_path, "agenda")
        assert r.exit_code == 0, r.output
        assert "left out" not in r.stderr
        reader = pypdf.PdfReader(str(pdf))
        assert sum(len(p.images) for p in reader.pages) >= 1  # the same picture twice is embedded once
        # A logo that is a link out of the repository is left out, and said so.
        os.symlink(outside / "secret.png", root / "assets" / "link.png")
        alliance.write_text(original.replace("  logo: templates/nesa-logo.svg\n", "  logo: assets/link.png\n"), encoding="utf-8")
        (root / "templates" / "agenda.typ").unlink()
        r, pdf = _run(root, tmp_path, "agenda")
        assert r.exit_code == 0, r.output
        assert "left out of the PDF" in r.stderr and "outside the data repository" in r.stderr
        assert OUTSIDE_MARK not in pdf_contents(pdf.read_bytes())
    finally:
        alliance.write_text(original, encoding="utf-8")
        (root / "assets" / "link.png").unlink(missing_ok=True)


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
