"""Stage 1, load: YAML text -> plain Python data, with the line and column of every node.

PyYAML's own constructors are not used: they keep the last of two duplicate keys, expand
aliases without limit, read ``9:30`` as a base-60 integer and ``no`` as ``False``. This loader
composes the node graph with the safe composer and builds plain data itself, so every one of
those traps becomes a clear :class:`~ccrl_kit.errors.Problem` instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ccrl_kit.errors import Problem
from ccrl_kit.files import (
    FileError,
    check_text,
    decode,
    position,
    read_bytes,
    unsafe_char,
    unsafe_message,
)

# libyaml's parser when PyYAML has it (ten times faster); it keeps marks the same way
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]

_STANDARD = "tag:yaml.org,2002:"
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@dataclass
class Document:
    """A loaded YAML file: its data, and its node tree to say where any value came from."""

    file: str  # path as shown to the user (relative to the workspace)
    data: Any
    root: yaml.Node | None = field(default=None, repr=False)
    # what later stages derive from this document alone (its validated model): kept with it,
    # so a document loaded again from the same bytes is not validated again
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the deepest node on ``path`` (of the key itself if ``key``).

        Positions are looked up only when a message needs one, so loading stays cheap.
        """
        if self.root is None:
            return (1, 1)
        node: yaml.Node = self.root
        for n, part in enumerate(path):
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        if key and n == len(path) - 1:
                            return _mark(key_node)
                        child = value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                child = node.value[part] if 0 <= part < len(node.value) else None
            if child is None:
                break
            node = child
        return _mark(node)

    def __getstate__(self) -> dict:
        return {"file": self.file, "data": self.data, "root": None, "memo": {}}  # stay home


class LoadError(FileError):
    """Internal: a problem that stops loading one file."""


# the last document loaded from each file, with the bytes it was parsed from: a long-lived
# process (ccrl preview, ccrl watch) parses again only the files whose bytes changed
_loaded: dict[tuple[str, str], tuple[bytes, Document]] = {}


def load_file(path: Path, shown: str, *, inside: Path | None = None) -> Document:
    """Load one YAML file (read under the rule of :mod:`ccrl_kit.files`, ``inside``
    the workspace); raise :class:`LoadError` with a positioned problem if it is unusable.

    The file is read every time; the same bytes under the same names give the same
    :class:`Document` as before (treat it as read-only), any other bytes a new one."""
    try:
        raw = read_bytes(path, shown, inside=inside, limit=MAX_FILE_BYTES)
    except FileError as exc:
        raise LoadError(exc.problem) from None
    key = (str(Path(path).absolute()), shown)
    known = _loaded.get(key)
    if known is not None and known[0] == raw:
        return known[1]
    _loaded.pop(key, None)
    try:
        doc = load_text(decode(raw, shown), shown)
    except FileError as exc:
        raise LoadError(exc.problem) from None
    _loaded[key] = (raw, doc)
    return doc


def load_text(text: str, shown: str) -> Document:
    """Parse YAML ``text``; ``shown`` names the file in messages."""
    try:
        check_text(text, shown)
    except FileError as exc:
        raise LoadError(exc.problem) from None
    _check_tabs(text, shown)
    loader = None
    try:
        loader = _Loader(text)
        root = loader.get_single_node()
    except RecursionError:  # PyYAML's own parser recurses once per level of nesting
        raise LoadError(Problem(shown, 1, 1, message=(
            f"nesting deeper than {MAX_DEPTH} levels"))) from None
    except yaml.reader.ReaderError as exc:
        index = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts bytes, not characters
            index = len(text.encode("utf-8")[:index].decode("utf-8", "ignore"))
        line, col = position(text, index)
        raise LoadError(Problem(shown, line, col, message=(
            f"character U+{exc.character:04X} is not allowed in YAML; remove it"))) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc):
            msg = "only one YAML document per file (remove the '---' separator)"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise LoadError(Problem(shown, line, col, message=f"YAML syntax error: {msg}")) from None
    except yaml.YAMLError as exc:
        raise LoadError(Problem(shown, message=f"YAML syntax error: {exc}")) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise LoadError(Problem(shown, message="file is empty"))
    total = _size(root, {}, set(), 0) if "*" in text else 0  # only aliases can blow up
    if total > MAX_NODES:
        raise _fail(Document(shown, None), root, (
            f"file expands to more than {MAX_NODES:,} values "
            "(deeply nested YAML aliases?); refusing to load it"))
    doc = Document(shown, None, root)
    counter = [0]
    doc.data = _build(root, doc, counter, 0)
    if not isinstance(doc.data, dict):
        line, col = root.start_mark.line + 1, root.start_mark.column + 1
        message = "the file must be a mapping of field: value"
        raise LoadError(Problem(shown, line, col, message=message))
    return doc


