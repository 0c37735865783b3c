"""A deck template checked before use: any .pptx or .potx a trainer names, made safe to draw on.

:func:`open_template` returns the bytes of a clean presentation package, or raises a
:class:`~ccrl_kit.errors.BuildError` of one line naming the file. Checked and changed:

* the file: read under the rule for every file (a regular file, at most
  ``MAX_TEMPLATE_BYTES``); empty, not a zip archive, an old .ppt or a password-protected file,
  or not a presentation (a Word document, a zip of photos) are refused;
* the archive, before anything is unpacked: at most ``MAX_PARTS`` parts, ``MAX_UNPACKED``
  bytes in all and ``MAX_PART`` in one, and no part that expands more than ``MAX_RATIO`` times
  (a 1 MB file that unpacks to 1 GiB is refused at once); zip itself refuses a part larger than
  it declares;
* XML: no document type declarations (no entity tricks);
* a template (.potx) or a macro-enabled file becomes a plain presentation: its main part's
  content type is rewritten, macros are dropped;
* the template's own slides (samples) are removed, with everything only they used;
* relationships to files elsewhere (a remote attached template, a linked picture or video)
  are removed with a warning, unless ``keep_external``: a deck would otherwise fetch them
  each time it is opened. Hyperlinks stay: nothing is fetched until someone clicks one.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ccrl_kit.errors import BuildError
from ccrl_kit.files import FileError, read_bytes

MAX_TEMPLATE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED = 300 * 1024 * 1024
MAX_PART = 100 * 1024 * 1024
MAX_PARTS = 5_000
MAX_RATIO = 100  # XML packs 5 to 20 times; a part of one repeated byte, a thousand
RATIO_FROM = 1024 * 1024  # parts smaller than this may pack as tightly as they like

_CT = "application/vnd.openxmlformats-officedocument.presentationml"
PRESENTATION = f"{_CT}.presentation.main+xml"
MAIN_TYPES = {
    PRESENTATION: "",
    f"{_CT}.template.main+xml": "",
    f"{_CT}.slideshow.main+xml": "",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "macros",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml": "macros",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": "macros",
}
OTHER_DOCUMENTS = {
    "wordprocessingml": "a Word document",
    "spreadsheetml": "an Excel workbook",
    "ms-word": "a Word document",
    "ms-excel": "an Excel workbook",
}

_PKG = "http://schemas.openxmlformats.org/package/2006/"
_CT_NS = _PKG + "content-types"
_REL_NS = _PKG + "relationships"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
_OFFICE_DOC = _R_NS + "/officeDocument"
_SLIDE = _R_NS + "/slide"
_HYPERLINK = _R_NS + "/hyperlink"
_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_SECTIONS = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"  # the extension listing slide sections


@dataclass(frozen=True)
class TemplatePackage:
    data: bytes  # a .pptx package: open it with Presentation(io.BytesIO(data))
    warnings: tuple[str, ...] = ()
    kind: str = "presentation"  # what the file was: presentation | template | slide show
    samples: int = 0  # the template's own slides, removed


def open_template(path: Path, *, keep_external: bool = False) -> bytes:
    """The checked, cleaned package of the deck template ``path`` (see the module's notes)."""
    return load_template(path, keep_external=keep_external).data


def check_template(path: Path, *, keep_external: bool = False) -> list[str]:
    """Check ``path`` as :func:`open_template` does; return what is worth a warning."""
    return list(load_template(path, keep_external=keep_external).warnings)


def load_template(path: Path, *, keep_external: bool = False) -> TemplatePackage:
    try:
        info = os.stat(path)
        key = (os.path.realpath(path), info.st_size, info.st_mtime_ns, info.st_ino)
    except OSError:
        key = (str(path), -1, -1, -1)
    return _load(key, Path(path), keep_external)


@lru_cache(maxsize=4)
def _load(key: tuple, path: Path, keep_external: bool) -> TemplatePackage:
    shown = str(path)
    try:
        raw = read_bytes(path, shown, limit=MAX_TEMPLATE_BYTES)
    except FileError as exc:
        raise BuildError(f"deck template {exc.problem}") from None
    return normalise(raw, shown, keep_external=keep_external)


def normalise(raw: bytes, shown: str, *, keep_external: bool = False) -> TemplatePackage:
    """Check and clean the package ``raw`` (``shown`` names it in messages)."""
    fail = _failer(shown)
    if not raw:
        raise fail("the file is empty")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail("an old-format (.ppt) or password-protected PowerPoint file; save it as "
                   ".pptx without a password")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, IndexError) as exc:
        raise fail(f"not a PowerPoint file (.pptx or .potx): not a zip archive ({exc})") from None
    with archive:
        _check_archive(archive, fail)
        try:
            return _Package(archive, fail).clean(keep_external)
        except BuildError:
            raise
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError,
                RuntimeError, KeyError) as exc:
            raise fail(f"a damaged archive ({exc})") from None


