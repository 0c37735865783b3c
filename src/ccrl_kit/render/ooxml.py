"""Office Open XML packages (pptx, docx, xlsx) made byte-for-byte reproducible."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def normalise_package(data: bytes, timestamp: dt.datetime) -> bytes:
    """Rewrite a package with fixed entry times and property dates, so equal input gives equal
    bytes. Embedded packages (a chart's workbook) are rewritten the same way."""
    stamp = max(timestamp, dt.datetime(1980, 1, 1))
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename.endswith((".xlsx", ".docx", ".pptx")):
                content = normalise_package(content, timestamp)
            elif info.filename == "docProps/core.xml":
                content = _W3CDTF.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


@contextmanager
def fixed_pptx_zip(timestamp: dt.datetime) -> Iterator[None]:
    """While active, python-pptx writes zip entries stamped ``timestamp`` (instead of now), so
    a saved deck needs no second pass through :func:`normalise_package`."""
    from pptx.opc import serialized

    stamp = max(timestamp, dt.datetime(1980, 1, 1)).timetuple()[:6]

    class Writer(serialized._ZipPkgWriter):
        def write(self, pack_uri, blob: bytes) -> None:
            if pack_uri.membername.endswith(".xlsx"):
                blob = normalise_package(blob, timestamp)
            entry = zipfile.ZipInfo(pack_uri.membername, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            self._zipf.writestr(entry, blob)

    with mock.patch.object(serialized._PhysPkgWriter, "factory",
                           classmethod(lambda cls, pkg_file: Writer(pkg_file))):
        yield
