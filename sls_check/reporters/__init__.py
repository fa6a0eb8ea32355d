"""Reporters turn a ValidationReport into text. Chosen by name; each is a module with `render`.

A reporter returns the whole output as a string (or, for `text`, a rich Text), so a
caller can write it to a file in one go: nothing is written half-way.
"""

from __future__ import annotations

import importlib
from typing import Any

# format name -> module under sls_check.reporters (imported only when asked for)
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_out",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "markdown": "markdown",
}


def reporter(name: str) -> Any:
    return importlib.import_module(f"sls_check.reporters.{FORMATS[name]}")