_TAB_INDENT = re.compile(r"^[ \t]*\t", re.MULTILINE)


def _check_tabs(text: str, shown: str) -> None:
    found = _TAB_INDENT.search(text)
    if found:
        line, _ = position(text, found.start())
        raise LoadError(Problem(shown, line, found.end() - found.start(), message=(
            "tab character in indentation; YAML indents with spaces only")))


def _size(node: yaml.Node, memo: dict[int, int], active: set[int], depth: int) -> int:
    """How many values ``node`` expands to, counting each alias use; linear in distinct nodes.
    Below ``MAX_DEPTH`` nothing is counted: building the data refuses that nesting."""
    key = id(node)
    if key in memo:
        return memo[key]
    if depth > MAX_DEPTH:
        return 0
    if key in active:
        return MAX_NODES + 1  # a recursive alias expands without end
    active.add(key)
    total = 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            total += _size(k, memo, active, depth + 1) + _size(v, memo, active, depth + 1)
            if total > MAX_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            total += _size(item, memo, active, depth + 1)
            if total > MAX_NODES:
                break
    active.discard(key)
    memo[key] = total
    return total


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _fail(doc: Document, node: yaml.Node, message: str) -> LoadError:
    line, col = _mark(node)
    return LoadError(Problem(doc.file, line, col, message=message))


def _build(node: yaml.Node, doc: Document, counter: list[int], depth: int) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _fail(doc, node, (
            f"file expands to more than {MAX_NODES:,} values (deeply nested YAML aliases?); "
            "refusing to load it"))
    if depth > MAX_DEPTH:
        raise _fail(doc, node, f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(node, yaml.MappingNode):
        _require_tag(node, "map", doc)
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STANDARD + "merge":
                raise _fail(doc, key_node, "YAML merge keys ('<<') are not supported")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail(doc, key_node, "a key must be plain text")
            key = str(key_node.value)
            _check_chars(key, key_node, doc)
            if key in first_seen:
                raise _fail(doc, key_node, (
                    f"duplicate key '{key}' (first given on line {first_seen[key]})"))
            first_seen[key] = key_node.start_mark.line + 1
            result[key] = _build(value_node, doc, counter, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        _require_tag(node, "seq", doc)
        return [_build(item, doc, counter, depth + 1) for item in node.value]
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, doc)
    raise _fail(doc, node, f"an unexpected YAML node ({type(node).__name__})")


def _require_tag(node: yaml.Node, kind: str, doc: Document) -> None:
    if node.tag != _STANDARD + kind:
        raise _bad_tag(doc, node)


def _bad_tag(doc: Document, node: yaml.Node) -> LoadError:
    shown = node.tag.replace(_STANDARD, "!!")
    return _fail(doc, node, f"YAML tag '{shown}' is not allowed (tags that build objects are "
                            "refused)")


def _check_chars(value: str, node: yaml.Node, doc: Document) -> None:
    """Refuse a character no text may hold that an escape (``"\\e"``) put in a value."""
    char = unsafe_char(value)
    if char is not None:
        raise _fail(doc, node, unsafe_message(char) + " (written as an escape)")


def _scalar(node: yaml.ScalarNode, doc: Document) -> Any:
    value: str = node.value
    _check_chars(value, node, doc)
    tag = node.tag
    if tag == _STANDARD + "str" or node.style in ("'", '"', "|", ">"):
        if tag not in (_STANDARD + "str",) and not tag.startswith(_STANDARD):
            raise _bad_tag(doc, node)
        return value
    if not tag.startswith(_STANDARD) or tag.removeprefix(_STANDARD) not in {
        "null", "bool", "int", "float", "timestamp", "str",
    }:
        raise _bad_tag(doc, node)
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        if len(value) > 30:  # far beyond any count of minutes, and slow to convert
            raise _fail(doc, node, f"number with {len(value)} digits is too large")
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _fail(doc, node, f"'{value}' is not a valid date") from None
    return value
