"""Which layout of a template draws each kind of slide: by name, by the layout's type or
placeholders, through ccrl.yaml's ``layouts:``, or on a related kind's layout; and the
template's placeholders read into the slots the plan fills."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pptx import Presentation

from ccrl_kit.errors import BuildError
from ccrl_kit.plan.template import BODY, BODY2, FOOTER, NUMBER, TITLE, read_geometry
from ccrl_kit.render.pptx_package import normalise

from ..conftest import ROOT

TEMPLATE = ROOT / "templates" / "deck.pptx"
GERMAN = {"Title": "Titelfolie", "Section": "Abschnittsüberschrift",
          "Title and Content": "Titel und Inhalt", "Two Content": "Zwei Inhalte",
          "Quote": "Zitat", "Case Study": "Fallstudie", "Question": "Frage",
          "Table or Chart": "Tabelle", "Closing": "Abschluss"}


def renamed_template(*, potx: bool = False, names: dict[str, str] | None = None,
                     drop: tuple[str, ...] = (), samples: int = 1) -> bytes:
    """The shipped template with its layouts renamed (German, by default), ``samples``
    sample slides added, the placeholders named in ``drop`` (e.g. "Details") removed from
    every layout, and saved as a template (.potx) if asked."""
    prs = Presentation(str(TEMPLATE))
    for n in range(samples):
        slide = prs.slides.add_slide(prs.slide_layouts[n % 3])
        slide.shapes.title.text = f"Sample slide {n + 1}"
        slide.notes_slide.notes_text_frame.text = "Sample notes"
    buffer = io.BytesIO()
    prs.save(buffer)
    out = io.BytesIO()
    names = GERMAN if names is None else names
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("ppt/slideLayouts/slideLayout"):
                text = data.decode()
                for old, new in names.items():
                    text = text.replace(f'<p:cSld name="{old}">', f'<p:cSld name="{new}">')
                for name in drop:
                    text = re.sub(rf'<p:sp><p:nvSpPr><p:cNvPr id="\d+" name="{name}"/>.*?'
                                  r"</p:sp>", "", text, flags=re.S)
                data = text.encode()
            if potx and info.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml",
                                    b"presentationml.template.main+xml")
            dst.writestr(info, data)
    return out.getvalue()


def geometry(raw: bytes, layouts: dict[str, str] | None = None):
    return read_geometry(normalise(raw, "ours.pptx").data, layouts, name="ours.pptx")


def test_the_shipped_template_matches_every_role_by_name():
    geo = read_geometry(TEMPLATE)
    assert {role: (m.layout.name, m.how) for role, m in geo.roles.items()} == {
        role: (role, "name") for role in GERMAN}


def test_names_match_whatever_the_case_and_spaces():
    geo = geometry(renamed_template(names={"Title and Content": "title and  CONTENT"}))
    assert geo.roles["Title and Content"].layout.name == "title and  CONTENT"
    assert geo.roles["Title and Content"].how == "name"


def test_renamed_layouts_are_matched_by_type_and_the_rest_borrow_a_related_layout():
    geo = geometry(renamed_template())
    got = {role: (m.layout.name, m.how, m.via) for role, m in geo.roles.items()}
    assert got == {
        "Title": ("Titelfolie", "type", ""),
        "Section": ("Abschnittsüberschrift", "type", ""),
        "Title and Content": ("Titel und Inhalt", "type", ""),
        "Two Content": ("Zwei Inhalte", "type", ""),
        "Quote": ("Titel und Inhalt", "related", "Title and Content"),
        "Case Study": ("Titel und Inhalt", "related", "Title and Content"),
        "Question": ("Titel und Inhalt", "related", "Title and Content"),
        "Table or Chart": ("Titel und Inhalt", "related", "Title and Content"),
        "Closing": ("Abschnittsüberschrift", "related", "Section"),
    }


def test_without_a_layout_type_the_placeholders_decide():
    raw = renamed_template()
    untyped = _rewrite(raw, lambda name, data: re.sub(rb' type="(title|secHead|tx|twoColTx)"',
                                                      b' type="cust"', data, count=1)
                       if name.startswith("ppt/slideLayouts/slideLayout") else data)
    geo = geometry(untyped)
    assert geo.roles["Two Content"].how == "placeholders"
    assert geo.roles["Two Content"].layout.name == "Zwei Inhalte"  # a title and two bodies
    assert geo.roles["Title"].layout.name == "Titelfolie"  # a dark layout with a subtitle


def test_the_workspace_mapping_comes_first():
    geo = geometry(renamed_template(), {"Quote": "Zitat", "Case Study": "Fallstudie",
                                        "Title and Content": "Frage"})
    assert (geo.roles["Quote"].layout.name, geo.roles["Quote"].how) == ("Zitat", "mapped")
    assert geo.roles["Case Study"].layout.name == "Fallstudie"
    assert geo.roles["Title and Content"].layout.name == "Frage"
    assert geo.roles["Question"].layout.name == "Frage"  # borrows the mapped layout


def test_a_mapping_to_a_layout_the_template_lacks_is_one_clear_line():
    with pytest.raises(BuildError) as info:
        geometry(renamed_template(), {"Quote": "Zitatfolie"})
    message = info.value.format_message()
    assert "\n" not in message
    assert "ccrl.yaml: layouts: Quote" in message and "'Zitatfolie'" in message
    assert "'Zitat'" in message  # what it has


def test_slots_carry_the_templates_own_indexes():
    def renumber(name: str, data: bytes) -> bytes:
        if name.startswith("ppt/slideLayouts/slideLayout"):
            data = data.replace(b'idx="1"', b'idx="13"').replace(b'idx="11"', b'idx="21"')
        return data

    geo = geometry(_rewrite(renamed_template(), renumber))
    lay = geo.roles["Title and Content"].layout
    assert lay.idx[TITLE] == 0 and lay.idx[BODY] == 13 and lay.idx[FOOTER] == 21
    assert lay.idx[NUMBER] == 12
    quote = geo.layouts["Zitat"]
    assert quote.idx[BODY] == 13 and quote.idx[BODY2] == 2
    assert geo.roles["Title"].layout.boxes[BODY] == read_geometry(TEMPLATE).layouts[
        "Title"].boxes[BODY]


def test_a_missing_placeholder_leaves_its_slot_empty():
    geo = geometry(renamed_template(drop=("Details", "Footer")))
    title = geo.roles["Title"].layout
    assert BODY in title.idx and BODY2 not in title.idx
    assert FOOTER not in geo.roles["Title and Content"].layout.idx
    assert FOOTER in geo.master  # where the master puts it: the box drawn instead


def test_dark_layouts_are_told_from_their_background():
    geo = read_geometry(TEMPLATE)
    assert [name for name, lay in geo.layouts.items() if lay.dark] == [
        "Title", "Section", "Closing"]


def _rewrite(raw: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()
