"""``ccrl template check FILE``: how a PowerPoint template (.pptx or .potx) would draw a deck.

Prints which of the template's layouts draws each kind of slide and why (ccrl.yaml's
``layouts:``, the layout's name, its type or placeholders, or a related kind's layout), which
course fields have no placeholder and are drawn as text boxes, and what was removed or changed
(sample slides, links to files elsewhere, the theme's fonts). The template is read exactly as
a build reads it (:mod:`ccrl_kit.render.pptx_package`, :mod:`ccrl_kit.plan.template`).
"""

from __future__ import annotations

from pathlib import Path

from ccrl_kit.errors import ContentError
from ccrl_kit.plan.template import (
    BODY,
    BODY2,
    DECK_FONT,
    FOOTER,
    NUMBER,
    TITLE,
    Geometry,
    read_geometry,
)
from ccrl_kit.settings import LAYOUT_ROLES

EMU_PER_INCH = 914400

# what each layout role draws, and the slots the deck fills on it (beyond the title)
KINDS = {
    "Title": "the title slide",
    "Section": "module dividers",
    "Title and Content": "content, agenda, objectives, activities, key messages, sources",
    "Two Content": "key figures beside their points",
    "Quote": "quotes",
    "Case Study": "case facts",
    "Question": "decision points, questions, discussion, knowledge checks, evaluation",
    "Table or Chart": "tables, charts, timelines, maps, pictures",
    "Closing": "the closing slide",
}
FILLS = {
    "Title": ((BODY, "subtitle (the audience)"),
              (BODY2, "details (dates, venue, facilitators, organiser)")),
    "Quote": ((BODY, "quote"), (BODY2, "attribution")),
}
SLOT_NAMES = {TITLE: "title", BODY: "body", FOOTER: "footer (the module's name)",
              NUMBER: "slide number"}


def workspace_layouts(workspace: Path) -> dict[str, str]:
    """The ``layouts:`` mapping of the workspace's ccrl.yaml (none without one)."""
    from ccrl_kit.content.loader import load_file
    from ccrl_kit.content.model import WorkspaceConfig
    from ccrl_kit.content.validate import validate
    from ccrl_kit.files import FileError

    path = workspace / "ccrl.yaml"
    if not path.is_file():
        return {}
    try:
        doc = load_file(path, "ccrl.yaml", inside=workspace)
    except FileError as exc:
        raise ContentError([exc.problem]) from None
    config, problems = validate(doc, WorkspaceConfig)
    if config is None:
        raise ContentError(problems)
    return dict(config.layouts)


def check(path: Path, layouts: dict[str, str] | None = None, *,
          keep_external: bool = False) -> list[str]:
    """The report's lines for the template ``path`` (raises a one-line BuildError for a file
    that is not a presentation, and for a ``layouts:`` entry the template cannot honour)."""
    from ccrl_kit.render.pptx_package import load_template

    package = load_template(path, keep_external=keep_external)
    geo = read_geometry(package.data, layouts or {}, name=path.name)
    return _report(path, geo, package, layouts or {})


def _report(path: Path, geo: Geometry, package, layouts: dict[str, str]) -> list[str]:
    w, h = (v / EMU_PER_INCH for v in geo.size)
    shape = "16:9" if abs(w / h - 16 / 9) < 0.01 else "4:3" if abs(w / h - 4 / 3) < 0.01 \
        else f"{w / h:.2f}:1"
    out = [f"{path.name}: a PowerPoint {package.kind}, {shape} ({w:.2f} x {h:.2f} in), "
           f"{len(geo.layouts)} layout{'s' if len(geo.layouts) != 1 else ''}: "
           + ", ".join(repr(name) for name in geo.layouts)]
    out.append("")
    out.append("Slide kinds and the layouts that draw them:")
    width = max(len(role) for role in LAYOUT_ROLES)
    boxes: list[str] = []
    for role in LAYOUT_ROLES:
        match = geo.roles[role]
        lay = match.layout
        out.append(f"  {role:<{width}}  -> {lay.name!r:<24} {_how(match, role)}")
        out.append(f"  {'':<{width}}     ({KINDS[role]})")
        if TITLE not in lay.idx:
            boxes.append(f"{role}: the title (layout {lay.name!r} has no title placeholder)")
        for slot, what in FILLS.get(role, ((BODY, "body"),)):
            if slot not in lay.idx:
                boxes.append(f"{role}: the {what} (layout {lay.name!r} has no placeholder "
                             "for it)")
        if role != "Title":
            for slot in (FOOTER, NUMBER):
                if slot not in lay.idx:
                    boxes.append(f"{role}: the {SLOT_NAMES[slot]} (layout {lay.name!r} has "
                                 "no placeholder for it)")
    out.append("")
    if boxes:
        out.append("Drawn as text boxes where the layout has no placeholder (nothing is "
                   "dropped):")
        out += [f"  {line}" for line in boxes]
    else:
        out.append("Every course field has a placeholder: the title slide's subtitle and "
                   "details, each slide's footer and slide number.")
    notes = []
    if package.samples:
        notes.append(f"{package.samples} sample slide{'s' if package.samples != 1 else ''} "
                     "of the template removed")
    if package.kind != "presentation":
        notes.append(f"a {package.kind}: the deck is saved as a presentation (.pptx)")
    if any(font != DECK_FONT for font in geo.fonts):
        fonts = " / ".join(dict.fromkeys(f for f in geo.fonts if f))
        notes.append(f"the theme's fonts are {fonts}: the deck sets {DECK_FONT} on its text "
                     f"(it is measured with Carlito, {DECK_FONT}'s metric twin)")
    if abs(w / h - 16 / 9) >= 0.01:
        notes.append("not 16:9: the deck is laid out on the template's own size")
    notes += list(package.warnings)
    if notes:
        out.append("")
        out.append("Also:")
        out += [f"  {line}" for line in notes]
    unmatched = [role for role in LAYOUT_ROLES if geo.roles[role].how == "related"
                 and role not in layouts]
    if unmatched:
        out.append("")
        out.append("To draw a kind on a layout of your choice, name it in ccrl.yaml, e.g.:")
        out.append("  layouts:")
        spare = [n for n in geo.layouts if n not in {m.layout.name for m in geo.roles.values()}]
        for n, role in enumerate(unmatched):
            name = spare[n] if n < len(spare) else next(iter(geo.layouts))
            out.append(f'    {role}: "{name}"')
    return out


def _how(match, role: str) -> str:
    if match.how == "mapped":
        return "(named in ccrl.yaml)"
    if match.how == "name":
        return "(same name)"
    if match.how == "type":
        return f"(a layout of type '{match.layout.type}')"
    if match.how == "placeholders":
        bodies = match.layout.bodies
        return f"(a title and {bodies} body placeholder{'s' if bodies != 1 else ''})"
    return f"(no {role} layout: drawn on the {match.via} layout)"
