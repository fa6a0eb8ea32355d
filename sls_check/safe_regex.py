"""Regular expressions from inputs (a rule pack's `matches`), matched in time linear in the text.

Python's `re` backtracks: `(a+)+$` against forty a's and a `!` runs for minutes, and a rule pack
arrives with a pull request. A pattern from an input is therefore parsed once (by `re`'s own parser,
so the syntax is Python's), checked against a subset, and compiled into a Thompson automaton that
is simulated over the text: every character is looked at once for each state of the automaton, so
the time is at most len(text) x states, whatever the pattern, and nothing can backtrack.

The subset: literals, `.`, character classes and `\\d \\w \\s` (and their negations), groups,
alternation, `* + ? {m,n}` (greedy or lazy: for a yes/no full match they are the same), anchors
`^ $ \\A \\Z \\b \\B`. Refused, with a message: backreferences, lookarounds, conditionals,
possessive quantifiers and atomic groups (they are not regular), inline flags, a pattern longer
than MAX_PATTERN characters or one whose automaton would have more than MAX_STATES states
(`a{1000}{1000}`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as _c  # type: ignore[attr-defined]  # re's own parser (3.11+)
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

MAX_PATTERN = 1000
MAX_STATES = 10_000

_CHAR, _SPLIT, _ASSERT, _MATCH = 0, 1, 2, 3
_WORD = re.compile(r"\w")


class PatternError(ValueError):
    """A pattern that is not a regular expression, or not one of the supported subset."""


def _is_word(text: str, i: int) -> bool:
    return 0 <= i < len(text) and _WORD.match(text[i]) is not None


_ASSERTS: dict[Any, Any] = {
    _c.AT_BEGINNING: lambda s, i: i == 0,
    _c.AT_BEGINNING_STRING: lambda s, i: i == 0,
    _c.AT_END: lambda s, i: i == len(s) or (i == len(s) - 1 and s[i] == "\n"),
    _c.AT_END_STRING: lambda s, i: i == len(s),
    _c.AT_BOUNDARY: lambda s, i: _is_word(s, i - 1) != _is_word(s, i),
    _c.AT_NON_BOUNDARY: lambda s, i: _is_word(s, i - 1) == _is_word(s, i),
}
_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}


def _class_test(items: list[tuple[Any, Any]]) -> Any:
    """A one-character test for a class, built as a one-character `re` class (constant time per call)."""
    parts: list[str] = []
    negate = False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            parts.append(re.escape(chr(arg)))
        elif op is _c.RANGE:
            parts.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif op is _c.CATEGORY and arg in _CATEGORIES:
            parts.append(_CATEGORIES[arg])
        else:
            raise PatternError(f"unsupported character class item {op}")
    body = "".join(parts)
    if not body:
        return (lambda ch: True) if negate else (lambda ch: False)
    return re.compile(f"[{'^' if negate else ''}{body}]").fullmatch


@dataclass
class _Builder:
    states: list[list[Any]]

    def new(self, state: list[Any]) -> int:
        if len(self.states) >= MAX_STATES:
            raise PatternError(f"the pattern is too large (more than {MAX_STATES:,} automaton states)")
        self.states.append(state)
        return len(self.states) - 1

    def seq(self, items: Any, nxt: int) -> int:
        start = nxt
        for op, arg in reversed(list(items)):
            start = self.item(op, arg, start)
        return start

    def item(self, op: Any, arg: Any, nxt: int) -> int:
        if op is _c.LITERAL:
            char = chr(arg)
            return self.new([_CHAR, lambda ch, c=char: ch == c, nxt])
        if op is _c.NOT_LITERAL:
            char = chr(arg)
            return self.new([_CHAR, lambda ch, c=char: ch != c, nxt])
        if op is _c.ANY:
            return self.new([_CHAR, lambda ch: ch != "\n", nxt])
        if op is _c.IN:
            return self.new([_CHAR, _class_test(arg), nxt])
        if op is _c.AT:
            if arg not in _ASSERTS:
                raise PatternError(f"unsupported anchor {arg}")
            return self.new([_ASSERT, _ASSERTS[arg], nxt])
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, body = arg
            if add_flags or del_flags:
                raise PatternError("inline flags such as (?i:...) are not supported")
            return self.seq(body, nxt)
        if op is _c.BRANCH:
            branches = [self.seq(b, nxt) for b in arg[1]]
            start = branches[-1]
            for b in reversed(branches[:-1]):
                start = self.new([_SPLIT, b, start])
            return start
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, body = arg
            if high == _c.MAXREPEAT:
                loop = self.new([_SPLIT, -1, nxt])
                self.states[loop][1] = self.seq(body, loop)
                start = loop
            else:
                start = nxt
                for _ in range(high - low):
                    start = self.new([_SPLIT, self.seq(body, start), nxt])
            for _ in range(low):
                start = self.seq(body, start)
            return start
        names = {
            _c.GROUPREF: "backreferences",
            _c.GROUPREF_EXISTS: "conditional groups",
            _c.ASSERT: "lookarounds",
            _c.ASSERT_NOT: "lookarounds",
        }
        if op in names:
            raise PatternError(f"{names[op]} are not supported (only regular patterns, matched in linear time)")
        raise PatternError(f"{str(op).lower().replace('_', ' ')} is not supported")


class SafePattern:
    """A compiled pattern whose fullmatch takes time linear in the text."""

    def __init__(self, pattern: str):
        self.pattern = pattern
        builder = _Builder([])
        match = builder.new([_MATCH])
        self.start = builder.seq(_parse(pattern), match)
        self.states = builder.states

    def _closure(self, states: set[int], text: str, pos: int) -> set[int]:
        out: set[int] = set()
        stack = list(states)
        table = self.states
        while stack:
            s = stack.pop()
            if s in out:
                continue
            out.add(s)
            state = table[s]
            kind = state[0]
            if kind == _SPLIT:
                stack.append(state[1])
                stack.append(state[2])
            elif kind == _ASSERT and state[1](text, pos):
                stack.append(state[2])
        return out

    def fullmatch(self, text: str) -> bool:
        table = self.states
        current = self._closure({self.start}, text, 0)
        for pos, ch in enumerate(text):
            step = {table[s][2] for s in current if table[s][0] == _CHAR and table[s][1](ch)}
            if not step:
                return False
            current = self._closure(step, text, pos + 1)
        return 0 in current  # state 0 is the match state


def _parse(pattern: str) -> Any:
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"the pattern is longer than {MAX_PATTERN:,} characters")
    try:
        parsed = _p.parse(pattern)
    except (re.error, OverflowError, ValueError, RecursionError) as exc:
        raise PatternError(str(exc)) from None
    flags = parsed.state.flags & ~(_c.SRE_FLAG_UNICODE)
    if flags:
        raise PatternError("inline flags such as (?i) are not supported")
    return parsed


@lru_cache(maxsize=512)
def compile_safe(pattern: str) -> SafePattern:
    """The pattern compiled for linear-time matching; PatternError says why it cannot be."""
    if not isinstance(pattern, str):
        raise PatternError("not a string")
    return SafePattern(pattern)
