"""The six hand mutants the code review (2026-12-01) found surviving the suite: each must now be killed.

    python scripts/mutants.py     # applies each mutant in turn, runs its test file, restores the source

Prints "killed" or "SURVIVED" per mutant; exits 1 when one survives. Run from the repository root.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

M = [
    (
        "sls_check/pricing/models.py",
        "share = min(Decimal(1), pc / concurrency) * min(Decimal(1), hours / HOURS_PER_MONTH)",
        "share = min(Decimal(1), pc / concurrency)",
        "tests/test_pricing_engine.py",
    ),
    (
        "sls_check/rules_engine/conditions.py",
        '"len_lte": _length(lambda n, b: n <= b)',
        '"len_lte": _length(lambda n, b: n < b)',
        "tests/test_engine.py",
    ),
    (
        "sls_check/build.py",
        "if graph.services[node].type in ITEM_STORES and not (t.entry or t.pinned):",
        "if False:",
        "tests/test_graph.py",
    ),
    ("sls_check/build.py", "t.peak_reads_ps += peak * reads", "t.peak_reads_ps += avg * reads", "tests/test_graph.py"),
    (
        "sls_check/loader.py",
        "            if key in first_seen:\n",
        "            if key in first_seen and not merged:\n",
        "tests/test_loader.py",
    ),
    (
        "sls_check/reporters/sarif.py",
        "key = (f.rule_id, uri, f.service)",
        'key = (f.rule_id, uri, "")',
        "tests/test_formats.py",
    ),
]
survived = 0
for path, a, b, test in M:
    p = pathlib.Path(path)
    s = p.read_text()
    assert s.count(a) == 1, (path, a, s.count(a))
    p.write_text(s.replace(a, b))
    try:
        rc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", test], capture_output=True
        ).returncode
    finally:
        p.write_text(s)
    print("killed" if rc else "SURVIVED", path, b.strip()[:60])
    survived += rc == 0
sys.exit(1 if survived else 0)
