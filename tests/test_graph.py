"""Graph building and traffic flow, with hand-computed numbers."""

from __future__ import annotations

import pytest

from sls_check.api import load
from sls_check.graph import CERTIFICATE, CONNECTS, DLQ, FUNCTION, USER_POOL
from sls_check.model import InputError

from .conftest import SAMPLES, graph_of, spec_yaml


def test_web_api_sample_traffic() -> None:
    g = load(SAMPLES / "web-api.yaml").graph
    t = g.traffic
    assert (t["api"].rps, t["api"].peak_rps) == (50, 400)
    assert t["list_orders"].rps == pytest.approx(35) and t["create_order"].rps == pytest.approx(15)
    assert t["list_orders"].peak_rps == pytest.approx(280)
    # orders: 35 rps x 3 reads + 15 rps x 2 reads; 15 rps x 1 write
    assert t["orders"].reads_ps == pytest.approx(135) and t["orders"].writes_ps == pytest.approx(15)
    assert t["orders"].rps == pytest.approx(150)
    # a certificate and a user pool are associations, not traffic
    assert t["api_cert"].rps == 0 and t["users"].rps == 0


def test_reference_edges_have_their_kinds() -> None:
    g = load(SAMPLES / "web-api.yaml").graph
    kinds = {(e.source, e.target, e.kind) for e in g.out_edges("api", None)}
    assert ("api", "api_cert", CERTIFICATE) in kinds and ("api", "users", USER_POOL) in kinds
    assert ("api", "list_orders", CONNECTS) in kinds
    g2 = load(SAMPLES / "event-pipeline.yaml").graph
    assert any(e.kind == DLQ and e.target == "ingest_dlq" for e in g2.out_edges("ingest_queue", None))
    g3 = load(SAMPLES / "static-site.yaml").graph
    assert {(e.target, e.event) for e in g3.out_edges("site", frozenset({FUNCTION}))} == {
        ("redirects", "viewer-request"),
        ("headers", "origin-response"),
    }


def test_rps_override_keeps_the_peak_ratio() -> None:
    g = load(SAMPLES / "web-api.yaml", rps=100).graph
    assert g.entry_rps == 100 and g.entry_peak_rps == pytest.approx(800)
    g = load(SAMPLES / "web-api.yaml", rps=100, peak_rps=150).graph
    assert g.entry_peak_rps == 150


def test_monthly_requests_are_730_hours() -> None:
    g = graph_of(spec_yaml({"fn": {"type": "lambda"}}, workload={"monthly_requests": 2_628_000}))
    assert g.traffic["fn"].rps == pytest.approx(1.0)


def test_stream_consumer_gets_the_writes() -> None:
    g = load(SAMPLES / "event-pipeline.yaml").graph
    t = g.traffic
    entry = 30_000_000 / (730 * 3600)
    assert t["ingest"].rps == pytest.approx(entry)
    assert t["events"].writes_ps == pytest.approx(entry) and t["archiver"].rps == pytest.approx(entry)


def test_cloudfront_passes_only_cache_misses_to_origins() -> None:
    g = load(SAMPLES / "static-site.yaml").graph
    t = g.traffic
    assert t["site"].rps == 300
    assert t["redirects"].rps == pytest.approx(300)  # viewer-request runs on every request
    assert t["headers"].rps == pytest.approx(30)  # origin-response only on the 10 % misses
    assert t["content"].reads_ps == pytest.approx(30)


def test_pinned_rate_wins_over_inflow() -> None:
    g = graph_of(
        spec_yaml(
            {"a": {"type": "lambda", "connects": ["b"]}, "b": {"type": "lambda", "rps": 7}}, workload={"rps": 100}
        )
    )
    assert g.traffic["b"].rps == 7


def test_cycle_is_an_input_error_naming_the_services() -> None:
    text = spec_yaml(
        {
            "entry": {"type": "lambda", "connects": ["a"]},
            "a": {"type": "lambda", "connects": ["b"]},
            "b": {"type": "lambda", "connects": ["a"]},
        }
    )
    with pytest.raises(InputError) as err:
        graph_of(text)
    msg = str(err.value)
    assert "traffic cycle" in msg and ("a → b → a" in msg or "b → a → b" in msg)
    assert msg.startswith("arch.yaml:")


def test_cycle_broken_by_a_pin() -> None:
    text = spec_yaml(
        {
            "entry": {"type": "lambda", "connects": ["a"]},
            "a": {"type": "lambda", "connects": ["b"]},
            "b": {"type": "lambda", "rps": 3, "connects": ["a"]},
        },
        workload={"rps": 10},
    )
    g = graph_of(text)
    assert g.traffic["b"].rps == 3 and g.traffic["a"].rps == pytest.approx(13)


