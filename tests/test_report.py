"""`slscheck report`: the page, its numbers against `cost`/`limits --format json`, escaping,
determinism, chart files, the missing extra, and a real headless Chromium (skipped only when no
Chromium can be found; .ci/run installs Debian's)."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cdp import find_chromium, open_page
from tests.conftest import run_cli

pytest.importorskip("matplotlib", reason="the report extra (matplotlib) is not installed")

from sls_check.report.collect import collect, sweep_rates
from sls_check.report.html import render
from sls_check.report.layout import layered

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p.name for p in (ROOT / "samples").glob("*.yaml"))
DATA = re.compile(r'<script type="application/json" id="slscheck-data">(.*?)</script>', re.S)


def page_data(page: str) -> dict[str, Any]:
    found = DATA.search(page)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """Every sample's page, made once through the library (the CLI test below makes one too)."""
    import os

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        return {name: render([collect(Path("samples") / name)]) for name in SAMPLES}
    finally:
        os.chdir(old)


def test_sweep_rates_span_the_axis_log_spaced() -> None:
    rates = sweep_rates(0.1, 10_000)
    assert rates[0] == 0.1 and rates[-1] == 10_000
    assert len(rates) == 41  # 8 a decade over 5 decades, both ends included
    assert rates[8] == 1.0 and rates[16] == 10.0 and rates[24] == 100.0
    assert all(b > a for a, b in itertools.pairwise(rates))
    assert sweep_rates(2, 20) == [2, 2.667, 3.557, 4.743, 6.325, 8.434, 11.25, 15.0, 20]
    with pytest.raises(ValueError):
        sweep_rates(10, 1)


def test_layout_puts_callers_left_of_what_they_call() -> None:
    from sls_check.api import load

    layout = layered(load(ROOT / "samples" / "web-api.yaml").graph)
    layer = {sid: int(x) for sid, (x, _) in layout.pos.items()}
    assert layer["api"] == 0
    assert layer["list_orders"] == layer["create_order"] == layer["api_cert"] == layer["users"] == 1
    assert layer["orders"] == 2
    assert layout.layers == 3 and layout.height == 4


def test_layout_of_a_cycle_terminates_with_the_cycle_in_one_layer() -> None:
    from sls_check.graph import CONNECTS, Edge, Service, ServiceGraph

    g = ServiceGraph()
    for sid, kind in (("in", "api_gateway"), ("q", "sqs"), ("f", "lambda"), ("t", "sns"), ("out", "s3")):
        g.add_service(Service(sid, kind, "us-east-1", {}))
    for src, dst in (("in", "q"), ("q", "f"), ("f", "t"), ("t", "q"), ("f", "out")):
        g.add_edge(Edge(src, dst, CONNECTS, ()))
    layout = layered(g)
    layer = {sid: int(x) for sid, (x, _) in layout.pos.items()}
    assert layer == {"in": 0, "q": 1, "f": 1, "t": 1, "out": 2}
    assert sorted(y for x, y in layout.pos.values() if x == 1) == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_has_a_whole_page(pages: dict[str, str], name: str) -> None:
    page = pages[name]
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page
    for section in ("graph", "findings", "cost", "break-even", "quotas", "sources"):
        assert f'id="s1-{section}"' in page
    assert page.count("<svg") >= 3  # graph, cost, and the quota charts where the spec has rows
    assert 'data-chart="graph"' in page
    assert not re.search(r"(?i)<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"(?i)\ssrc\s*=", page)  # nothing is loaded
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("#", "https://", "http://")) for h in hrefs)  # links: in the page or to read
    data = page_data(page)
    assert data["specs"][0]["file"] == f"samples/{name}"


