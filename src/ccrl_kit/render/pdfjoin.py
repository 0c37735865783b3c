"""Join PDFs that Typst made from one template, page after page, into one tagged PDF.

Typst keeps every page of a document in memory until it writes the PDF (some 20 KiB a page
even when a page holds one line), so ten thousand certificates are typeset a thousand at a
time and joined here. The parts come from the same template and fonts, so they share their
shape: a catalog, one flat page tree, a structure tree with one Document element whose
parent tree is one flat number list. The join keeps the first part's catalog, metadata and
identifier, appends the other parts' pages and structure elements to its own (their
StructParents keys moved on), and stores once every object that is the same in several
parts (the finished page every certificate shows, its fonts, the resources of each page).
Anything of another shape raises :class:`CannotJoin`, and the caller typesets the document
in one piece instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_REF = re.compile(rb"(?<![\d.])(\d+) 0 R")
_HEX_STRING = re.compile(rb"(?<!<)<(?!<)")  # a "<" that does not open a dictionary
_STRUCT_PARENT = re.compile(rb"/StructParents? (\d+)")
# what a part's catalog may hold: anything more (outlines, names, page labels) is not joined
_CATALOG_KEYS = {b"Type", b"Pages", b"Metadata", b"Lang", b"StructTreeRoot", b"MarkInfo",
                 b"ViewerPreferences"}
# objects that point back at their parents: never merged with another, kept as they are
_TREE = re.compile(rb"/Type\s*/(Pages?|StructElem|StructTreeRoot|Catalog|Annot|OBJR)\b")


class CannotJoin(Exception):
    """The parts are not of the shape this module joins."""


class _Part:
    """One PDF as its objects: number -> (head, stream) where ``head`` is the object's
    dictionary or value with its references, and ``stream`` the raw stream bytes or None."""

    def __init__(self, pdf: bytes):
        start = int(pdf[pdf.rindex(b"startxref") + 9:].split()[0])
        if not pdf.startswith(b"xref", start):
            raise CannotJoin("no classic cross-reference table")
        lines = pdf[start:].split(b"\n", 3)
        first, count = map(int, lines[1].split())
        table = pdf[start + len(lines[0]) + len(lines[1]) + 2:]
        offsets = {}
        for i in range(count):
            entry = table[i * 20:i * 20 + 20]
            if entry[17:18] == b"n":
                offsets[first + i] = int(entry[:10])
        trailer = pdf[pdf.index(b"trailer", start):]
        self.root = _ref(trailer, b"Root")
        self.info = _ref(trailer, b"Info")
        found = re.search(rb"/ID\s*(\[[^\]]*\])", trailer)
        self.id = found.group(1) if found else b""
        ends = [*sorted(offsets.values()), start]
        order = sorted(offsets, key=offsets.__getitem__)
        self.objects: dict[int, tuple[bytes, bytes | None]] = {}
        for number, end in zip(order, ends[1:], strict=True):
            chunk = pdf[offsets[number]:end]
            head_at = chunk.index(b"obj") + 3
            body = chunk[head_at:chunk.rindex(b"endobj")].strip(b"\r\n ")
            self.objects[number] = _split_stream(body)
        catalog = self.objects[self.root][0]
        keys = _top_keys(catalog)
        if not keys <= _CATALOG_KEYS:
            raise CannotJoin(f"catalog holds {sorted(keys - _CATALOG_KEYS)}")
        self.pages = _ref(catalog, b"Pages")
        self.metadata = _ref(catalog, b"Metadata", required=False)
        self.struct = _ref(catalog, b"StructTreeRoot")
        pages = self.objects[self.pages][0]
        self.kids = _refs(_array(pages, b"Kids"))
        if any(b"/Type/Pages" in self.objects[k][0] for k in self.kids):
            raise CannotJoin("a nested page tree")
        struct = self.objects[self.struct][0]
        if re.search(rb"/(IDTree|ClassMap|ParentTree \d)", struct):
            raise CannotJoin("a structure tree with more than a flat parent tree")
        top = _refs(_array(struct, b"K"))
        if len(top) != 1:
            raise CannotJoin("a structure tree without one Document element")
        self.document = top[0]
        self.elements = _refs(_array(self.objects[self.document][0], b"K"))
        nums = _array(struct, b"Nums").split()
        self.nums = [(int(nums[i]), int(nums[i + 1]))
                     for i in range(0, len(nums), 4)]  # key, object (as "n 0 R")
        if len(nums) != 4 * len(self.nums):
            raise CannotJoin("a parent tree with direct values")
        next_key = re.search(rb"/ParentTreeNextKey (\d+)", struct)
        if next_key is None:
            raise CannotJoin("a parent tree without /ParentTreeNextKey")
        self.next_key = int(next_key.group(1))


def join(pdfs: Iterable[bytes]) -> bytes:
    """One PDF holding the pages of ``pdfs`` in order (see the module's description). The
    parts are read one at a time, so ``pdfs`` may make each when it is asked for."""
    out = _Writer()
    base: _Part | None = None
    kids: list[int] = []
    elements: list[int] = []
    nums: list[tuple[int, int]] = []
    key = 0
    for pdf in pdfs:
        part = _Part(pdf)
        del pdf
        if base is None:  # the first part gives the catalog, the page tree, the structure root
            base = part
            new = out.add(part, {}, set(), 0, hold={part.pages, part.struct, part.document})
            trees = {n: new[n] for n in out.held}
            root, info = new[part.root], new.get(part.info, 0)
        else:
            fixed = {part.pages: trees[base.pages], part.struct: trees[base.struct],
                     part.document: trees[base.document]}
            new = out.add(part, fixed, {part.root, part.info, part.metadata, *fixed}, key,
                          hold=set())
        kids += [new[k] for k in part.kids]
        elements += [new[e] for e in part.elements]
        nums += [(k + key, new[n]) for k, n in part.nums]
        key += part.next_key
    if base is None:
        raise CannotJoin("nothing to join")
    pages = _replace(out.held[base.pages], b"Kids", b"[" + _list(kids) + b"]")
    out.write(trees[base.pages], _replace(pages, b"Count", b"%d" % len(kids)), None)
    out.write(trees[base.document], _replace(out.held[base.document], b"K",
                                             b"[" + _list(elements) + b"]"), None)
    struct = _replace(out.held[base.struct], b"Nums",
                      b"[" + b" ".join(b"%d %d 0 R" % pair for pair in nums) + b"]")
    out.write(trees[base.struct], _replace(struct, b"ParentTreeNextKey", b"%d" % key), None)
    return out.finish(root, info, base.id)


class _Writer:
    """The joined PDF as it is written: each object once, numbered in the order written."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = [b"%PDF-1.7\n%\x80\x80\x80\x80\n\n"]
        self.size = len(self.pieces[0])
        self.offsets: dict[int, int] = {}
        self.count = 0
        self.seen: dict[bytes, int] = {}  # an object's digest -> its number
        self.held: dict[int, bytes] = {}  # objects the caller finishes: their text so far

    def reserve(self) -> int:
        self.count += 1
        return self.count

    def write(self, number: int, head: bytes, stream: bytes | None) -> None:
        if stream is None:
            piece = b"%d 0 obj\n%s\nendobj\n" % (number, head)
        else:
            piece = b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, head, stream)
        self.offsets[number] = self.size
        self.pieces.append(piece)
        self.size += len(piece)

    def add(self, part: _Part, fixed: dict[int, int], skip: set[int], key: int,
            hold: set[int]) -> dict[int, int]:
        """Write a part's objects but ``skip``, the objects in ``fixed`` being numbered
        already; an object equal to one written before is not written again, and those in
        ``hold`` are numbered but left in :attr:`held` for the caller to finish and write.
        Returns the new number of each object."""
        objects = part.objects
        new = dict(fixed)
        kept = [n for n in sorted(objects) if n not in skip and n not in new
                and _TREE.search(objects[n][0])]
        for n in kept:  # objects that point back at their parents are numbered first
            new[n] = self.reserve()

        def text(head: bytes) -> bytes:
            if b" R" in head:
                head = _outside_strings(head, lambda t: _REF.sub(
                    lambda m: b"%d 0 R" % number_of(int(m.group(1))), t))
            if key and b"/StructParent" in head:
                head = _STRUCT_PARENT.sub(lambda m: m.group(0)[:-len(m.group(1))] + b"%d" % (
                    int(m.group(1)) + key), head)
            return head

        trail: set[int] = set()

        def number_of(n: int) -> int:
            if n in new:
                return new[n]
            if n not in objects or n in skip:
                raise CannotJoin(f"a reference to object {n}, which is not joined")
            if n in trail:
                raise CannotJoin("objects that refer to each other")
            trail.add(n)
            head, stream = objects[n]
            head = text(head)
            trail.discard(n)
            digest = hashlib.sha256(head + b"\0" + (stream or b"")).digest() + (
                b"s" if stream is not None else b"v")
            found = self.seen.get(digest)
            if found is None:
                found = self.seen[digest] = self.reserve()
                self.write(found, head, stream)
            new[n] = found
            return found

        for n in sorted(objects):
            if n not in skip and n not in new:
                number_of(n)
        for n in kept:
            if n in hold:
                self.held[n] = text(objects[n][0])
            else:
                self.write(new[n], text(objects[n][0]), objects[n][1])
        return new

    def finish(self, root: int, info: int, ident: bytes) -> bytes:
        xref = [b"xref\n0 %d\n0000000000 65535 f\r\n" % (self.count + 1)]
        xref += [b"%010d 00000 n\r\n" % self.offsets[n] for n in range(1, self.count + 1)]
        trailer = b"trailer\n<</Size %d/Root %d 0 R" % (self.count + 1, root)
        if info:
            trailer += b"/Info %d 0 R" % info
        if ident:
            trailer += b"/ID" + ident
        return b"".join([*self.pieces, *xref,
                         trailer + b">>\nstartxref\n%d\n%%%%EOF" % self.size])


