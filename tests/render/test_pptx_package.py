"""A deck template is checked before use: what is not a presentation is one line naming the
file, an archive bomb is refused before it is unpacked, a .potx becomes a presentation, sample
slides and links to files elsewhere go."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from ccrl_kit.cli import main
from ccrl_kit.errors import BuildError
from ccrl_kit.render.pptx_package import (
    PRESENTATION,
    check_template,
    normalise,
    open_template,
)

from ..conftest import ROOT

TEMPLATE = ROOT / "templates" / "deck.pptx"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rewrite(raw: bytes, change) -> bytes:
    """A copy of the package ``raw`` with ``change(name, data) -> data | None`` applied."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info.filename, data)
    return out.getvalue()


def with_slides(n: int) -> bytes:
    prs = Presentation(str(TEMPLATE))
    for _ in range(n):
        slide = prs.slides.add_slide(prs.slide_layouts[0])
        slide.notes_slide.notes_text_frame.text = "sample notes"
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def as_potx(raw: bytes) -> bytes:
    return rewrite(raw, lambda name, data: data.replace(
        b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
        if name == "[Content_Types].xml" else data)


def error(raw: bytes, name: str = "ours.pptx") -> str:
    with pytest.raises(BuildError) as info:
        normalise(raw, name)
    message = str(info.value.format_message())
    assert "\n" not in message
    return message


def test_the_shipped_template_passes_unchanged_in_substance():
    prs = Presentation(io.BytesIO(open_template(TEMPLATE)))
    assert len(prs.slides) == 0
    assert [layout.name for layout in prs.slide_layouts] == [
        layout.name for layout in Presentation(str(TEMPLATE)).slide_layouts]


def test_sample_slides_and_what_only_they_use_are_removed():
    package = normalise(with_slides(3), "ours.pptx")
    prs = Presentation(io.BytesIO(package.data))
    assert len(prs.slides) == 0
    names = zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    assert not [n for n in names if n.startswith(("ppt/slides/", "ppt/notesSlides/"))]
    assert package.warnings == ()
    prs.slides.add_slide(prs.slide_layouts[0])  # and it still takes new slides
    prs.save(io.BytesIO())


def test_a_potx_is_accepted_as_a_presentation():
    package = normalise(as_potx(with_slides(1)), "ours.potx")
    types = zipfile.ZipFile(io.BytesIO(package.data)).read("[Content_Types].xml").decode()
    assert PRESENTATION in types and "template.main" not in types
    assert len(Presentation(io.BytesIO(package.data)).slide_layouts) == 9


def test_macros_are_dropped_from_a_macro_enabled_file():
    def add_macros(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"application/vnd.openxmlformats-officedocument.presentationml"
                                b".presentation.main+xml",
                                b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml")
        if name == "ppt/_rels/presentation.xml.rels":
            return data.replace(b"</Relationships>", (
                b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>'))
        return data

    raw = rewrite(TEMPLATE.read_bytes(), add_macros)
    with zipfile.ZipFile(io.BytesIO(raw), "a") as z:
        z.writestr("ppt/vbaProject.bin", b"macro code")
    package = normalise(raw, "ours.pptm")
    assert "ppt/vbaProject.bin" not in zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    assert package.warnings == ("the deck template's macros were removed (a deck holds none)",)


def external(raw: bytes) -> bytes:
    """The template with a remote picture on its master and a remote attached template."""
    def change(name, data):
        if name == "ppt/slideMasters/_rels/slideMaster1.xml.rels":
            return data.replace(b"</Relationships>", (
                f'<Relationship Id="rIdX1" Type="{REL}/image" Target="https://tracker.example/p.png"'
                f' TargetMode="External"/><Relationship Id="rIdX2" Type="{REL}/hyperlink" '
                'Target="https://our.example/" TargetMode="External"/></Relationships>').encode())
        if name == "ppt/_rels/presentation.xml.rels":
            return data.replace(b"</Relationships>", (
                f'<Relationship Id="rIdX3" Type="{REL}/attachedTemplate" '
                'Target="\\\\\\\\server\\\\share\\\\corp.potx" TargetMode="External"/>'
                '</Relationships>').encode())
        if name == "ppt/slideMasters/slideMaster1.xml":  # an attribute naming the picture
            assert b"<p:cSld>" in data
            return data.replace(b"<p:cSld>", f'<p:cSld xmlns:r="{REL}" r:link="rIdX1">'.encode())
        return data

    return rewrite(raw, change)


def test_links_to_files_elsewhere_are_removed_with_a_warning():
    package = normalise(external(TEMPLATE.read_bytes()), "ours.pptx")
    with zipfile.ZipFile(io.BytesIO(package.data)) as z:
        rels = z.read("ppt/slideMasters/_rels/slideMaster1.xml.rels").decode()
        pres = z.read("ppt/_rels/presentation.xml.rels").decode()
        master = z.read("ppt/slideMasters/slideMaster1.xml").decode()
    assert "tracker.example" not in rels and "corp.potx" not in pres
    assert "our.example" in rels  # a hyperlink fetches nothing until clicked
    assert "rIdX1" not in master  # no reference left to a removed relationship
    assert len(package.warnings) == 1
    assert package.warnings[0].startswith("the deck template links to 2 file(s) elsewhere (")
    assert "--keep-external-links" in package.warnings[0]
    Presentation(io.BytesIO(package.data))


def test_links_are_kept_when_asked():
    package = normalise(external(TEMPLATE.read_bytes()), "ours.pptx", keep_external=True)
    with zipfile.ZipFile(io.BytesIO(package.data)) as z:
        assert "tracker.example" in z.read("ppt/slideMasters/_rels/slideMaster1.xml.rels").decode()
    assert package.warnings == ()


@pytest.mark.parametrize(("raw", "expected"), [
    (b"", "deck template ours.pptx: the file is empty"),
    (b"just text\n", "deck template ours.pptx: not a PowerPoint file (.pptx or .potx): not a "
                     "zip archive (File is not a zip file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
     "deck template ours.pptx: an old-format (.ppt) or password-protected PowerPoint file; "
     "save it as .pptx without a password"),
])
def test_a_file_that_is_not_a_presentation_is_one_line(raw, expected):
    assert error(raw) == expected


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def test_a_zip_of_photos_and_a_word_document_are_not_presentations():
    assert error(zipped({"a.jpg": b"x"})) == (
        "deck template ours.pptx: not a PowerPoint file (.pptx or .potx): no Office package "
        "parts in the archive")
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert error(buffer.getvalue(), "ours.docx").startswith(
        "deck template ours.docx: not a PowerPoint presentation: a Word document (")


def test_a_missing_part_is_a_damaged_presentation():
    raw = rewrite(TEMPLATE.read_bytes(),
                  lambda name, data: None if name == "ppt/theme/theme1.xml" else data)
    assert error(raw) == ("deck template ours.pptx: a damaged presentation: part "
                          "'ppt/theme/theme1.xml' (named in 'ppt/_rels/presentation.xml.rels') "
                          "is missing")


def test_xml_with_a_document_type_is_refused():
    raw = rewrite(TEMPLATE.read_bytes(), lambda name, data: (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[1]
        if name == "_rels/.rels" else data))
    assert error(raw) == "deck template ours.pptx: part '_rels/.rels' declares a document type; refusing it"


def bomb(name: str, mib: int) -> bytes:
    """A zip archive of one part of ``mib`` MiB of zeros, about 1/1000 of that packed (built
    block by block: packing 1 GiB would take seconds)."""
    chunk = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # the same every time
    data = block * mib + packer.flush()
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    n = name.encode()
    head = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data),
                       mib << 20, len(n), 0) + n
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(data),
                        mib << 20, len(n), 0, 0, 0, 0, 0, 0) + n
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(entry), len(head) + len(data), 0)
    return head + data + entry + end


