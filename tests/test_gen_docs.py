"""scripts/gen_docs.py: one command regenerates (or checks) every generated section of the docs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # kept: gen_docs imports the other scripts when it runs
import gen_docs  # noqa: E402

# The README's quick start reruns CLI commands; tests/test_readme.py compares it with its numbers
# masked (prices move with the data files), so the exact check here leaves it out.
FAST = frozenset({"quickstart"})


def test_every_generated_section_is_current() -> None:
    stale = gen_docs.stale(skip=FAST)
    assert [g.path for g, _ in stale] == [], "run python scripts/gen_docs.py"


def test_every_generated_file_has_one_generator_and_exists() -> None:
    names = [g.name for g in gen_docs.GENERATORS]
    assert names == ["rules", "spec", "quotas", "unconfirmed", "import", "coverage", "quickstart"]
    assert all((ROOT / g.path).is_file() for g in gen_docs.GENERATORS)


def test_check_finds_a_drifted_section_and_writes_nothing(tmp_path: Path) -> None:
    for gen in gen_docs.GENERATORS:
        target = tmp_path / gen.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((ROOT / gen.path).read_text(encoding="utf-8"), encoding="utf-8")
    spec = tmp_path / "docs" / "spec.md"
    drifted = spec.read_text(encoding="utf-8").replace("| `memory_mb` |", "| `memroy_mb` |", 1)
    spec.write_text(drifted, encoding="utf-8")
    stale = gen_docs.stale(skip=FAST, root=tmp_path)
    assert [(g.name, g.path) for g, _ in stale] == [("spec", "docs/spec.md")]
    assert "| `memory_mb` |" in stale[0][1] and spec.read_text(encoding="utf-8") == drifted


def test_the_command_line_check_exits_zero_on_a_current_tree() -> None:
    got = subprocess.run(
        [sys.executable, "scripts/gen_docs.py", "--check", "--skip", "quickstart"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (got.returncode, got.stdout) == (0, ""), got.stderr
    bad = subprocess.run(
        [sys.executable, "scripts/gen_docs.py", "--check", "--skip", "nosuch"], cwd=ROOT, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "unknown generator(s): nosuch" in bad.stdout