# ---------------------------------------------------------------------------------------------
# Reading


def _split_stream(body: bytes) -> tuple[bytes, bytes | None]:
    """An object's value, and its stream's bytes if it has one."""
    at = _stream_keyword(body)
    if at < 0:
        return body, None
    data = body[at + 6:]
    data = data[2:] if data.startswith(b"\r\n") else data[1:]
    end = data.rindex(b"endstream")
    return body[:at].rstrip(b"\r\n "), data[:end].removesuffix(b"\n").removesuffix(b"\r")


def _stream_keyword(body: bytes) -> int:
    """Where the keyword ``stream`` starts after an object's dictionary, or -1."""
    quick = body.find(b"stream")
    if quick < 0:
        return -1
    if b"(" not in body[:quick]:  # no string before it that could hold the word
        return quick
    depth = 0
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c == 0x28:  # (
            i = _string_end(body, i)
            continue
        if body.startswith(b"<<", i):
            depth += 1
            i += 2
            continue
        if body.startswith(b">>", i):
            depth -= 1
            i += 2
            continue
        if c == 0x3C:  # < a hex string
            i = body.index(b">", i) + 1
            continue
        if depth == 0 and body.startswith(b"stream", i):
            return i
        i += 1
    return -1


def _string_end(data: bytes, i: int) -> int:
    """The index just after the literal string that opens at ``data[i]``."""
    depth = 0
    while True:
        c = data[i]
        if c == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def _outside_strings(head: bytes, change) -> bytes:
    """``change`` applied to the parts of ``head`` that are not strings."""
    if b"(" not in head and not _HEX_STRING.search(head):
        return change(head)
    out, last, i = [], 0, 0
    while i < len(head):
        if head[i] == 0x28:
            end = _string_end(head, i)
        elif head[i] == 0x3C and not head.startswith(b"<<", i) and (
                i == 0 or head[i - 1] != 0x3C):
            end = head.index(b">", i) + 1
        else:
            i += 1
            continue
        out += [change(head[last:i]), head[i:end]]
        last = i = end
    out.append(change(head[last:]))
    return b"".join(out)


