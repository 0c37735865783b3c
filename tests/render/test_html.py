"""HTML from the same plan: content stays data, images ship beside the page, links work, and a
trainer's template runs sandboxed within time and size limits."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from ccrl_kit.errors import BuildError
from ccrl_kit.plan import blocks as b
from ccrl_kit.render import templates
from ccrl_kit.render.html import render_html
from ccrl_kit.settings import BUILTIN_TEMPLATES

from ..samples import SVG, every_block, png


@pytest.fixture
def page(tmp_path) -> tuple[str, dict[str, bytes]]:
    files = render_html(every_block(tmp_path, primary="#7C2D12"), [BUILTIN_TEMPLATES])
    return files.pop("facilitator-guide.html").decode("utf-8"), files


def test_every_image_ships_beside_the_page_and_nothing_else_is_fetched(page):
    text, files = page
    assert {Path(name).suffix for name in files} == {".png", ".svg"}
    assert files[next(n for n in files if n.endswith(".png"))] == png()
    assert files[next(n for n in files if n.endswith(".svg"))] == SVG
    referenced = set(re.findall(r'\bsrc="([^"]+)"', text))
    assert referenced == set(files)  # relative links to the shipped files only
    assert not re.search(r"url\(|@import|<link\b|<script\b", text)


def test_links_are_clickable_and_content_is_escaped(page, tmp_path):
    text, _ = page
    assert '<a href="https://example.org/video">Watch the video</a>' in text
    assert '<a href="https://example.org/inline">link</a>' in text
    doc = every_block(tmp_path)
    hostile = b.Paragraph(b.rich("<script>alert(1)</script> {{ 7*7 }} {% raw %}"))
    doc = type(doc)(**{**doc.__dict__, "blocks": (*doc.blocks, hostile)})
    out = render_html(doc, [BUILTIN_TEMPLATES])["facilitator-guide.html"].decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %}" in out
    assert "<script>" not in out


def test_the_brand_colour_and_the_steps_slides_are_drawn(page):
    text, _ = page
    assert "--primary: #7C2D12" in text
    assert 'aria-label="Slide 7: Slide title"' in text and "<figcaption>Slide 7</figcaption>" in text
    assert html.escape("09:40–09:55") in text


# --- a trainer's templates ------------------------------------------------------------------


@pytest.fixture
def mine(tmp_path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    return folder


def render_with(folder: Path, source: str | bytes, tmp_path: Path) -> str:
    path = folder / "facilitator-guide.html.j2"
    if isinstance(source, bytes):
        path.write_bytes(source)
    else:
        path.write_text(source, encoding="utf-8")
    files = render_html(every_block(tmp_path), [folder, BUILTIN_TEMPLATES])
    return files["facilitator-guide.html"].decode()


@pytest.mark.parametrize("source, message", [
    ("{{ range(10**9) | list | length }}", "value too large"),
    ("{{ range(200000) | list | length }}", "range too big"),
    ("{{ 'x' * 10**9 }}", "value too large"),
    ("{{ 10 ** 100000000 }}", "exponent too large"),
    ("{{ ('x' * 1000) | center(10**9) }}", "value too large for the filter 'center'"),
    ("{{ '%999999999d' % 1 }}", "format width too large"),
    ("{{ '{:>999999999}'.format(1) }}", "format width too large"),
    ("{% set ns = namespace(s='xx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}{{ ns.s | length }}", "value too large"),
    ("{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('ab') }}", "value too large"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "calls itself without end"),
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
])
def test_a_hostile_template_fails_fast_with_one_line(mine, tmp_path, source, message):
    with pytest.raises(BuildError) as caught:
        render_with(mine, source, tmp_path)
    text = str(caught.value)
    assert text.startswith("template facilitator-guide.html.j2")
    assert message in text.lower() and "\n" not in text


def test_a_loop_that_does_not_end_is_stopped(mine, tmp_path, monkeypatch):
    monkeypatch.setattr(templates, "RENDER_SECONDS", 0.5)
    source = ("{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}")
    with pytest.raises(BuildError, match=r"template facilitator-guide\.html\.j2: stopped after "
                                         r"0\.5 seconds"):
        render_with(mine, source, tmp_path)


def test_output_beyond_the_limit_is_refused(mine, tmp_path, monkeypatch):
    monkeypatch.setattr(templates, "MAX_OUTPUT_CHARS", 1000)
    with pytest.raises(BuildError, match=r"output larger than"):
        render_with(mine, "{% for i in range(5000) %}word {% endfor %}", tmp_path)


def test_a_template_that_is_not_utf8_is_refused_with_its_position(mine, tmp_path):
    with pytest.raises(BuildError, match=r"^template facilitator-guide\.html\.j2:3:4: file is not UTF-8"):
        render_with(mine, b"<p>\n<p>\n<p>\xff\xfe</p>\n", tmp_path)


def test_a_template_that_is_a_link_out_of_its_folder_is_refused(mine, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    (mine / "facilitator-guide.html.j2").symlink_to(secret)
    with pytest.raises(BuildError, match=r"^template facilitator-guide\.html\.j2: a link that "
                                         r"leads outside"):
        render_html(every_block(tmp_path), [mine, BUILTIN_TEMPLATES])


def test_a_link_inside_the_folder_is_fine_and_partials_are_found(mine, tmp_path):
    (mine / "real.html.j2").write_text("{% extends 'document.html.j2' %}", encoding="utf-8")
    (mine / "facilitator-guide.html.j2").symlink_to(mine / "real.html.j2")
    out = render_html(every_block(tmp_path), [mine, BUILTIN_TEMPLATES])
    assert b"<main>" in out["facilitator-guide.html"]


def test_an_oversized_template_is_refused(mine, tmp_path):
    with pytest.raises(BuildError, match=r"file is 1,048,577 bytes, over the limit of 1,048,576 bytes"):
        render_with(mine, "x" * (templates.MAX_TEMPLATE_BYTES + 1), tmp_path)


def test_a_template_name_cannot_climb_out(mine, tmp_path):
    shutil.copy(BUILTIN_TEMPLATES / "_blocks.html.j2", mine / "_blocks.html.j2")
    with pytest.raises(BuildError, match=r"not a file inside a template folder"):
        render_with(mine, "{% include '../../etc/passwd' %}", tmp_path)


def test_a_template_of_the_same_name_elsewhere_is_run_as_written_there(tmp_path):
    """Compiled templates are kept for the process by name: another folder's template of
    that name, or an edit, is compiled anew rather than served from what was kept."""
    seen = []
    for text in ("first {{ x }}", "second {{ x }}", "second {{ x }}!"):
        folder = tmp_path / str(len(seen))
        folder.mkdir()
        (folder / "page.html.j2").write_text(text, encoding="utf-8")
        seen.append(templates.render(templates.make_environment([folder]), "page.html.j2", x=1))
    assert seen == ["first 1", "second 1", "second 1!"]
    assert "page.html.j2" in templates._COMPILED
