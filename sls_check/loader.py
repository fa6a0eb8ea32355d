"""Safe YAML loading with the line and column of every key and value.

The data stays plain (dict, list, str, int, float, bool, None); positions live in a
side table keyed by path. Scalars follow YAML 1.2's core schema, so `yes`, `on`
and `no` stay strings instead of silently becoming booleans, and the schema check
can say so. Every problem is an InputError with file:line:col.
"""

from __future__ import annotations

import errno
import os
import re
import select
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sls_check.model import InputError, Location

MAX_BYTES = 4 * 1024 * 1024  # a 2,000-service spec is about 0.3 MB
MAX_NODES = 250_000  # after alias expansion: stops "billion laughs" before it starts
MAX_DEPTH = 64
CLOUDFORMATION_TAGS = frozenset(
    {
        "Ref",
        "GetAtt",
        "Sub",
        "Join",
        "Select",
        "Split",
        "FindInMap",
        "ImportValue",
        "Base64",
        "Cidr",
        "GetAZs",
        "If",
        "Equals",
        "Not",
        "And",
        "Or",
        "Condition",
        "Transform",
        "ToJsonString",
        "Length",
    }
)

Path_ = tuple[Any, ...]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN = "tag:slscheck:plain"  # our marker for an untagged plain scalar
_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}

_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
YAML11_BOOLS = frozenset(v for w in ("yes", "no", "on", "off", "y", "n") for v in (w, w.capitalize(), w.upper()))


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Resolves nothing implicitly, so we can tell plain scalars from tagged ones."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 (PyYAML class attribute)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return str(super().resolve(kind, value, implicit))


@dataclass
class Document:
    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Paths of plain scalars that YAML 1.1 would have read as booleans (yes/no/on/off).
    yaml11_bools: set[Path_] = field(default_factory=set)
    # A spec imported from templates: the file each path's position is in (nearest parent wins);
    # paths not listed are in `file`.
    files: dict[Path_, str] = field(default_factory=dict)

    def file_of(self, path: Path_) -> str:
        p = tuple(path)
        while self.files:
            if p in self.files:
                return self.files[p]
            if not p:
                break
            p = p[:-1]
        return self.file

    def locate(self, path: Path_, *, key: bool = False) -> Location:
        """Position of the value at path (or of its key), falling back to the nearest parent."""
        p = tuple(path)
        while True:
            table = self.key_positions if key else self.positions
            pos = table.get(p) or self.key_positions.get(p) or self.positions.get(p)
            if pos:
                return Location(self.file_of(p), pos[0], pos[1])
            if not p:
                return Location(self.file_of(p), 1, 1)
            p = p[:-1]


class NumberError(ValueError):
    """A number no input may hold: beyond the range of a float, or too many digits to read."""


# A literal of more digits than this is beyond float range whatever it says (1.8e308 has 309 digits),
# and reading it would hit Python's limit on integer conversion (4,300 digits): refuse it unread.
_MAX_DIGITS = {10: 330, 8: 380, 16: 280}


def number_problem(value: Any) -> str | None:
    """Why a number read from an input cannot be used (None when it can).

    The one rule for every reader (YAML, TOML, JSON): an integer beyond float range is refused as
    `1e309` is, so every number that reaches the rules, the limits and the pricing converts to a
    finite float. (Non-finite floats, `.inf` and `.nan`, are left to the schema check, which names them.)
    """
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and not -sys.float_info.max <= value <= sys.float_info.max
    ):
        return f"integer with {len(str(abs(value)))} digits is beyond the range of a number (about 1.8e308)"
    return None


def _int(digits: str, base: int) -> int:
    count = len(digits.lstrip("+-").lstrip("0"))
    if count > _MAX_DIGITS[base]:
        raise NumberError(f"integer literal of {count:,} digits is beyond the range of a number (about 1.8e308)")
    value = int(digits, base)
    problem = number_problem(value)
    if problem:
        raise NumberError(problem)
    return value