def _top_keys(head: bytes) -> set[bytes]:
    """The keys of a dictionary's top level."""
    if not (head.startswith(b"<<") and head.endswith(b">>")):
        raise CannotJoin("a catalog that is not a dictionary")
    tokens = []
    body = head[2:-2]
    i = 0
    while i < len(body):
        if body[i] in b" \r\n\t":
            i += 1
            continue
        end = _skip(body, i)
        tokens.append(body[i:end])
        i = end
    keys, i = set(), 0
    while i < len(tokens):
        if not tokens[i].startswith(b"/"):
            raise CannotJoin("a catalog that cannot be read")
        keys.add(tokens[i][1:])
        i += 4 if i + 3 < len(tokens) + 1 and tokens[i + 3:i + 4] == [b"R"] else 2
    return keys


_DELIMITERS = b" \r\n\t/<>[]()"


def _skip(data: bytes, i: int) -> int:
    """The index just after the PDF token or object that starts at ``data[i]``."""
    if data.startswith(b"<<", i) or data[i] == 0x5B:  # a dictionary or an array
        closing = b">>" if data[i] == 0x3C else b"]"
        i += len(closing)
        while not data.startswith(closing, i):
            if data[i] in b" \r\n\t":
                i += 1
            else:
                i = _skip(data, i)
        return i + len(closing)
    if data[i] == 0x28:
        return _string_end(data, i)
    if data[i] == 0x3C:
        return data.index(b">", i) + 1
    j = i + 1
    while j < len(data) and data[j] not in _DELIMITERS:
        j += 1
    return j


def _ref(head: bytes, key: bytes, *, required: bool = True) -> int:
    found = re.search(rb"/" + key + rb"\s*(\d+) 0 R", head)
    if found is None:
        if required:
            raise CannotJoin(f"no /{key.decode()}")
        return -1
    return int(found.group(1))


def _array(head: bytes, key: bytes) -> bytes:
    found = re.search(rb"/" + key + rb"\s*\[([^\]\[()<>]*)\]", head)
    if found is None:
        raise CannotJoin(f"no plain /{key.decode()} array")
    return found.group(1)


def _refs(text: bytes) -> list[int]:
    refs = [int(x) for x in _REF.findall(text)]
    if len(refs) * 3 != len(text.split()):
        raise CannotJoin("an array of more than references")
    return refs


def _list(numbers: list[int]) -> bytes:
    return b" ".join(b"%d 0 R" % n for n in numbers)


def _replace(head: bytes, key: bytes, value: bytes) -> bytes:
    pattern = re.compile(rb"/" + key + rb"\s*(\[[^\]]*\]|\d+)")
    head, count = pattern.subn(lambda _: b"/" + key + b" " + value, head, count=1)
    if not count:
        raise CannotJoin(f"no /{key.decode()} to replace")
    return head
