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

COLOURS = {"dark": "#1E293B", "light": "#FFFFFF", "muted": "#64748B", "tint": "#EEF2F7",
           "soft": "#E2E8F0"}


@lru_cache(maxsize=4)
def _environment(search: tuple[Path, ...]):
    """One sandbox per template path: compiled templates are reused (each is checked for
    changes when it is loaded again)."""
    return make_environment(list(search))


def render_html(doc: b.Document, search: list[Path], *,
                root: Path | None = None) -> dict[str, bytes]:
    """``{"<kind>.html": page, "assets/<kind>/<name>": image, ...}``, names relative to
    the page;
    the images are read from inside ``root`` (the workspace)."""
    from markupsafe import Markup

    from ccrl_kit.render.templates import locate

    files: dict[str, bytes] = {}
    urls: dict[str, str] = {}
    paths = [doc.brand.logo] if doc.brand.logo else []
    paths += [x.path for x in b.walk(doc.blocks) if isinstance(x, b.Figure)]
    for path in paths:
        image = read_image(path, root)
        urls[path] = f"{ASSETS}/{doc.kind}/{image.name}"  # each page its own (tasks differ)
        files[urls[path]] = image.data
    env = _environment(tuple(search))
    found = locate(search, "handout.css")
    css = read_text(*found) if found else ""
    brand = doc.brand
    colours = {"primary": brand.primary, "accent": brand.accent,
               "accent_light": _mix(brand.accent, 0.45), "accent_soft": _mix(brand.accent, 0.8),
               "primary_soft": _mix(brand.primary, 0.8), **COLOURS}
    page = render(env, f"{doc.kind}.html.j2", doc=doc, css=Markup(css), kind=b.type_name,
                  image_url=urls, colours=colours)
    return {f"{doc.kind}.html": page.encode("utf-8"), **files}


def _mix(colour: str, white: float) -> str:
    """``colour`` (#RRGGBB) mixed with a share of white: the deck's lighter tints."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * white):02X}" for c in rgb)