def test_the_bomb_is_a_real_one():
    raw = bomb("x.bin", 4)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert z.read("x.bin") == bytes(4 << 20)
    assert len(raw) < 10_000


@pytest.mark.slow
def test_a_zip_bomb_is_refused_quickly_without_unpacking_it():
    raw = bomb("ppt/media/image1.png", 1024)  # 1 GiB of zeros in about 1 MB
    assert len(raw) < 2 * 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    message = error(raw)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert message == ("deck template ours.pptx: part 'ppt/media/image1.png' unpacks to "
                       "1,073,741,824 bytes, over the limit of 104,857,600")
    assert elapsed < 1 and peak < 20 * 1024 * 1024


def test_a_part_that_expands_too_much_is_refused():
    raw = zipped({"[Content_Types].xml": b"<Types/>", "ppt/media/x.bin": bytes(8 << 20)})
    assert error(raw).startswith("deck template ours.pptx: part 'ppt/media/x.bin' unpacks ")
    assert error(raw).endswith(" times larger than it is stored (a zip bomb?)")


def test_a_part_larger_than_it_claims_is_a_damaged_archive():
    raw = bytearray(zipped({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"x" * 5000}))
    # shrink the size the central directory gives for _rels/.rels
    at = raw.rfind(b"_rels/.rels") - 46 + 24
    raw[at:at + 4] = (100).to_bytes(4, "little")
    assert error(bytes(raw)).startswith("deck template ours.pptx: a damaged archive (")


def test_the_build_names_the_template_and_shows_no_traceback(minimal, tmp_path):
    bad = tmp_path / "ours.pptx"
    bad.write_bytes(b"")
    result = CliRunner().invoke(main, ["-C", str(minimal), "build", "--template", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == f"error: deck template {bad}: the file is empty\n"
    assert not (minimal / "output").exists()


@pytest.mark.slow
def test_the_build_warns_once_about_removed_links(minimal, tmp_path):
    ours = tmp_path / "ours.pptx"
    ours.write_bytes(external(TEMPLATE.read_bytes()))
    assert len(check_template(ours)) == 1
    result = CliRunner().invoke(main, ["-C", str(minimal), "build", "-f", "pptx", "--template",
                                       str(ours)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning: the deck template links to 2 file(s)") == 1
    result = CliRunner().invoke(main, ["-C", str(minimal), "build", "-f", "pptx", "--template",
                                       str(ours), "--keep-external-links"])
    assert "warning" not in result.stderr


def test_a_template_that_is_a_link_to_a_device_is_refused(tmp_path):
    link = tmp_path / "ours.pptx"
    link.symlink_to("/dev/zero")
    with pytest.raises(BuildError, match=r"ours\.pptx: cannot read it: it is a device or pipe"):
        open_template(Path(link))
