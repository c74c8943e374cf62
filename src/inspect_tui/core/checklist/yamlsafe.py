"""Reading untrusted YAML: safe, bounded, and with a line and column for every value.

A checklist or an answers file comes from whoever edited it. We read it with PyYAML's safe
machinery (never `yaml.load` with a full loader) and compose it into nodes rather than Python
objects so that every later message can point at `FILE:LINE:COL`. Where LibYAML is there, its C
scanner and parser turn the text into events (20× faster: opening a session parses its frozen
checklist), but the nodes are composed by PyYAML's Python `Composer`, depth-bounded here — never
by the C composer, which recurses in C without a bound. Aliases are refused outright (that removes "billion laughs"), nesting is bounded,
tags other than YAML's plain ones (`!!python/...` and friends) are refused, and the bytes must be
UTF-8 text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import FileProblems

from ..problems import Problem

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


class _Bounded:
    """Refuses aliases and bounds nesting while composing (mixed into a loader)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (*name) are not allowed", problem_mark=event.start_mark
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                event = self.peek_event()
                raise yaml.MarkedYAMLError(
                    problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=event.start_mark
                )
            return yaml.composer.Composer.compose_node(self, parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


class _PureLoader(_Bounded, yaml.SafeLoader):
    """The pure-Python scanner and parser, where LibYAML is not installed."""


try:
    from yaml._yaml import CParser

    class _CLoader(_Bounded, CParser, yaml.composer.Composer, yaml.resolver.Resolver):  # type: ignore[misc]
        """LibYAML's scanner and parser (events, no recursion), PyYAML's Python composer."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        get_single_node = yaml.composer.Composer.get_single_node
        compose_document = yaml.composer.Composer.compose_document

    _BoundedLoader: type = _CLoader
except ImportError:  # pragma: no cover - PyYAML wheels ship LibYAML
    _BoundedLoader = _PureLoader


def read_text(path: Path, what: str = "file") -> str:
    """The file's text, or FileProblems with one clear line (missing, a folder, a device, binary,
    not UTF-8, too large). Only regular files are read, and the size is checked while reading:
    a device such as /dev/zero reports size 0 and never ends."""
    return decode_text(read_bounded(path, what), str(path), what)


def read_bounded(path: Path, what: str = "file", limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, at most `limit`; FileProblems naming the file otherwise."""
    import os
    import stat

    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the open
    except FileNotFoundError:
        raise FileProblems([Problem(name, 0, 0, "no such file")]) from None
    except IsADirectoryError:
        raise FileProblems([Problem(name, 0, 0, "is a directory, not a file")]) from None
    except PermissionError:
        raise FileProblems([Problem(name, 0, 0, "permission denied")]) from None
    except OSError as exc:
        raise FileProblems([Problem(name, 0, 0, f"cannot read: {exc.strerror or exc}")]) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise FileProblems([Problem(name, 0, 0, "is a directory, not a file")])
        if not stat.S_ISREG(mode):
            raise FileProblems([Problem(name, 0, 0, f"not a regular file (a device or pipe), not a {what}")])
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise FileProblems([Problem(name, 0, 0, f"too large for a {what} (over {limit} bytes)")])
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblems([Problem(name, 0, 0, f"cannot read: {exc.strerror or exc}")]) from None
    finally:
        os.close(fd)


def decode_text(data: bytes, name: str, what: str = "file") -> str:
    if not data.strip():
        raise FileProblems([Problem(name, 0, 0, f"empty file (expected a {what})")])
    if b"\x00" in data:
        line, col = _position(data, data.index(b"\x00"))
        raise FileProblems([Problem(name, line, col, f"binary data, not a {what}")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        raise FileProblems([Problem(name, line, col, message)]) from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def compose(text: str, name: str) -> Node:
    """The document's root node. Raises FileProblems for YAML syntax and the safety limits."""
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is not None:  # the same rule as PyYAML's reader, said with the line and column
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        message = f"character U+{ord(bad.group()[0]):04X} is not allowed in YAML"
        raise FileProblems([Problem(name, line, col, message)]) from None
    try:
        node = _compose_with(_BoundedLoader, text, name)
    except FileProblems:
        if _BoundedLoader is _PureLoader:
            raise
        # A file with a mistake is rare: read it again with PyYAML's own parser, whose messages
        # and positions say more (where an unclosed bracket opened, not where the file ended).
        node = _compose_with(_PureLoader, text, name)
    if node is None:
        raise FileProblems([Problem(name, 0, 0, "empty document")])
    tagged = [
        Problem(name, *where(n), f"tag {unsafe_tag(n)} is not allowed (only plain YAML values are)")
        for n in _all_nodes(node)
        if unsafe_tag(n)
    ]
    if tagged:  # a file that asks for code objects is not a checklist: say only that
        raise FileProblems(tagged)
    return node


def _compose_with(loader_class: type, text: str, name: str) -> Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if mark is None:
            raise FileProblems([Problem(name, 0, 0, message)]) from None
        raise FileProblems([Problem(name, mark.line + 1, mark.column + 1, message)]) from None
    except yaml.YAMLError as exc:
        raise FileProblems([Problem(name, 0, 0, f"invalid YAML: {exc}")]) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops this first
        raise FileProblems([Problem(name, 0, 0, "nested too deeply")]) from None
    finally:
        loader.dispose()


def _all_nodes(root: Node) -> list[Node]:
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return sorted(found, key=lambda n: (n.start_mark.line, n.start_mark.column))


_scalar_loader = yaml.SafeLoader("")
_CONSTRUCTORS = yaml.SafeLoader.yaml_constructors


def scalar_value(node: ScalarNode) -> Any:
    """A plain scalar's Python value (str, int, float, bool, None, date).

    The safe constructor for the node's tag is called directly: `construct_object` would also
    remember every node it ever built in the loader's `constructed_objects` (a cache that is
    only cleared at the end of a document, which this shared loader never reaches), so every
    checklist parsed in the process stayed in memory with all its nodes and marks — ~25,000
    objects per 200-item checklist, and a garbage collector slower with each one. No state is
    kept, so threads can share it."""
    constructor = _CONSTRUCTORS.get(node.tag) or _CONSTRUCTORS[None]  # None: refuses unknown tags
    return constructor(_scalar_loader, node)


def unsafe_tag(node: Node) -> str | None:
    """The tag when it is not one of YAML's plain ones (e.g. `!!python/object`)."""
    return None if node.tag in _PLAIN_TAGS else node.tag


def where(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def to_python(node: Node, name: str, problems: list[Problem]) -> Any:
    """A whole subtree as plain Python, for answers files; problems are appended, not raised."""
    tag = unsafe_tag(node)
    if tag is not None:
        problems.append(Problem(name, *where(node), f"tag {tag} is not allowed"))
        return None
    if isinstance(node, ScalarNode):
        try:
            return scalar_value(node)
        except (yaml.YAMLError, ValueError) as exc:
            problems.append(Problem(name, *where(node), f"bad value: {exc}"))
            return None
    if isinstance(node, SequenceNode):
        return [to_python(child, name, problems) for child in node.value]
    assert isinstance(node, MappingNode)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = to_python(key_node, name, problems)
        if isinstance(key, (list, dict)):
            problems.append(Problem(name, *where(key_node), "a key must be plain text"))
            continue
        if key in result:
            problems.append(Problem(name, *where(key_node), f"duplicate key {key!r}"))
            continue
        result[key] = to_python(value_node, name, problems)
    return result
