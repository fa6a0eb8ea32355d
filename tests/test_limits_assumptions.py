"""Concurrency that rests on an assumption warns and never fails the gate."""

from __future__ import annotations

from sls_check.limits import findings_for, rows_for
from sls_check.model import Severity

from .conftest import graph_of, spec_yaml


def _concurrency_rows(text: str) -> list:
    return [r for r in rows_for(graph_of(text)) if r.quota == "lambda_concurrency" and r.service == "fn"]


def test_timeout_standing_in_for_duration_only_warns() -> None:
    # 50 rps peak x 30 s timeout = 1,500 executions of 1,000: over, but only because duration_ms is missing
    text = spec_yaml(
        {"api": {"type": "api_gateway", "api": "http", "connects": ["fn"]}, "fn": {"type": "lambda", "timeout_s": 30}},
        workload={"rps": 50},
    )
    (row,) = _concurrency_rows(text)
    assert row.needed == 1500 and row.status == "over"
    found = [f for f in findings_for(graph_of(text)) if f.service == "fn" and f.rule_id == "LIM001"]
    assert found and all(f.severity == Severity.WARNING for f in found)


def test_measured_duration_over_the_pool_is_an_error() -> None:
    text = spec_yaml(
        {
            "api": {"type": "api_gateway", "api": "http", "connects": ["fn"]},
            "fn": {"type": "lambda", "timeout_s": 30, "duration_ms": 30000},
        },
        workload={"rps": 50},
    )
    found = [f for f in findings_for(graph_of(text)) if f.service == "fn" and f.rule_id == "LIM001"]
    assert found and found[0].severity == Severity.ERROR


def test_queue_fed_function_buffers_so_it_warns() -> None:
    # 2,000 rps peak into a queue x 1 s = 2,000 executions: the backlog waits in the queue
    text = spec_yaml(
        {
            "q": {"type": "sqs", "visibility_timeout_s": 60, "trigger_batch_size": 1, "connects": ["fn"]},
            "fn": {"type": "lambda", "timeout_s": 10, "duration_ms": 1000},
        },
        workload={"rps": 2000},
    )
    found = [f for f in findings_for(graph_of(text)) if f.service == "fn" and f.rule_id == "LIM001"]
    assert found and all(f.severity == Severity.WARNING for f in found)