def _failer(shown: str):
    def fail(message: str) -> BuildError:
        return BuildError(f"deck template {shown}: {message}")
    return fail


def _check_archive(archive: zipfile.ZipFile, fail) -> None:
    """Refuse an archive too large to unpack, before unpacking any of it."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise fail(f"{len(infos):,} parts, over the limit of {MAX_PARTS:,}")
    names: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in names:
            raise fail(f"two parts named '{info.filename}' (a damaged or crafted archive)")
        names.add(info.filename)
        if info.flag_bits & 0x1:
            raise fail("the archive is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise fail(f"part '{info.filename}' uses an unsupported compression method")
        if info.file_size > MAX_PART:
            raise fail(f"part '{info.filename}' unpacks to {info.file_size:,} bytes, over the "
                       f"limit of {MAX_PART:,}")
        if (info.file_size > RATIO_FROM
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            times = info.file_size // max(info.compress_size, 1)
            raise fail(f"part '{info.filename}' unpacks {times:,} times larger than it is "
                       "stored (a zip bomb?)")
        total += info.file_size
        if total > MAX_UNPACKED:
            raise fail(f"the archive unpacks to more than {MAX_UNPACKED:,} bytes")


def _parse(data: bytes, part: str, fail):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise fail(f"part '{part}' is not well-formed XML ({exc})") from None
    if root.getroottree().docinfo.doctype:
        raise fail(f"part '{part}' declares a document type; refusing it")
    return root


def _serialise(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels_name(part: str) -> str:
    """``/ppt/presentation.xml`` -> ``ppt/_rels/presentation.xml.rels`` (a zip member)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels").lstrip("/")


def _target(source: str, target: str) -> str:
    """A relationship's target as a part name (``/ppt/slides/slide1.xml``)."""
    if target.startswith("/"):
        return posixpath.normpath(target)
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


