"""Render a document plan as HTML (for the browser and ``ccrl preview``), through Jinja2.

The page references nothing it does not ship: its stylesheet is inline, fonts are named (not
downloaded), and every image it shows is returned as a file beside it (``assets/…``) that the
page links to by a relative path.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ccrl_kit.plan import blocks as b
from ccrl_kit.render.assets import read_image
from ccrl_kit.render.templates import make_environment, read_text, render

ASSETS = "assets"

COLOURS = {"dark": "#1E293B", "light": "#FFFFFF", "muted": "#64748B", "tint": "#EEF2F7"}


@lru_cache(maxsize=4)
def _environment(search: tuple[Path, ...]):
    """One sandbox per template path: compiled templates are reused (each is checked for
    changes when it is loaded again)."""
    return make_environment(list(search))


def render_html(doc: b.Document, search: list[Path]) -> dict[str, bytes]:
    """``{"<kind>.html": page, "assets/<name>": image, ...}``, names relative to the page."""
    from markupsafe import Markup

    from ccrl_kit.render.templates import locate

    files: dict[str, bytes] = {}
    urls: dict[str, str] = {}
    paths = [doc.brand.logo] if doc.brand.logo else []
    paths += [x.path for x in b.walk(doc.blocks) if isinstance(x, b.Figure)]
    for path in paths:
        image = read_image(path)
        urls[path] = f"{ASSETS}/{image.name}"
        files[urls[path]] = image.data
    env = _environment(tuple(search))
    found = locate(search, "handout.css")
    css = read_text(*found) if found else ""
    colours = {"primary": doc.brand.primary, "accent": doc.brand.accent, **COLOURS}
    page = render(env, f"{doc.kind}.html.j2", doc=doc, css=Markup(css), kind=b.type_name,
                  image_url=urls, colours=colours)
    return {f"{doc.kind}.html": page.encode("utf-8"), **files}
