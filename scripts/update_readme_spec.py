"""Regenerate the spec reference section of docs/spec.md (moved there from the README) from schemas/arch.schema.json."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sls_check.spec_reference import BEGIN, END, section  # noqa: E402


def main() -> None:
    readme = ROOT / "docs" / "spec.md"
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        sys.exit(f"docs/spec.md has no {BEGIN} ... {END} section")
    readme.write_text(pattern.sub(lambda _m: section(), text), encoding="utf-8")


if __name__ == "__main__":
    main()
