"""Shared helpers: build specs in memory and run them through the real pipeline."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from sls_check.build import build_graph
from sls_check.cli import main
from sls_check.graph import CONNECTS, SECONDS_PER_MONTH, Edge, Service, ServiceGraph, Traffic
from sls_check.loader import load_text
from sls_check.model import Finding
from sls_check.pricing import price_graph
from sls_check.rules_engine.packs import load_rules
from sls_check.rules_engine.runner import RunResult, run_rules
from sls_check.spec import Spec, check_spec

# Tests never touch the user's cache of loaded packs.
os.environ["SLSCHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="slscheck-cache-")
atexit.register(shutil.rmtree, os.environ["SLSCHECK_CACHE_DIR"], True)
# ... nor the user's price cache (`slscheck prices update`): the packaged pricing/ only.
os.environ["SLSCHECK_PRICES_DIR"] = ""

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
TODAY = dt.date(2026, 11, 26)


def spec_yaml(services: dict[str, Any], *, region: str = "us-east-1", **top: Any) -> str:
    doc = {"slscheck": 1, "name": "test", "region": region, **top, "services": services}
    return yaml.safe_dump(doc, sort_keys=False)


def load_spec(text: str, name: str = "arch.yaml") -> Spec:
    return check_spec(load_text(text.encode(), name))


def graph_of(text: str, **kw: Any) -> ServiceGraph:
    return build_graph(load_spec(text), **kw)


def run(text: str, *, today: dt.date = TODAY, **kw: Any) -> RunResult:
    spec = load_spec(text)
    return run_rules(spec, build_graph(spec, **kw), load_rules(), today=today)


def ids(findings: list[Finding]) -> list[str]:
    return [f.rule_id for f in findings]


def needs_shared(sub: str) -> Path:
    path = SHARED / sub
    if not path.exists():
        pytest.skip(f"{path} is absent (it exists only in the team's workspace, not in a fresh clone)")
    return path


def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cwd: Path, *args: str
) -> tuple[int, str, str]:
    """Run `slscheck ARGS` in-process from cwd, as a user would: (exit code, stdout, stderr)."""
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["slscheck", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    code = exit_.value.code
    return (code if isinstance(code, int) else (0 if code is None else 1)), out, err


class PricedGraph:
    """A tiny graph builder for the pricing tests: monthly counts in, a priced report out."""

    def __init__(self) -> None:
        self.g = ServiceGraph()

    def add(
        self,
        sid: str,
        type_: str,
        per_month: float = 0,
        *,
        region: str = "us-east-1",
        reads: float = 0,
        writes: float = 0,
        **attrs: object,
    ) -> PricedGraph:
        self.g.add_service(Service(sid, type_, region, dict(attrs)))
        self.g.traffic[sid] = Traffic(
            rps=(per_month or reads + writes) / SECONDS_PER_MONTH,
            reads_ps=reads / SECONDS_PER_MONTH,
            writes_ps=writes / SECONDS_PER_MONTH,
        )
        return self

    def edge(self, src: str, dst: str, calls: float = 1.0) -> PricedGraph:
        self.g.add_edge(Edge(src, dst, CONNECTS, (), calls=calls))
        return self

    def price(self, free: str = "none", region: str | None = None):
        return price_graph(self.g, free_tier=free, region=region)


def recent_date(text: str, months: int = 24) -> bool:
    """A YYYY-MM-DD date, not after the suite's clock (TODAY, or today when later), and not older than
    `months`: re-checking one figure next month must not force re-dating every other one."""
    try:
        seen = dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    now = max(TODAY, dt.date.today())
    return now - dt.timedelta(days=31 * months) <= seen <= now