def test_the_page_numbers_are_the_cost_and_limits_json(
    pages: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("web-api.yaml", "event-pipeline.yaml"):
        spec = page_data(pages[name])["specs"][0]
        code, out, _ = run_cli(capsys, monkeypatch, ROOT, "cost", f"samples/{name}", "--format", "json")
        assert code == 0
        assert spec["cost"]["workload"] == json.loads(out)
        rates = ",".join(repr(r) for r in spec["rates"])
        code, out, _ = run_cli(capsys, monkeypatch, ROOT, "cost", f"samples/{name}", "--rps", rates, "--format", "json")
        assert code == 0
        assert spec["cost"]["sweep"] == json.loads(out)
        code, out, _ = run_cli(capsys, monkeypatch, ROOT, "limits", f"samples/{name}", "--max", "--format", "json")
        assert code in (0, 1)
        assert spec["limits"] == json.loads(out)


def test_the_cost_chart_draws_the_sweep(pages: dict[str, str]) -> None:
    """The sweep table under the chart (the chart's own series) shows the JSON's totals at every rate."""
    page = pages["web-api.yaml"]
    sweep = page_data(page)["specs"][0]["cost"]["sweep"]["scenarios"]
    table = page[page.index("data-table='sweep'") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td class=num>([^<]+)</td><td class=num>\$([^<]+)</td>", table)
    assert [float(r) for r, _ in rows] == [s["rps"] for s in sweep]
    assert [float(t.replace(",", "")) for _, t in rows] == [s["total"] for s in sweep]


def test_break_even_is_on_the_entry_axis(pages: dict[str, str]) -> None:
    spec = page_data(pages["web-api.yaml"])["specs"][0]
    last = spec["cost"]["sweep"]["scenarios"][-1]
    for b in last["break_even"]:
        ratio = b["rps"] / last["rps"]  # the function's share of the entry traffic
        entry = b["break_even_rps"] / ratio
        cell = f"<td class=num>{b['break_even_rps']:.3g}</td>"
        assert cell in pages["web-api.yaml"]
        assert f"{entry:.3g}" in pages["web-api.yaml"]


def test_the_page_is_the_same_every_time(pages: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    again = render([collect(Path("samples") / "web-api.yaml")])
    assert again == pages["web-api.yaml"]
    assert "<dc:date>" not in again


HOSTILE = '<script>alert("x")</script>\'"&<img src=x onerror=alert(1)>'


def test_hostile_names_are_escaped_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "<b>bold'&\""
    folder.mkdir()
    spec = folder / "a<i>.yaml"
    text = (ROOT / "samples" / "web-api.yaml").read_text(encoding="utf-8")
    text = text.replace("name: shop-api", f"name: {json.dumps(HOSTILE)}")
    text = text.replace("LOG_LEVEL: info}", f"LOG_LEVEL: {json.dumps(HOSTILE)}}}", 1)
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "r.html"
    code, _, err = run_cli(capsys, monkeypatch, tmp_path, "report", str(spec), "-o", str(out))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert page.count("<script") == 1  # the JSON block only
    assert "<img" not in page and "<b>bold" not in page and "<i>.yaml" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#x27;&quot;&amp;&lt;img" in page
    assert page_data(page)["specs"][0]["name"] == HOSTILE  # the JSON block keeps the text exact


def test_cli_writes_the_page_and_chart_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    code, stdout, err = run_cli(
        capsys, monkeypatch, ROOT, "report", "samples/web-api.yaml", "-o", str(out),
        "--charts", str(tmp_path / "charts"), "--chart-format", "svg,png", "--rps-range", "1,1000",
    )  # fmt: skip
    assert (code, stdout, err) == (0, "", "")
    assert page_data(out.read_text(encoding="utf-8"))["specs"][0]["rates"][:3] == [1.0, 1.334, 1.778]
    names = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert names == sorted(
        f"{k}.{x}" for k in ("graph", "cost", "break-even", "headroom", "walls") for x in ("svg", "png")
    )
    svg = (tmp_path / "charts" / "cost.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<dc:date>" not in svg
    assert (tmp_path / "charts" / "cost.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rps-range", "10,1"], "takes LO,HI with 0 < LO < HI"),
        (["--rps-range", "1"], "takes LO,HI"),
        (["--chart-format", "gif"], "'gif' is not one of svg, png"),
    ],
)
def test_bad_options_are_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    code, out, err = run_cli(capsys, monkeypatch, ROOT, "report", "samples/web-api.yaml", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("<command line>:1:1: ") and message in err


def test_a_broken_spec_is_an_input_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("slscheck: 1\nname: x\nregion: us-east-1\nservices:\n  a: {type: nope}\n", encoding="utf-8")
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, "report", "bad.yaml", "-o", "r.html")
    assert code == 2 and out == ""
    assert err.startswith("bad.yaml:5:") and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


def test_without_matplotlib_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    code, out, err = run_cli(capsys, monkeypatch, ROOT, "report", "samples/web-api.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "<command line>:1:1: slscheck report needs matplotlib: pip install 'slscheck[report]' "
        "(or pip install matplotlib)\n"
    )


def test_other_commands_never_import_matplotlib() -> None:
    code = (
        "import sys\n"
        "from sls_check.cli import main\n"
        "for args in (['validate', 'samples/web-api.yaml'], ['cost', 'samples/web-api.yaml'],"
        " ['limits', 'samples/web-api.yaml', '--max']):\n"
        "    sys.argv = ['slscheck', *args]\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "heavy = ('matplotlib', 'numpy', 'PIL')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith('sls_check.report.'))\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


# ---- a real browser ------------------------------------------------------------------------------

EXPRESSION = """JSON.stringify({
  data: JSON.parse(document.getElementById('slscheck-data').textContent),
  svgs: document.querySelectorAll('figure svg').length,
  graphLinks: Array.from(document.querySelectorAll('figure[data-chart=graph] a'))
    .map(a => a.getAttribute('xlink:href') || a.getAttribute('href')),
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
  totals: Array.from(document.querySelectorAll("table[data-table=sweep] tr td:nth-child(2)")).map(td => td.textContent),
  width: document.documentElement.scrollWidth,
})"""


def test_the_page_in_headless_chromium(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium on this machine (.ci/run installs Debian's chromium package)")
    out = tmp_path / "report.html"
    code, _, err = run_cli(capsys, monkeypatch, ROOT, "report", "samples/web-api.yaml", "-o", str(out))
    assert code == 0, err
    run = open_page(binary, out, expression=EXPRESSION)
    (tmp_path / "report.png").write_bytes(run.screenshot)
    assert run.console_errors == []
    assert run.requests == [out.resolve().as_uri()]  # the file itself, nothing else
    seen = json.loads(run.value)
    spec = seen["data"]["specs"][0]
    code, cost_out, _ = run_cli(capsys, monkeypatch, ROOT, "cost", "samples/web-api.yaml", "--format", "json")
    assert spec["cost"]["workload"] == json.loads(cost_out)
    code, limits_out, _ = run_cli(
        capsys, monkeypatch, ROOT, "limits", "samples/web-api.yaml", "--max", "--format", "json"
    )
    assert spec["limits"] == json.loads(limits_out)
    totals = [float(t.lstrip("$").replace(",", "")) for t in seen["totals"]]
    assert totals == [s["total"] for s in spec["cost"]["sweep"]["scenarios"]]
    assert seen["svgs"] == 5
    # every box of the graph links to an element of the page (its findings, or the no-findings line)
    targets = {link.lstrip("#") for link in seen["graphLinks"] if link}
    assert targets and targets <= set(seen["ids"])
    assert seen["width"] <= 1280  # nothing wider than the window
    assert run.screenshot[:8] == b"\x89PNG\r\n\x1a\n" and run.size[1] > 2000


def test_a_partial_bill_shows_the_lines_without_a_price(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """eu-central-1 has no API Gateway or Cognito price in the tables: those lines say so, never $0.00."""
    out = tmp_path / "r.html"
    args = ("samples/web-api.yaml", "--region", "eu-central-1")
    code, _, err = run_cli(capsys, monkeypatch, ROOT, "report", *args, "-o", str(out))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    spec = page_data(page)["specs"][0]
    code, cost_out, _ = run_cli(capsys, monkeypatch, ROOT, "cost", *args, "--format", "json")
    bill = json.loads(cost_out)
    assert spec["cost"]["workload"] == bill and bill["complete"] is False
    missing = {m["service"] for m in bill["missing"]}
    assert missing  # eu-central-1 lacked API Gateway and Cognito prices (2026-12-02)
    for service in missing:
        rows = re.findall(rf"<tr data-service='{service}'>.*?</tr>", page)
        assert any("not priced: no eu-central-1 price in the" in r for r in rows)
        unpriced = [r for r in rows if "not priced" in r]
        assert all("$0.00" not in r for r in unpriced)
    n = len(bill["missing"])
    assert f"at least (the priced lines; {n} not priced)</th><th class=num data-total>${bill['total']:,.2f}<" in page
    assert "at least (lines without a price)" in page  # the chart's title


SAM = """AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Timeout: 20
      MemorySize: 512
      Architectures: [arm64]
      Events:
        FromJobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""


def test_a_template_with_its_overlay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "template.yaml").write_text(SAM, encoding="utf-8")
    (tmp_path / "o.yaml").write_text("workload: {rps: 20}\nservices: {Worker: {duration_ms: 80}}\n", encoding="utf-8")
    args = ("template.yaml", "--overlay", "o.yaml")
    code, _, err = run_cli(capsys, monkeypatch, tmp_path, "report", *args, "-o", "r.html")
    assert code == 0, err
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    spec = page_data(page)["specs"][0]
    assert spec["entry_rps"] == 20.0
    code, cost_out, _ = run_cli(capsys, monkeypatch, tmp_path, "cost", *args, "--format", "json")
    assert spec["cost"]["workload"] == json.loads(cost_out)
    code, val_out, _ = run_cli(capsys, monkeypatch, tmp_path, "validate", *args, "--format", "json")
    findings = json.loads(val_out)["findings"]

    def key(f: dict[str, Any]) -> str:
        return json.dumps(f, sort_keys=True)

    assert findings and sorted(spec["findings"], key=key) == sorted(findings, key=key)  # at the template's lines
    for f in findings:
        where = f"{f['location']['file']}:{f['location']['line']}:{f['location']['column']}"
        assert where.startswith("template.yaml:") and where in page
    assert "Worker" in page and "Jobs" in page


def test_several_specs_one_page_every_id_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.html"
    code, _, err = run_cli(
        capsys, monkeypatch, ROOT, "report", "samples/web-api.yaml", "samples/event-pipeline.yaml", "-o", str(out)
    )
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert [s["file"] for s in page_data(page)["specs"]] == ["samples/web-api.yaml", "samples/event-pipeline.yaml"]
    assert '<article id="s1"' in page and '<article id="s2"' in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # matplotlib's figure_1, patch_1, clip paths: renamed per chart
    refs = set(re.findall(r"url\(#([^)]+)\)", page)) | set(re.findall(r'href="#([^"]+)"', page))
    assert refs and refs <= set(ids)  # every reference (clip path, marker, link) lands on an element


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-northeast-1"])
@pytest.mark.parametrize("name", SAMPLES)
def test_every_price_on_the_page_names_its_source_and_date(name: str, region: str) -> None:
    """Section 6 lists each figure under the address and date it was read: a tiered price and a
    price whose source is defined in its Region file must resolve too (not an empty source row)."""
    report = collect(ROOT / "samples" / name, region=region)
    prices = [s for s in report.sources if s.kind == "price"]
    refs = {
        ln.source
        for run in (report.bill, report.sweep)
        if run is not None
        for sc in run.scenarios
        for svc in sc.report.services
        for ln in svc.lines
        if ln.source and ln.priced
    }
    assert {s.ref for s in prices} == refs  # every priced line's figure is listed
    for src in prices:
        assert src.url.startswith("https://"), src
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", src.seen), src
