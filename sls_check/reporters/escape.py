"""Escaping text for the output formats: one function per format, used by every renderer.

    visible(text)           -> str   control, format (bidi) and separator characters shown as \\uXXXX
    terminal(text)          -> str   one line of the text output (also \\n, \\r): no escape sequence,
                                     no line a CI runner would read as a workflow command
    github_data(text)       -> str   the message of a GitHub workflow command (%25, %0D, %0A)
    github_property(text)   -> str   a property value of one (also %3A, %2C)
    markdown_cell(text)     -> str   a table cell, heading or list item of GitHub-flavoured Markdown
    markdown_code(text)     -> str   a code span (ids, paths): the fence outgrows any backtick run
    xml_text(text)          -> str   text or an attribute of XML 1.0 (JUnit); ElementTree adds &lt; etc.
    mermaid_label(text)     -> str   a quoted Mermaid node label
    dot_string(text)        -> str   the inside of a double-quoted DOT string
    html_text(text)         -> str   the content of an HTML element (`&`, `<`, `>`)
    html_attr(text)         -> str   a quoted HTML attribute value (also `"` and `'`)

SARIF and the JSON outputs are JSON: json.dumps escapes what JSON must, and the data stays exact.
Every function starts from visible(), so a right-to-left override (U+202E) in a VPC id shows as
`\\u202e` in every report instead of reordering the text around it (Trojan Source).

A leaf module (no imports from sls_check): any renderer, and the docs generators, may use it.
"""

from __future__ import annotations

import re
import unicodedata

# Cc (controls), Cf (format: bidi overrides and isolates, zero-width characters, BOM), Zl/Zp (line
# and paragraph separators), Cs (lone surrogates), Co (private use), Cn (unassigned)
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _show(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str, keep: str = "\t\n") -> str:
    """Characters that print nothing or change how the rest prints, shown as escapes (`keep` stays)."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(ch if ch in keep or unicodedata.category(ch) not in _HIDDEN else _show(ch) for ch in str(text))


def terminal(text: str) -> str:
    """One line of text output: no ESC (so no escape sequence), no line break (so no line of its own
    that starts with `::`, which a GitHub runner obeys as a workflow command), no bidi override."""
    return visible(str(text), keep="\t")


def github_data(text: str) -> str:
    """A workflow command's message (actions/toolkit command.ts): `%` first, then CR and LF."""
    return visible(str(text), keep="\t\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


_MD_PUNCT = re.compile(
    r"([\\*\[\]!|~@])"
)  # links, images, emphasis, strike, mentions; a backtick only opens inert code


def markdown_code(text: str) -> str:
    """A code span: a fence longer than the longest backtick run inside (CommonMark), spaces inside the
    fence, `|` escaped for GFM tables, line breaks as spaces. Nothing inside a code span is markup."""
    body = visible(str(text), keep="").replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {body} {fence}" if longest else f"{fence}{body}{fence}"


def xml_text(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped: they are shown as escapes; CR
    becomes LF (a parser would turn it into one anyway)."""
    return visible(str(text).replace("\r\n", "\n").replace("\r", "\n"), keep="\t\n")


def mermaid_label(text: str) -> str:
    """Inside a quoted Mermaid label: entity codes for what would end or break it."""
    out = visible(str(text), keep="")
    for raw, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        out = out.replace(raw, code)
    return out


def dot_string(text: str) -> str:
    """Inside a double-quoted DOT string."""
    return visible(str(text), keep="").replace("\\", "\\\\").replace('"', '\\"')


def markdown_cell(text: str) -> str:
    """Text that stays one inert table cell, heading or list item: `|` cannot end the cell, `<`/`>`
    cannot open or close HTML (a spec named `</details><img src=x>` prints as text), `&` cannot forge
    an entity, a backslash cannot escape the next character, the punctuation of Markdown (links,
    images, emphasis, code spans) and `@` (a mention notifies people) are backslash-escaped, and
    line breaks become `<br>` (a raw newline would end the table row)."""
    text = visible(str(text), keep="\n\r")
    text = _MD_PUNCT.sub(r"\\\1", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "<br>")
    )


def html_text(text: str) -> str:
    """Text inside an HTML element: no markup can start (`<`), no entity can be forged (`&`)."""
    return visible(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_attr(text: str) -> str:
    """A value inside a quoted HTML attribute ('...' or "..."): neither quote can close it."""
    return html_text(text).replace('"', "&quot;").replace("'", "&#x27;")
