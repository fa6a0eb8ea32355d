"""Rewrite the outputs of the README's quick start (its ```console blocks) by running the commands.

    python scripts/update_readme_quickstart.py

Each `$ slscheck ...` line is run in a fresh temporary folder, in order, with NO_COLOR=1, and the lines
under it are replaced by what it printed. tests/test_readme.py fails when they drift (numbers masked).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = "import sys; sys.argv[0] = 'slscheck'; from sls_check.cli import main; main()"


def updated(text: str) -> str:
    """The README text with the output under every `$ slscheck ...` line of its console blocks rerun."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory() as work:

        def block(match: re.Match[str]) -> str:
            out: list[str] = []
            for line in match.group(1).splitlines():
                if line.startswith("$ slscheck "):
                    got = subprocess.run(
                        [sys.executable, "-c", RUN, *line.split()[2:]],
                        cwd=work,
                        capture_output=True,
                        text=True,
                        env=env,
                        check=False,
                    )
                    out += [line, *got.stdout.rstrip("\n").splitlines()]
            return "```console\n" + "\n".join(out) + "\n```"

        return re.sub(r"```console\n(.*?)```", block, text, flags=re.S)


def main() -> None:
    readme = ROOT / "README.md"
    readme.write_text(updated(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
