"""PDF with Typst: tagged, titled, reproducible, shipped fonts only, the brand honoured, links
clickable with QR codes; a template reads nothing outside its folder and never the network."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from ccrl_kit.errors import BuildError
from ccrl_kit.plan.certificates import plan_certificates
from ccrl_kit.render import typst as typst_renderer
from ccrl_kit.render.typst import render_pdf
from ccrl_kit.resolve.labels import Labels
from ccrl_kit.settings import BUILTIN_TEMPLATES

from ..samples import every_block, sample_course

STAMP = dt.datetime(2025, 1, 1)


def content(pdf: bytes) -> bytes:
    """Every page content stream of a PDF, inflated."""
    out = b""
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out += zlib.decompress(m.group(1))
        except zlib.error:
            continue
    return out


def colours(pdf: bytes) -> set[str]:
    """Every colour the pages paint with, as "#RRGGBB"."""
    found = set()
    for m in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:sc|SC|scn|SCN|rg|RG)\b", content(pdf)):
        found.add("#" + "".join(f"{round(float(v) * 255):02X}" for v in m.groups()))
    return found


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, bytes]:
    folder = tmp_path_factory.mktemp("images")
    doc = every_block(folder, primary="#7C2D12", accent="#0E7490")
    return folder, render_pdf(doc, [BUILTIN_TEMPLATES], STAMP)


def test_the_pdf_is_tagged_titled_and_in_its_language(sample):
    _, pdf = sample
    assert b"/StructTreeRoot" in pdf and b"/Lang(en)" in pdf
    assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf  # PDF/UA-1 validated by Typst
    assert b"Facilitator guide \xe2\x80\x94 A course title" in pdf or b"<dc:title>" in pdf
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 4


def test_only_the_shipped_fonts_are_embedded(sample):
    _, pdf = sample
    fonts = {f.split(b"+", 1)[-1] for f in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", pdf)}
    shipped = {p.stem.encode() for p in (BUILTIN_TEMPLATES / "fonts").glob("*.ttf")}
    assert fonts and fonts <= shipped


def test_the_same_plan_gives_the_same_bytes(sample):
    folder, pdf = sample
    again = render_pdf(every_block(folder, primary="#7C2D12", accent="#0E7490"),
                       [BUILTIN_TEMPLATES], STAMP)
    assert again == pdf
    other = render_pdf(every_block(folder, primary="#7C2D12", accent="#0E7490"),
                       [BUILTIN_TEMPLATES], dt.datetime(2026, 2, 3))
    assert other != pdf and b"D:20260203" in other


def test_links_are_clickable_and_carry_a_qr_code(sample):
    _, pdf = sample
    uris = re.findall(rb"/URI\s*\(([^)]*)\)", pdf)
    assert b"https://example.org/video" in uris and b"https://example.org/inline" in uris
    assert b"QR code: https://example.org/video" in pdf  # the QR code's alt text


def test_the_brand_colours_and_logo_are_used(sample):
    _, pdf = sample
    drawn = colours(pdf)
    assert {"#7C2D12", "#0E7490"} <= drawn
    assert "#1F3A5F" not in drawn  # the default primary is gone
    assert b"Org logo" in pdf  # the logo's alt text


def test_certificates_one_page_per_name(tmp_path):
    plan = plan_certificates(sample_course(), ("Айгерім Нұрланқызы", "John Smith", "Ли Вэй"),
                             Labels("kk"))
    pdf = render_pdf(plan, [BUILTIN_TEMPLATES], STAMP)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 3
    assert b"/StructTreeRoot" in pdf


def pdftext(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def structure(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                          text=True).stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_certificates_typeset_in_parts_are_one_tagged_pdf(tmp_path, monkeypatch):
    names = tuple(f"Участник {i:02d}" if i % 3 else f"Participant {i:02d}" for i in range(11))
    plan = plan_certificates(sample_course(), names, Labels("en"))
    whole = render_pdf(plan, [BUILTIN_TEMPLATES], STAMP)
    monkeypatch.setattr(typst_renderer, "CERTIFICATES_AT_ONCE", 4)  # parts of 4, 4 and 3
    joined = render_pdf(plan, [BUILTIN_TEMPLATES], STAMP)
    assert joined != whole and joined == render_pdf(plan, [BUILTIN_TEMPLATES], STAMP)
    assert len(re.findall(rb"/Type\s*/Page\b", joined)) == 11
    pages = pdftext(joined, tmp_path).split("\f")
    assert [n for page in pages for n in names if n in page] == list(names)  # one a page
    # every name is in the structure tree, in order, as in the PDF typeset in one piece
    tagged = re.findall(r'"(.*)"', structure(joined, tmp_path))
    assert tagged == re.findall(r'"(.*)"', structure(whole, tmp_path)) == list(names)
    # the page every certificate shows (and its fonts) is stored once, not once a part
    fonts = re.findall(rb"/FontFile2", joined)
    assert len(fonts) == len(re.findall(rb"/FontFile2", whole)) + 2  # each part's name font
    assert joined.count(b"/Subtype/Form") == whole.count(b"/Subtype/Form") == 1


def test_a_template_whose_parts_cannot_be_joined_is_typeset_in_one_piece(folder, monkeypatch):
    # an outline (bookmarks) is more than the join handles: the whole document is set at once
    text = (folder / "certificates.typ").read_text(encoding="utf-8")
    spoil(folder, text.replace("page(text(size: plan.name_pt.at(i) * 1pt, name))",
                               "page(heading(outlined: true, text(size: 12pt, name)))"))
    plan = plan_certificates(sample_course(), tuple(f"Name {i}" for i in range(5)),
                             Labels("en"))
    monkeypatch.setattr(typst_renderer, "CERTIFICATES_AT_ONCE", 2)
    pdf = render_pdf(plan, [folder, BUILTIN_TEMPLATES], STAMP)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 5
    assert pdf.count(b"/Type/Outlines") == 1 and pdf.count(b"/Title(Name ") == 5


# --- custom templates -------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the built-in Typst templates and fonts, to spoil."""
    mine = tmp_path / "mine"
    mine.mkdir()
    for p in BUILTIN_TEMPLATES.glob("*.typ"):
        shutil.copy(p, mine / p.name)
    shutil.copytree(BUILTIN_TEMPLATES / "fonts", mine / "fonts")
    return mine