class _Package:
    def __init__(self, archive: zipfile.ZipFile, fail):
        self.archive = archive
        self.fail = fail
        self.members = {info.filename: info for info in archive.infolist()}
        self.changed: dict[str, bytes] = {}  # member -> new bytes
        self.warnings: list[str] = []

    def read(self, member: str) -> bytes:
        return self.changed.get(member) or self.archive.read(member)

    def xml(self, member: str):
        return _parse(self.read(member), member, self.fail)

    def clean(self, keep_external: bool) -> TemplatePackage:
        if "[Content_Types].xml" not in self.members or "_rels/.rels" not in self.members:
            raise self.fail("not a PowerPoint file (.pptx or .potx): no Office package parts "
                            "in the archive")
        types = self.xml("[Content_Types].xml")
        main = self._main_part()
        kind = self._content_type(types, main)
        if kind not in MAIN_TYPES:
            what = next((name for key, name in OTHER_DOCUMENTS.items() if key in kind),
                        "not a presentation")
            raise self.fail(f"not a PowerPoint presentation: {what} ({kind or 'no type'})")
        if main.lstrip("/") not in self.members:
            raise self.fail(f"a damaged presentation: its main part '{main}' is missing")
        samples = self._drop_slides(main)
        removed = self._drop_external(self._reachable(), keep_external)
        if removed:
            shown = ", ".join(sorted(set(removed))[:3]) + (", ..." if len(set(removed)) > 3
                                                           else "")
            self.warnings.append(
                f"the deck template links to {len(removed)} file(s) elsewhere ({shown}); the "
                "links were removed so decks do not fetch them (--keep-external-links keeps "
                "them)")
        kept = self._reachable()
        self._set_types(types, main, kept)
        if MAIN_TYPES[kind] == "macros":
            self.warnings.append("the deck template's macros were removed (a deck holds none)")
        shape = next(name for name in ("template", "slideshow", "presentation") if name in kind)
        return TemplatePackage(self._write(kept), tuple(self.warnings),
                               shape.replace("slideshow", "slide show"), samples)

    def _rels(self, part: str):
        """(member name of ``part``'s relationships, their XML) or (name, None)."""
        name = _rels_name(part) if part != "/" else "_rels/.rels"
        if name not in self.members:
            return name, None
        return name, self.xml(name)

    def _main_part(self) -> str:
        _, rels = self._rels("/")
        for rel in rels if rels is not None else []:
            if rel.get("Type") == _OFFICE_DOC and rel.get("TargetMode") != "External":
                return _target("/", rel.get("Target", ""))
        raise self.fail("not a PowerPoint presentation: the package names no main document")

    @staticmethod
    def _content_type(types, part: str) -> str:
        for override in types.iter(f"{{{_CT_NS}}}Override"):
            if override.get("PartName", "").lower() == part.lower():
                return override.get("ContentType", "")
        ext = part.rpartition(".")[2].lower()
        for default in types.iter(f"{{{_CT_NS}}}Default"):
            if default.get("Extension", "").lower() == ext:
                return default.get("ContentType", "")
        return ""

    def _drop_slides(self, main: str) -> int:
        """Remove the template's own slides from the slide list and their relationships
        (the slides' parts then go, unreachable, with what only they use), and its macros;
        return how many slides went."""
        rels_name, rels = self._rels(main)
        if rels is None:
            return 0
        dropped = {rel.get("Id") for rel in rels if rel.get("Type") in (_SLIDE, _VBA)}
        if not dropped:
            return 0
        slides = sum(1 for rel in rels if rel.get("Type") == _SLIDE)
        for rel in list(rels):
            if rel.get("Id") in dropped:
                rels.remove(rel)
        self.changed[rels_name] = _serialise(rels)
        pres = self.xml(main.lstrip("/"))
        for tag in ("sldIdLst", "custShowLst"):
            for found in pres.findall(f"{{{_P_NS}}}{tag}"):
                for child in list(found):
                    found.remove(child)
        for ext in pres.iter(f"{{{_P_NS}}}ext"):
            if ext.get("uri") == _SECTIONS:
                ext.getparent().remove(ext)
        self.changed[main.lstrip("/")] = _serialise(pres)
        return slides

    def _drop_external(self, kept: list[str], keep: bool) -> list[str]:
        """Remove relationships to outside files (but hyperlinks) and the references to them."""
        if keep:
            return []
        removed: list[str] = []
        for member in [m for m in kept if m.endswith(".rels")]:
            rels = self.xml(member)
            gone = [rel for rel in rels if rel.get("TargetMode") == "External"
                    and rel.get("Type") != _HYPERLINK]
            if not gone:
                continue
            for rel in gone:
                rels.remove(rel)
                removed.append(rel.get("Target", "?")[:80])
            self.changed[member] = _serialise(rels)
            source = self._source_of(member)
            if source and source in self.members:
                self._scrub(source, {rel.get("Id") for rel in gone})
        return removed

    @staticmethod
    def _source_of(rels_member: str) -> str:
        folder, name = posixpath.split(rels_member)
        if posixpath.basename(folder) != "_rels":
            return ""
        return posixpath.join(posixpath.dirname(folder), name.removesuffix(".rels"))

    def _scrub(self, member: str, ids: set[str]) -> None:
        """Drop attributes of ``member`` that name a removed relationship."""
        if not member.endswith(".xml"):
            return
        root = self.xml(member)
        touched = False
        for element in root.iter():
            for attr, value in list(element.attrib.items()):
                if attr.startswith(f"{{{_R_NS}}}") and value in ids:
                    del element.attrib[attr]
                    touched = True
        if touched:
            self.changed[member] = _serialise(root)

    def _reachable(self) -> list[str]:
        """Every member reachable from the package's relationships, in archive order."""
        keep = {"[Content_Types].xml"}
        todo = ["/"]
        seen = {"/"}
        while todo:
            part = todo.pop()
            rels_name, rels = self._rels(part)
            if rels is None:
                continue
            keep.add(rels_name)
            for rel in rels:
                if rel.get("TargetMode") == "External":
                    continue
                target = _target(part, rel.get("Target", ""))
                if target in seen:
                    continue
                seen.add(target)
                member = target.lstrip("/")
                if member not in self.members:
                    raise self.fail(f"a damaged presentation: part '{member}' (named in "
                                    f"'{rels_name}') is missing")
                keep.add(member)
                todo.append(target)
        return [m for m in self.members if m in keep]

    def _set_types(self, types, main: str, kept: list[str]) -> None:
        """The main part typed as a presentation; no type listed for a part that went."""
        present = {"/" + m.lower() for m in kept}
        for override in list(types.iter(f"{{{_CT_NS}}}Override")):
            name = override.get("PartName", "")
            if name.lower() == main.lower():
                override.set("ContentType", PRESENTATION)
            elif name.lower() not in present:
                types.remove(override)
        if not any(o.get("PartName", "").lower() == main.lower()
                   for o in types.iter(f"{{{_CT_NS}}}Override")):
            from lxml import etree

            etree.SubElement(types, f"{{{_CT_NS}}}Override", PartName=main,
                             ContentType=PRESENTATION)
        self.changed["[Content_Types].xml"] = _serialise(types)

    def _write(self, kept: list[str]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for member in kept:
                info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                dst.writestr(info, self.read(member))
        return out.getvalue()
