"""Regenerate the spec reference section of docs/spec.md from schemas/arch.schema.json.

The same as `python scripts/gen_docs.py` restricted to that section (gen_docs.py runs every generator).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_docs import ROOT, _spec


def main() -> None:
    path = ROOT / "docs" / "spec.md"
    path.write_text(_spec(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