def certificates(folder: Path) -> bytes:
    plan = plan_certificates(sample_course(), ("A Name",), Labels("en"))
    return render_pdf(plan, [folder, BUILTIN_TEMPLATES], STAMP)


def spoil(folder: Path, text: str) -> None:
    (folder / "certificates.typ").write_text(text, encoding="utf-8")


def test_a_copy_of_the_templates_renders(folder):
    assert certificates(folder).startswith(b"%PDF")


@pytest.mark.parametrize("source", [
    '#read("/etc/passwd")',
    '#read("../../../../../../etc/passwd")',
    '#image("/etc/passwd")',
    '#image("https://example.org/logo.png")',
])
def test_a_template_cannot_read_outside_its_folder(folder, source):
    spoil(folder, f"hello\n{source}\n")
    with pytest.raises(BuildError) as caught:
        certificates(folder)
    message = str(caught.value)
    assert message.startswith("template certificates.typ:2:")
    assert "outside its folder" in message and "\n" not in message
    assert "root:" not in message


def test_a_package_import_fails_without_touching_the_network(folder, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "*")  # would let a download bypass the dead proxy
    spoil(folder, '#import "@preview/cetz:0.3.1": canvas\n')
    with pytest.raises(BuildError, match=r"^template certificates\.typ:1:\d+: imports a Typst "
                                         r"package .* never downloaded"):
        certificates(folder)
    assert os.environ["NO_PROXY"] == "*"  # the environment is restored


def test_a_vendored_package_is_used(folder):
    package = folder / "packages" / "preview" / "hello" / "0.1.0"
    package.mkdir(parents=True)
    (package / "typst.toml").write_text('[package]\nname = "hello"\nversion = "0.1.0"\n'
                                        'entrypoint = "lib.typ"\nauthors = ["x"]\n'
                                        'license = "MIT"\ndescription = "x"\n')
    (package / "lib.typ").write_text("#let greet = [Hello from a package]\n")
    spoil(folder, '#import "@preview/hello:0.1.0": greet\n#set text(font: "Noto Sans")\n'
                  '#set document(title: "t")\n#greet\n')
    assert certificates(folder).startswith(b"%PDF")


def test_a_link_out_of_the_folder_is_refused(folder, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (folder / "data.txt").symlink_to(outside)
    spoil(folder, '#read("data.txt")\n')
    with pytest.raises(BuildError, match=r"^template data\.txt: a link that leads outside"):
        certificates(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_in_the_folder_is_refused_not_waited_on(folder):
    os.mkfifo(folder / "pipe.typ")
    with pytest.raises(BuildError, match=r"^template pipe\.typ: not a regular file"):
        certificates(folder)


def test_a_template_that_is_not_utf8_is_refused_with_its_position(folder):
    (folder / "certificates.typ").write_bytes(b"#let x = 1\n#let y = \"caf\xe9\"\n")
    with pytest.raises(BuildError, match=r"^template certificates\.typ:2:14: file is not UTF-8"):
        certificates(folder)


def test_a_typst_error_is_one_line_with_file_and_line(folder):
    spoil(folder, "#let plan = json(bytes(sys.inputs.plan))\n#plan.nope\n")
    with pytest.raises(BuildError) as caught:
        certificates(folder)
    message = str(caught.value)
    assert re.match(r"template certificates\.typ:2:\d+: dictionary does not contain key", message)
    assert "\n" not in message


def test_a_font_that_is_not_shipped_is_an_error(folder):
    spoil(folder, '#set document(title: "t")\n#set text(font: "Comic Sans MS")\nHello\n')
    with pytest.raises(BuildError, match=r"unknown font family: comic sans ms.*fonts come only"):
        certificates(folder)


@pytest.mark.slow
def test_after_typst_has_run_a_parallel_build_still_finishes(minimal):
    """Typst's threads are not copied into a forked child, whose compile would wait for them
    forever: once Typst has run in a process, the build starts its workers afresh."""
    script = (
        "import datetime as dt, sys\n"
        "from pathlib import Path\n"
        "from ccrl_kit.build.pipeline import Settings, build\n"
        "from ccrl_kit.plan.certificates import plan_certificates\n"
        "from ccrl_kit.render.typst import has_run, render_pdf\n"
        "from ccrl_kit.resolve.labels import Labels\n"
        "from ccrl_kit.settings import BUILTIN_TEMPLATES\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from tests.samples import sample_course\n"
        "assert not has_run()\n"
        "render_pdf(plan_certificates(sample_course(), (), Labels('en')), [BUILTIN_TEMPLATES],"
        " dt.datetime(2025, 1, 1))\n"
        "assert has_run()\n"
        "report = build(Settings(workspace=Path(sys.argv[1]), formats=('pdf',), jobs=2))\n"
        "print(len(report.built))\n"
    )
    import subprocess
    import sys

    from ..conftest import ROOT

    done = subprocess.run([sys.executable, "-c", script, str(minimal), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["6"]