def test_calls_multiply() -> None:
    g = graph_of(
        spec_yaml(
            {
                "q": {"type": "sqs", "connects": [{"to": "fn", "calls": 0.1}]},
                "fn": {"type": "lambda", "connects": [{"to": "t", "calls": 4}]},
                "t": {"type": "sns"},
            },
            workload={"rps": 1000},
        )
    )
    assert g.traffic["fn"].rps == pytest.approx(100) and g.traffic["t"].rps == pytest.approx(400)


def test_networkx_view() -> None:
    nx_graph = load(SAMPLES / "web-api.yaml").graph.to_networkx()
    assert nx_graph.number_of_nodes() == 6
    assert nx_graph.nodes["orders"]["type"] == "dynamodb"
    assert nx_graph.has_edge("api", "list_orders")


def test_store_fed_from_outside_passes_its_rate_to_its_consumers() -> None:
    # an upload bucket as entry point notifies a function: every upload is one event
    g = graph_of(
        spec_yaml(
            {"uploads": {"type": "s3", "connects": ["resize"]}, "resize": {"type": "lambda"}}, workload={"rps": 12}
        )
    )
    assert g.traffic["uploads"].rps == 12 and g.traffic["resize"].rps == pytest.approx(12)
    # a pinned table's stream feeds its consumer at the pinned rate
    g = graph_of(
        spec_yaml(
            {
                "t": {"type": "dynamodb", "stream": "new_image", "rps": 5, "connects": ["c"]},
                "c": {"type": "lambda"},
                "api": {"type": "api_gateway", "api": "http"},
            },
            workload={"rps": 100},
        )
    )
    assert g.traffic["c"].rps == pytest.approx(5)


PROBE = """slscheck: 1
name: eq
region: us-east-1
workload: {rps: 100, peak_rps: 500}
services:
  api: {type: api_gateway, api: http, connects: [fn]}
  fn: {type: lambda, runtime: python3.12, duration_ms: 50, connects: [{to: table, reads: 2, writes: 1}]}
  table: {type: dynamodb, billing: provisioned, rcu: 100, wcu: 100, stream: new_image, connects: [consumer]}
  consumer: {type: lambda, runtime: python3.12, duration_ms: 50}
"""


def test_a_table_passes_only_its_writes_to_its_stream_consumer() -> None:
    """Reads of a table emit no stream records: the consumer gets the 100 writes/s, not all 300 requests/s."""
    t = graph_of(PROBE).traffic
    assert (t["table"].reads_ps, t["table"].writes_ps, t["table"].rps) == (200.0, 100.0, 300.0)
    assert (t["consumer"].rps, t["consumer"].peak_rps) == (100.0, 500.0)


def test_store_peak_reads_follow_the_peak_not_the_average() -> None:
    t = graph_of(PROBE).traffic["table"]
    assert (t.peak_reads_ps, t.peak_writes_ps, t.peak_rps) == (1000.0, 500.0, 1500.0)


def test_the_stream_probe_gates_on_read_capacity_at_peak() -> None:
    """The store-flow rules decide which quota gates fire: rcu is 500 needed of 100 (over), and the
    consumer needs 25 concurrent executions (500 writes/s x 50 ms), not 75."""
    from sls_check.limits import rows_for

    rows = {(r.service, r.quota): r for r in rows_for(graph_of(PROBE))}
    rcu = rows[("table", "rcu")]
    assert (rcu.limit, rcu.needed, rcu.status) == (100.0, 500.0, "over")
    consumer = rows[("consumer", "lambda_concurrency")]
    assert (consumer.needed, consumer.status) == (25.0, "ok")


def test_cycles_lists_every_elementary_cycle_deterministically() -> None:
    from sls_check.graph_algorithms import cycles

    edges = [("b", "c"), ("c", "b"), ("a", "b"), ("c", "a"), ("d", "d"), ("d", "e")]
    assert cycles(edges) == [["a", "b", "c"], ["b", "c"], ["d"]]
    assert cycles([("x", "y"), ("y", "z")]) == []


def test_validate_cost_limits_and_import_never_import_networkx() -> None:
    """networkx costs 0.2-0.4 s of import: only graph_algorithms and the report may load it (python -X importtime)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from sls_check import api\n"
        "p = Path('samples/web-api.yaml')\n"
        "api.validate([p], rps=50); api.cost(p); api.limits(p, ceiling=True)\n"
        "t = Path('docs/examples/sam-orders/template.yaml')\n"
        "api.validate([t], rps=50); api.cost(t)\n"
        "print('networkx' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=SAMPLES.parent, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
