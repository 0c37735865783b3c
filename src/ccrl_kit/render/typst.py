"""Render a document plan as PDF with Typst.

The plan reaches Typst as JSON data (``sys.inputs.plan``), read by the template
``<kind>.typ``: content is never parsed as Typst markup. The template's folder is Typst's root,
so Typst reads nothing outside it; fonts come only from the template fonts folder (no system
fonts); images are handed over as bytes after they have been checked; Typst packages are taken
from ``packages/`` in the template folder and never downloaded. The PDF is tagged (PDF/UA-1
where the template allows it), titled, in the document's language, and stamped with the build
time, so equal input gives equal bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path

from ccrl_kit.errors import BuildError
from ccrl_kit.pictures import typst_has_run, typst_runs
from ccrl_kit.plan import blocks as b
from ccrl_kit.plan.certificates import CertificatePlan
from ccrl_kit.render.assets import qr_svg, read_image
from ccrl_kit.render.pdfjoin import CannotJoin, join
from ccrl_kit.render.templates import check_folder, locate

PACKAGES = "packages"  # vendored Typst packages: packages/<namespace>/<name>/<version>/
_PROXIES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
_NO_PROXY = ("NO_PROXY", "no_proxy")
_DEAD_PROXY = "http://127.0.0.1:9"  # nothing listens there: a download fails at once


def render_pdf(plan: b.Document | CertificatePlan, search: list[Path],
               timestamp: dt.datetime, *, root: Path | None = None) -> bytes:
    """Typeset ``plan`` with the template ``<plan.kind>.typ`` from the template search path;
    its images are read from inside ``root`` (the workspace)."""
    if isinstance(plan, CertificatePlan):
        return _certificates(plan, _typesetter(plan.kind, search, timestamp), root)
    return pdf_later(plan, search, timestamp, root=root)()


@dataclasses.dataclass(frozen=True)
class Typesetting:
    """A document's PDF with everything Typst needs, to typeset where memory allows: a
    parallel build runs it in a small process of its own (a long guide takes Typst over
    100 MiB, which a worker that planned and drew the deck would add to its own)."""

    typeset: _Typesetter
    inputs: dict[str, str]

    def __call__(self) -> bytes:
        return self.typeset(self.inputs)


def pdf_later(plan: b.Document, search: list[Path], timestamp: dt.datetime, *,
              root: Path | None = None) -> Typesetting:
    """What :func:`render_pdf` does for ``plan``, up to the typesetting itself."""
    return Typesetting(_typesetter(plan.kind, search, timestamp), {"plan": _json(plan, root)})


def _typesetter(kind: str, search: list[Path], timestamp: dt.datetime) -> _Typesetter:
    name = f"{kind}.typ"
    found = locate(search, name)
    if found is None:
        raise BuildError(f"template '{name}' not found in: {', '.join(map(str, search))}")
    folder, main = found
    check_folder(folder)
    return _Typesetter(name, folder, main, _font_folder(folder, search), timestamp)


CERTIFICATES_AT_ONCE = 1000  # names typeset in one piece (Typst's memory grows with pages)


def _certificates(plan: CertificatePlan, typeset: _Typesetter, root: Path | None) -> bytes:
    """The page without a name is set once, then placed under each name (see the template),
    a thousand names at a time; the parts are joined into one PDF."""
    page = json.dumps(list(typeset({"plan": _json(dataclasses.replace(plan, names=()), root),
                                    "stage": "page"})))
    step = CERTIFICATES_AT_ONCE

    def parts() -> Iterator[bytes]:
        for first in range(0, len(plan.names), step):
            part = dataclasses.replace(plan, names=plan.names[first:first + step],
                                       name_pt=plan.name_pt[first:first + step])
            pdf = typeset({"plan": _json(part, root), "page": page, "first": str(first)},
                          ua=False)
            if len(plan.names) > step:
                _forget()
            yield pdf

    try:
        return join(parts())
    except CannotJoin:  # a custom template of another shape: typeset in one piece
        return typeset({"plan": _json(plan, root), "page": page, "first": "0"}, ua=False)


def _forget() -> None:
    """Free what Typst remembers of the last compilation: it keeps each layout it made until
    ten later compilations have not used it, so ten empty ones release a part's pages."""
    import typst

    nothing = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False)
    for _ in range(10):
        typst.compile(b"", font_paths=nothing)


def has_run() -> bool:
    """Whether Typst has typeset anything in this process. Such a process must not fork
    workers: Typst's threads do not exist in a forked child, whose first compile would then
    wait for them forever."""
    return typst_has_run()


def _json(plan, root: Path | None = None) -> str:
    return json.dumps(to_data(plan, root), ensure_ascii=False, separators=(",", ":"))


