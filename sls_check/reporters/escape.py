"""Escaping text for the output formats: one function per format, used by every renderer.

    markdown_cell(text) -> str   a table cell, heading or list item of GitHub-flavoured Markdown
    html_text(text)     -> str   the content of an HTML element (`&`, `<`, `>`)
    html_attr(text)     -> str   a quoted HTML attribute value (also `"` and `'`)

A leaf module (no imports from sls_check): any renderer, and the docs generators, may use it.
"""

from __future__ import annotations


def markdown_cell(text: str) -> str:
    """Text that stays one inert table cell: `|` cannot end the cell, `<`/`>` cannot open or close
    HTML (a spec named `</details><img src=x>` prints as text), a backslash cannot escape the next
    character, and line breaks become `<br>` (a raw newline would end the table row)."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "<br>")
    )


def html_text(text: str) -> str:
    """Text inside an HTML element: no markup can start (`<`), no entity can be forged (`&`)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_attr(text: str) -> str:
    """A value inside a quoted HTML attribute ('...' or "..."): neither quote can close it."""
    return html_text(text).replace('"', "&quot;").replace("'", "&#x27;")