def finite_numbers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """(path, problem) for every number of `data` that number_problem refuses (for readers that parse
    numbers themselves: TOML, JSON). Iterative, so deep nesting cannot exhaust the stack."""
    found: list[tuple[tuple[Any, ...], str]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [(path, data)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            stack.extend(((*where, k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend(((*where, i), v) for i, v in enumerate(item))
        else:
            problem = number_problem(item)
            if problem:
                found.append((where, problem))
    return sorted(found, key=lambda f: [str(p) for p in f[0]])


def _scalar(value: str) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar (NumberError for an integer beyond float range)."""
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT.fullmatch(value):
        return _int(value, 10)
    if _OCT.fullmatch(value):
        return _int(value[2:], 8)
    if _HEX.fullmatch(value):
        return _int(value[2:], 16)
    if _FLOAT.fullmatch(value) or _INF.fullmatch(value) or _NAN.fullmatch(value):
        return float(
            value.replace(".inf", "inf")
            .replace(".Inf", "inf")
            .replace(".INF", "inf")
            .replace(".nan", "nan")
            .replace(".NaN", "nan")
            .replace(".NAN", "nan")
        )
    return value


def _tagged(node: yaml.ScalarNode, fail: Any) -> Any:
    tag = node.tag
    value = node.value
    if tag == f"{_STD}str":
        return value
    try:
        resolved = _scalar(value)
    except NumberError as exc:
        fail(node, str(exc))
    kind = tag[len(_STD) :]
    ok = {
        "int": isinstance(resolved, int) and not isinstance(resolved, bool),
        "float": isinstance(resolved, (int, float)) and not isinstance(resolved, bool),
        "bool": isinstance(resolved, bool),
        "null": resolved is None,
    }.get(kind, False)
    if not ok:
        fail(node, f"{value!r} is not a valid !!{kind}")
    return float(resolved) if kind == "float" else resolved


# Control characters other than tab and line breaks: the reader refuses them raw, but a double-quoted
# "\e[2J" or "\x07" writes them, and a name or value printed by a report would drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _Builder:
    def __init__(self, file: str, *, cloudformation: bool = False):
        self.doc = Document(file=file, data=None)
        self.nodes = 0
        # CloudFormation mode: intrinsic short tags become their long forms ({"Ref": x},
        # {"Fn::GetAtt": [a, b]}) and plain scalars are read as YAML 1.1 (yes/no/on/off are booleans).
        self.cloudformation = cloudformation

    def fail(self, node: Any, message: str) -> None:
        mark = node.start_mark
        raise InputError.single(self.doc.file, mark.line + 1, mark.column + 1, message)

    def pos(self, node: Any) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def check_text(self, node: Any) -> None:
        found = _CONTROL.search(node.value)
        if found:
            self.fail(
                node,
                f"control character U+{ord(found.group()):04X} in a string; a spec holds printable "
                "text (no escapes such as \\e, \\a or \\x1b)",
            )

    def check_tag(self, node: Any) -> None:
        tag = node.tag
        if tag == _PLAIN or tag in _ALLOWED_TAGS:
            return
        if self.cloudformation and tag.startswith("!") and tag[1:] in CLOUDFORMATION_TAGS:
            return
        if tag.startswith(f"{_STD}python/"):
            self.fail(node, f"tag {tag!r} is not allowed: slscheck never constructs Python objects")
        short = tag.replace(_STD, "!!")
        if short.lstrip("!") in CLOUDFORMATION_TAGS:
            self.fail(
                node,
                f"tag {short!r} is a CloudFormation intrinsic function: this looks like a "
                "CloudFormation or SAM template, not an slscheck architecture spec",
            )
        self.fail(
            node, f"tag {short!r} is not allowed: a spec holds plain data (maps, lists, strings, numbers, booleans)"
        )

    def build(self, node: Any, path: Path_, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fail(node, f"more than {MAX_NODES:,} YAML nodes; a spec is far smaller")
        self.check_tag(node)
        self.doc.positions[path] = self.pos(node)
        if self.cloudformation and node.tag.startswith("!"):
            return self.intrinsic(node, path, depth)
        if isinstance(node, yaml.ScalarNode):
            self.check_text(node)
            if node.tag == _PLAIN:
                try:
                    value = _scalar(node.value)
                except NumberError as exc:
                    self.fail(node, str(exc))
                if node.value in YAML11_BOOLS:
                    if self.cloudformation:
                        return node.value.lower() in ("yes", "on", "y")
                    self.doc.yaml11_bools.add(path)
                return value
            return _tagged(node, self.fail)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        self.fail(node, "unsupported YAML node")  # pragma: no cover
        return None

    def intrinsic(self, node: Any, path: Path_, depth: int) -> dict[str, Any]:
        """`!Ref x` -> {"Ref": "x"}, `!GetAtt a.b` -> {"Fn::GetAtt": ["a", "b"]}, `!Sub s` -> {"Fn::Sub": "s"}."""
        name = node.tag[1:]
        key = name if name in ("Ref", "Condition") else f"Fn::{name}"
        inner = (*path, key)
        self.doc.key_positions[inner] = self.pos(node)
        if isinstance(node, yaml.ScalarNode):
            self.check_text(node)
            self.doc.positions[inner] = self.pos(node)
            value: Any = node.value
            if name == "GetAtt":
                head, _, tail = node.value.partition(".")
                if not head or not tail:
                    self.fail(node, f"!GetAtt {node.value!r} must be LogicalId.Attribute")
                value = [head, tail]
            elif name not in ("Ref", "Condition", "Sub", "ImportValue", "GetAZs", "Base64"):
                value = self._plain(node)
        else:
            node.tag = _STD + ("seq" if isinstance(node, yaml.SequenceNode) else "map")
            value = self.build(node, inner, depth + 1)
        return {key: value}

    def _plain(self, node: Any) -> Any:
        try:
            return _scalar(node.value) if node.value else node.value
        except NumberError as exc:
            self.fail(node, str(exc))
            return None

    def mapping(self, node: Any, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a key must be a plain string, not a map or a list")
            self.check_tag(key_node)
            self.check_text(key_node)
            key = str(key_node.value)
            if key == "<<" and key_node.tag == _PLAIN:
                merged.update(self.merge(value_node, path, depth))
                continue
            line = key_node.start_mark.line + 1
            if key in first_seen:
                self.fail(
                    key_node,
                    f"duplicate key {key!r} (first defined on line {first_seen[key]}); "
                    "YAML would silently keep only the last one",
                )
            first_seen[key] = line
            self.doc.key_positions[(*path, key)] = self.pos(key_node)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        for key, value in merged.items():
            out.setdefault(key, value)
        return out

    def merge(self, node: Any, path: Path_, depth: int) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        result: dict[str, Any] = {}
        for src in reversed(sources):  # earlier sources win, as in YAML's merge key
            if not isinstance(src, yaml.MappingNode):
                self.fail(src, "a merge key (<<) takes a map or a list of maps")
            result.update(self.mapping(src, path, depth))
        return result


class _RecursiveAlias(Exception):
    def __init__(self, node: Any):
        self.node = node


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _expanded_size(root: Any) -> int:
    """Node count after alias expansion, computed without expanding (memoised per node).

    Raises _RecursiveAlias for an alias inside the collection its anchor names (`a: &a [*a]`):
    that structure never ends when expanded.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()  # collections whose children are still being sized
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if ready:
            open_.discard(id(node))
            sizes[id(node)] = min(1 + sum(sizes[id(c)] for c in children), 10**12)
        else:
            if id(node) in open_:
                raise _RecursiveAlias(node)
            open_.add(id(node))
            stack.append((node, True))
            for c in children:
                if id(c) in open_:
                    raise _RecursiveAlias(c)
                if id(c) not in sizes:
                    stack.append((c, False))
    return sizes[id(root)]


def _flow_depth_error(text: str, file: str) -> None:
    """Fail on collections nested deeper than MAX_DEPTH before composing them.

    The C composer recurses once per level and crashes the interpreter (a segmentation
    fault, not an exception) at some twenty thousand levels of `[[[...` on an 8 MB stack;
    the parser itself does not recurse, so its events are counted first. Only text with
    more brackets than a 2,000-service flow-style spec (4,001) is scanned, which keeps the
    scan's cost (about half the load time) off ordinary specs; fewer brackets cannot nest
    deep enough to crash, and the builder reports anything deeper than MAX_DEPTH.
    """
    if text.count("[") + text.count("{") <= 5000:
        return
    depth = 0
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, starts):
            depth += 1
            if depth > MAX_DEPTH + 1:
                mark = event.start_mark
                line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                raise InputError.single(file, line, column, f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, ends):
            depth -= 1


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.single(file, 1, 1, "UTF-16 text; slscheck reads UTF-8 (save the file as UTF-8)")
    if b"\x00" in raw:
        raise InputError.single(file, 1, 1, "binary file (contains NUL bytes), not YAML text")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError.single(file, line, column, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})") from None


def decode_text(raw: bytes, file: str) -> str:
    """UTF-8 text of an input (a BOM dropped), or InputError at the first byte that is not."""
    return _decode(raw, file)


def _scalar_kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string"


def load_text(raw: bytes, file: str, *, cloudformation: bool = False) -> Document:
    """Parse bytes into a Document whose top level is a mapping.

    With `cloudformation`, the intrinsic-function short tags (!Ref, !GetAtt, !Sub, ...) are read as
    their long forms and plain scalars as YAML 1.1, the way CloudFormation reads a template."""
    if len(raw) > MAX_BYTES:
        raise InputError.single(
            file, 1, 1, f"file is larger than {MAX_BYTES // 2**20} MiB ({MAX_BYTES:,} bytes), the most a spec may be"
        )
    text = _decode(raw, file)
    try:
        _flow_depth_error(text, file)
        nodes = []
        for node in yaml.compose_all(text, Loader=_Loader):
            nodes.append(node)
            if len(nodes) > 1:
                raise InputError.single(
                    file, node.start_mark.line + 1, 1, "several YAML documents in one file; a spec is one document"
                )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(s for s in (exc.context, exc.problem) if s)
        raise InputError.single(file, line, col, f"YAML syntax error: {what}") from None
    except yaml.reader.ReaderError as exc:  # a control character or the like
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError.single(
            file, line, col, f"YAML error: character U+{ord(char):04X} is not allowed in YAML text ({exc.reason})"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError.single(file, 1, 1, "YAML error: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise InputError.single(file, 1, 1, "YAML nested too deeply") from None
    if not nodes or (isinstance(nodes[0], yaml.ScalarNode) and nodes[0].value == "" and nodes[0].tag == _PLAIN):
        raise InputError.single(file, 1, 1, "file is empty; a spec starts with `slscheck: 1`")
    root = nodes[0]
    # Without an anchor there is no alias, and the builder's own node count is the bound.
    try:
        size = _expanded_size(root) if "&" in text else 0
    except _RecursiveAlias as exc:
        mark = exc.node.start_mark
        raise InputError.single(
            file,
            mark.line + 1,
            mark.column + 1,
            "an alias is used inside the collection its anchor names, so it would expand for ever",
        ) from None
    if size > MAX_NODES:
        raise InputError.single(
            file,
            root.start_mark.line + 1,
            root.start_mark.column + 1,
            f"YAML aliases expand to {size:,} nodes, more than the {MAX_NODES:,} allowed (an alias bomb?)",
        )
    builder = _Builder(file, cloudformation=cloudformation)
    data = builder.build(root, (), 0)
    if not isinstance(data, dict):
        raise InputError.single(
            file,
            root.start_mark.line + 1,
            root.start_mark.column + 1,
            f"the top level must be a map of keys, not {'a list' if isinstance(data, list) else _scalar_kind(data)}",
        )
    builder.doc.data = data
    return builder.doc


STDIN_NAME = "<stdin>"


def display_name(path: Path) -> str:
    """Relative to the working directory when below it, so outputs are stable across machines."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop, a name too long: the name as written
        resolved = Path(os.path.abspath(path))
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


PIPE_NO_WRITER_S = 0.5  # how long a FIFO may wait for a writer to open it
PIPE_STALL_S = 30.0  # how long an open writer (`<(cmd)`, `cmd > fifo`) may stay silent


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "cannot read: a loop of symbolic links"
    if exc.errno == errno.ENAMETOOLONG:
        return "cannot read: the file name is too long"
    return f"cannot read: {exc.strerror or exc}"


# (device, inode) of every file read in this run: `-o` refuses to replace any of them (the spec, a
# template or an overlay, the configuration, a rule pack, the two files of `diff`). The CLI resets it
# at the start of a command.
_INPUTS: set[tuple[int, int]] = set()


def note_input(path: Path) -> None:
    """Record a file as an input of this run (read_input does it; a cache hit calls it instead)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return
    _INPUTS.add((st.st_dev, st.st_ino))


def is_input(st: os.stat_result) -> bool:
    return (st.st_dev, st.st_ino) in _INPUTS


def reset_inputs() -> None:
    _INPUTS.clear()


def read_input(path: Path, limit: int = MAX_BYTES, what: str = "spec file") -> bytes:
    """The bytes of an input file (at most limit + 1 of them), or InputError at file:1:1.

    The one way every input is read (specs, rule packs, configuration files): a directory, a
    device, a socket, a symlink loop or an over-long name is a one-line problem; a FIFO (or a
    process substitution, `<(cmd)`) is read while a writer sends, and is a problem instead of a
    hang when no program opens it for writing.
    """
    name = display_name(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError.single(name, 1, 1, _os_reason(exc)) from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise InputError.single(name, 1, 1, f"is a directory, not a {what}")
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        kind = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else ""
        raise InputError.single(name, 1, 1, f"is {kind or 'not a regular file'}, not a {what}")
    _INPUTS.add((st.st_dev, st.st_ino))
    try:
        if stat.S_ISREG(mode):
            with path.open("rb") as fh:
                return fh.read(limit + 1)
        return _read_fifo(path, limit, name, what)
    except OSError as exc:
        raise InputError.single(name, 1, 1, _os_reason(exc)) from None


def _read_fifo(path: Path, limit: int, name: str, what: str) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a plain open would wait for a writer for ever
    try:
        chunks: list[bytes] = []
        size = 0
        writer = False
        no_writer_until = time.monotonic() + PIPE_NO_WRITER_S
        stalled_at = time.monotonic() + PIPE_STALL_S
        while size <= limit:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:  # a writer holds it open but has sent nothing (yet)
                writer = True
                ready, _, _ = select.select([fd], [], [], max(0.0, stalled_at - time.monotonic()))
                if not ready:
                    raise InputError.single(
                        name, 1, 1, f"is a FIFO whose writer sent nothing for {PIPE_STALL_S:g} s"
                    ) from None
                continue
            if chunk:
                chunks.append(chunk)
                size += len(chunk)
                writer = True
                stalled_at = time.monotonic() + PIPE_STALL_S
            elif writer:
                break  # the writer closed it: the end
            elif time.monotonic() < no_writer_until:
                time.sleep(0.02)  # Linux reports EOF at once while no writer has opened it yet
            else:
                raise InputError.single(name, 1, 1, f"is a FIFO that no program writes to, not a {what}")
        return b"".join(chunks)[: limit + 1]
    finally:
        os.close(fd)


def read_bytes(path: Path) -> tuple[bytes, str]:
    """The input's bytes (at most MAX_BYTES + 1) and its display name; InputError when unreadable."""
    name = display_name(path)
    if path.as_posix() == "-" and not path.exists():  # `-`: the spec on standard input
        import sys

        return sys.stdin.buffer.read(MAX_BYTES + 1), STDIN_NAME
    return read_input(path), name


def load_file(path: Path, *, cloudformation: bool = False) -> Document:
    raw, name = read_bytes(path)
    return load_text(raw, name, cloudformation=cloudformation)