class _Typesetter:
    """One template, compiled with the plan's data: offline, with the template's fonts only."""

    def __init__(self, name: str, root: Path, main: Path, fonts: Path, timestamp: dt.datetime):
        self.name, self.root, self.main, self.font_folder = name, root, main, fonts
        self.stamp = int(timestamp.replace(tzinfo=dt.timezone.utc).timestamp())

    def __call__(self, inputs: dict[str, str], *, ua: bool = True) -> bytes:
        import typst

        typst_runs()
        options = dict(root=str(self.root), font_paths=_fonts(self.font_folder),
                       sys_inputs=inputs, timestamp=self.stamp,
                       package_path=str(self.root / PACKAGES),
                       package_cache_path=str(self.root / PACKAGES))
        with _offline():
            try:
                try:
                    pdf, warnings = typst.compile_with_warnings(
                        str(self.main), pdf_standards=["ua-1"] if ua else [], **options)
                except typst.TypstError as exc:
                    if not ua or "PDF/UA" not in str(exc):
                        raise
                    # a custom template that cannot meet PDF/UA-1: still tagged, not claimed
                    pdf, warnings = typst.compile_with_warnings(str(self.main), **options)
            except typst.TypstError as exc:
                raise BuildError(typst_message(exc, self.name, self.root)) from None
        for warning in warnings:
            if "unknown font family" in warning.message:
                raise BuildError(f"template {self.name}: {warning.message}: the fonts come "
                                 f"only from {self.font_folder}")
        return pdf


def _font_folder(root: Path, search: list[Path]) -> Path:
    for folder in (root, *search):
        if (folder / "fonts").is_dir():
            return folder / "fonts"
    raise BuildError(f"no fonts/ folder on the template path: {', '.join(map(str, search))}")


@lru_cache(maxsize=4)
def _fonts(folder: Path):
    """The fonts of ``folder`` only: neither the system's fonts nor Typst's own."""
    import typst

    check_folder(folder)
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=[str(folder)])


@contextmanager
def _offline() -> Iterator[None]:
    """While Typst runs, any download it tries (a package import) goes to a proxy that is
    not there, so it fails at once instead of reaching the network."""
    saved = {k: os.environ.get(k) for k in (*_PROXIES, *_NO_PROXY)}
    try:
        for key in _PROXIES:
            os.environ[key] = _DEAD_PROXY
        for key in _NO_PROXY:
            os.environ.pop(key, None)
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


_WHERE = re.compile(r"┌─ (?P<file>[^\n]+?):(?P<line>\d+):(?P<col>\d+)")


def typst_message(exc, name: str, root: Path) -> str:
    """One line for a Typst error: the template file, line and column, and what went wrong."""
    message = " ".join(str(getattr(exc, "message", "") or exc).split())
    where = _WHERE.search(getattr(exc, "diagnostic", "") or "")
    place = name
    if where:
        file = Path(where["file"].strip())
        try:  # Typst shows the file relative to the working folder
            file = (Path.cwd() / file).resolve().relative_to(root.resolve())
        except (ValueError, OSError):
            file = Path(file.name)
        place = f"{file}:{where['line']}:{where['col']}"
    if "download package" in message or "package not found" in message:
        return (f"template {place}: imports a Typst package that is not in "
                f"{root / PACKAGES}; packages are never downloaded: copy the package there "
                "(packages/<namespace>/<name>/<version>/) to use it")
    if "escape the project root" in message or "file not found" in message or (
            "access denied" in message):
        return (f"template {place}: reads a file outside its folder {root} or one that does "
                "not exist; a template can read only files inside its own folder")
    return f"template {place}: {message}"


# ---------------------------------------------------------------------------------------------
# The plan as data


def to_data(value, root: Path | None = None):
    """``value`` as JSON-ready data: blocks carry their ``type``, images their bytes and
    format (read from inside ``root``), links their QR code (SVG), the brand its logo."""
    if isinstance(value, tuple | list):
        return [to_data(x, root) for x in value]
    # a class is hashable; mypy checks the protocol against its instances' __hash__
    names = _fields(type(value))  # type: ignore[arg-type]
    if names is None:
        return value
    if isinstance(value, b.Brand):
        data = {name: getattr(value, name) for name in names}
        data["logo_image"], data["logo_format"] = None, ""
        if value.logo:
            image = read_image(value.logo, root)
            data["logo_image"], data["logo_format"] = list(image.data), image.format
        return data
    data = {name: to_data(getattr(value, name), root) for name in names}
    data["type"] = b.type_name(value)
    if isinstance(value, b.Figure):
        image = read_image(value.path, root)
        data["image"], data["format"] = list(image.data), image.format
    elif isinstance(value, b.Link):
        data["qr"] = qr_svg(value.url)
    return data


@cache
def _fields(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass, None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind))
