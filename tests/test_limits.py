"""The limits calculator: each quota kind against numbers worked out by hand (in the comments)."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from sls_check.api import load
from sls_check.build import build_graph
from sls_check.limits import find_ceiling, findings_for, rows_for
from sls_check.limits.compute import scale_time_s
from sls_check.limits.data import read_units_per_item, write_units_per_item
from sls_check.limits.rows import Row
from sls_check.model import Severity


def spec(tmp_path: Path, body: str, *, region: str = "us-east-1", head: str = "") -> Path:
    path = tmp_path / "arch.yaml"
    path.write_text(
        f"slscheck: 1\nname: t\nregion: {region}\n{textwrap.dedent(head)}services:\n"
        + textwrap.indent(textwrap.dedent(body), "  "),
        encoding="utf-8",
    )
    return path


def rows_of(path: Path, **traffic: float) -> dict[tuple[str, str, str], Row]:
    rows = rows_for(load(path, **traffic).graph)
    out = {r.key: r for r in rows}
    assert len(out) == len(rows), "one row per (service, quota, check)"
    return out


def one(rows: dict[tuple[str, str, str], Row], service: str, quota: str, check: str | None = None) -> Row:
    found = [r for k, r in rows.items() if k[0] == service and k[1] == quota and (check is None or k[2] == check)]
    assert len(found) == 1, (service, quota, sorted(rows))
    return found[0]


FN = "{{type: lambda, runtime: python3.12, memory_mb: 512, timeout_s: 30, duration_ms: {ms}{extra}}}"


def fn(ms: float, **extra: object) -> str:
    more = "".join(f", {k}: {v}" for k, v in extra.items())
    return FN.format(ms=ms, extra=more)


# ---------------------------------------------------------------- Lambda


def test_unreserved_pool_reservations_and_littles_law(tmp_path: Path) -> None:
    # 100 rps reach each of four functions. a: 1 s -> 100 of its 400 reserved.
    # b: reserved 500. Reservations 900 = 1,000 - the 100 AWS keeps unreserved: at the line (warn).
    # Pool = max(1,000 - 900, 100) = 100; c 0.6 s -> 60, d 0.5 s -> 50: the pool needs 110 (over).
    path = spec(
        tmp_path,
        f"""\
        api: {{type: api_gateway, api: http, connects: [a, b, c, d]}}
        a: {fn(1000, reserved_concurrency=400)}
        b: {fn(100, reserved_concurrency=500)}
        c: {fn(600)}
        d: {fn(500)}
        """,
        head="workload: {rps: 100}\naccount: {lambda_concurrency: 1000}\n",
    )
    rows = rows_of(path)
    a = one(rows, "a", "reserved_concurrency")
    assert (a.limit, a.needed, a.status) == (400, 100, "ok")
    assert a.headroom == 75.0
    # reservations of 900 against 1,000 - 100 are LMB016's alone (one engine per constraint): no limits row
    assert not [r for r in rows.values() if r.check == "lambda_reserved_total"]
    pool = one(rows, "account:us-east-1", "unreserved_pool")
    assert (pool.limit, pool.needed, pool.status) == (100, 110, "over")
    c = one(rows, "c", "lambda_concurrency", "lambda_function_concurrency")
    assert (c.limit, c.needed, c.status) == (100, 60, "ok")
    account = one(rows, "account:us-east-1", "lambda_concurrency", "lambda_account_concurrency")
    assert (account.limit, account.needed) == (1000, 100 + 10 + 60 + 50)


def test_pool_never_below_the_100_aws_keeps(tmp_path: Path) -> None:
    # Reservations of 950 exceed 1,000 - 100: the deploy fails (LMB016's finding; the limits calculator
    # no longer keeps a copy of that check), and the pool is still 100, not 50.
    path = spec(
        tmp_path,
        f"""\
        api: {{type: api_gateway, api: http, connects: [a, c]}}
        a: {fn(100, reserved_concurrency=950)}
        c: {fn(500)}
        """,
        head="workload: {rps: 100}\n",
    )
    rows = rows_of(path)
    assert not [r for r in rows.values() if r.quota == "lambda_unreserved_min"]
    c = one(rows, "c", "lambda_concurrency")
    assert c.limit == 100 and c.needed == 50
    # no unreserved-pool row without reservations, but here c shares max(1,000 - 950, 100) alone
    assert one(rows, "account:us-east-1", "unreserved_pool").limit == 100


def test_account_override_and_duration_fallback_to_timeout(tmp_path: Path) -> None:
    # No duration_ms: the timeout (30 s) is the worst case; 40 rps x 30 s = 1,200 of account 2,000.
    path = spec(
        tmp_path,
        """\
        api: {type: api_gateway, api: http, connects: [slow]}
        slow: {type: lambda, runtime: python3.12, timeout_s: 30}
        """,
        head="workload: {rps: 40}\naccount: {lambda_concurrency: 2000}\n",
    )
    row = one(rows_of(path), "slow", "lambda_concurrency")
    assert (row.limit, row.needed, row.status) == (2000, 1200, "ok")
    assert "timeout 30 s used" in row.note


def test_sync_request_rate_is_ten_times_concurrency(tmp_path: Path) -> None:
    # 250 rps x 10 ms = 2.5 environments of 20 reserved (fine), but 10 x 20 = 200 rps < 250: over.
    path = spec(
        tmp_path,
        f"""\
        api: {{type: api_gateway, api: http, connects: [fast]}}
        fast: {fn(10, reserved_concurrency=20)}
        """,
        head="workload: {rps: 250}\n",
    )
    rows = rows_of(path)
    assert one(rows, "fast", "reserved_concurrency").needed == pytest.approx(2.5)
    sync = one(rows, "fast", "lambda_sync_rps_per_environment")
    assert (sync.limit, sync.needed, sync.status) == (200, 250, "over")


def test_async_and_polled_callers_have_no_sync_rate_row(tmp_path: Path) -> None:
    path = spec(
        tmp_path,
        f"""\
        topic: {{type: sns, connects: [on_event]}}
        queue: {{type: sqs, connects: [worker]}}
        on_event: {fn(100)}
        worker: {fn(100)}
        """,
        head="workload: {rps: 10}\n",
    )
    rows = rows_of(path)
    assert not [k for k in rows if k[1] == "lambda_sync_rps_per_environment"]


@pytest.mark.parametrize(
    ("environments", "seconds"), [(1, 0), (1000, 0), (1001, 0.01), (2500, 15), (2999.5, 20), (3000, 20), (10_000, 90)]
)
def test_scaling_time_at_1000_environments_per_10_s(environments: int, seconds: float) -> None:
    assert scale_time_s(environments, 1000) == seconds


def test_scaling_row_names_the_time_to_peak(tmp_path: Path) -> None:
    # 5,000 rps x 0.6 s = 3,000 environments: 1,000 at once, then 100 a second: 3,000 after 20 s.
    path = spec(
        tmp_path,
        f"""\
        api: {{type: api_gateway, api: http, connects: [f]}}
        f: {fn(600)}
        """,
        head="workload: {rps: 5000}\naccount: {lambda_concurrency: 5000}\n",
    )
    graph = load(path).graph
    row = one({r.key: r for r in rows_for(graph)}, "f", "lambda_scaling_rate")
    assert (row.limit, row.needed, row.status, row.soft) == (1000, 3000, "over", True)
    assert "(3,000 environments) takes 20 s" in row.note
    # soft: a warning in validate, never an error
    found = [f for f in findings_for(graph) if f.rule_id == "LIM006"]
    assert [f.severity for f in found] == [Severity.WARNING]


def test_provisioned_concurrency_spill_and_rate(tmp_path: Path) -> None:
    # peak 300 rps x 0.2 s = 60 environments of 50 provisioned; 10 x 50 = 500 rps for the alias.
    path = spec(
        tmp_path,
        f"""\
        api: {{type: api_gateway, api: http, connects: [f]}}
        f: {fn(200, provisioned_concurrency=50)}
        """,
        head="workload: {rps: 100, peak_rps: 300}\n",
    )
    rows = rows_of(path)
    pc = one(rows, "f", "provisioned_concurrency")
    assert (pc.limit, pc.needed, pc.status) == (50, 60, "over")
    rate = one(rows, "f", "lambda_provisioned_rps_per_environment")
    assert (rate.limit, rate.needed, rate.status) == (500, 300, "ok")


# ---------------------------------------------------------------- API Gateway


@pytest.mark.parametrize(
    ("region", "limit", "status"),
    [("eu-west-1", 10_000, "ok"), ("af-south-1", 2_500, "over"), ("eu-central-2", 2_500, "over")],
)
def test_api_gateway_account_throttle_by_region(tmp_path: Path, region: str, limit: int, status: str) -> None:
    path = spec(
        tmp_path,
        "api: {type: api_gateway, api: rest, endpoint: regional}\n",
        region=region,
        head="workload: {rps: 1000, peak_rps: 3000}\n",
    )
    row = one(rows_of(path), "api", "apigw_throttle_rps")
    assert (row.limit, row.needed, row.status, row.adjustable) == (limit, 3000, status, True)


def test_api_gateway_account_override_stage_throttle_and_burst(tmp_path: Path) -> None:
    path = spec(
        tmp_path,
        "api: {type: api_gateway, api: rest, endpoint: regional, throttle: {rps: 1000, burst: 6000}}\n",
        region="af-south-1",
        head="workload: {rps: 900}\naccount: {api_gateway_rps: 5000}\n",
    )
    rows = rows_of(path)
    assert one(rows, "api", "apigw_throttle_rps").limit == 5000
    stage = one(rows, "api", "throttle.rps")
    assert (stage.limit, stage.needed, stage.status) == (1000, 900, "warn")
    burst = one(rows, "api", "apigw_throttle_burst")  # af-south-1 account burst 1,250
    assert (burst.limit, burst.needed, burst.status, burst.traffic) == (1250, 6000, "over", False)


def test_two_apis_share_the_account_throttle(tmp_path: Path) -> None:
    path = spec(
        tmp_path,
        "a: {type: api_gateway, api: http}\nb: {type: api_gateway, api: rest}\n",
        head="workload: {rps: 6000}\n",
    )
    shared = one(rows_of(path), "account:us-east-1", "apigw_throttle_rps")
    assert (shared.limit, shared.needed, shared.status) == (10_000, 12_000, "over")


@pytest.mark.parametrize(("per_connection", "needed", "status"), [(10, 200, "ok"), (2, 1000, "over")])
def test_websocket_new_connections(tmp_path: Path, per_connection: int, needed: int, status: str) -> None:
    path = spec(
        tmp_path,
        f"ws: {{type: api_gateway, api: websocket, messages_per_connection: {per_connection}}}\n",
        head="workload: {rps: 2000}\n",
    )
    row = one(rows_of(path), "ws", "apigw_websocket_new_connections")
    assert (row.limit, row.needed, row.status) == (500, needed, status)


# ---------------------------------------------------------------- DynamoDB


@pytest.mark.parametrize(
    ("item_kb", "consistency", "read", "write"),
    [
        (1.5, "eventual", 0.5, 2),
        (4, "eventual", 0.5, 4),
        (4.1, "strong", 2, 5),
        (6, "eventual", 1, 6),
        (6, "strong", 2, 6),
        (0.2, "strong", 1, 1),
    ],
)
def test_units_per_item(item_kb: float, consistency: str, read: float, write: float) -> None:
    from sls_check.graph import Service

    table = Service("t", "dynamodb", "us-east-1", {"item_kb": item_kb, "consistency": consistency})
    assert (read_units_per_item(table), write_units_per_item(table)) == (read, write)


DDB = """\
    api: {{type: api_gateway, api: http, connects: [f]}}
    f: {fn}
    t: {{type: dynamodb, item_kb: 6, consistency: {consistency}{extra}}}
    """


def _ddb(tmp_path: Path, consistency: str = "eventual", extra: str = "") -> dict[tuple[str, str, str], Row]:
    # peak 1,000 rps, each request reads 2 items and writes 1 (6 KB items)
    body = DDB.format(
        fn=fn(50).replace("}", ", connects: [{to: t, reads: 2, writes: 1}]}"), consistency=consistency, extra=extra
    )
    return rows_of(spec(tmp_path, body, head="workload: {rps: 1000}\n"))


def test_dynamodb_on_demand_units_from_item_size_and_consistency(tmp_path: Path) -> None:
    # reads: 2,000 items/s x ceil(6/4) = 2 units x 1/2 (eventual) = 2,000 RRU; writes 1,000 x 6 = 6,000 WRU
    rows = _ddb(tmp_path)
    assert one(rows, "t", "dynamodb_table_read_units").needed == 2000
    write = one(rows, "t", "dynamodb_table_write_units")
    assert (write.limit, write.needed, write.status) == (40_000, 6000, "ok")
    warm = one(rows, "t", "dynamodb_ondemand_initial_write_units")  # a new table: 4,000 WRU warm
    assert (warm.limit, warm.status, warm.soft) == (4000, "over", True)
    strong = _ddb(tmp_path, "strong")
    assert one(strong, "t", "dynamodb_table_read_units").needed == 4000


def test_dynamodb_provisioned_and_hot_key(tmp_path: Path) -> None:
    rows = _ddb(tmp_path, "strong", ", billing: provisioned, rcu: 3000, wcu: 8000, hot_key_share: 0.5")
    rcu = one(rows, "t", "rcu")
    assert (rcu.limit, rcu.needed, rcu.status) == (3000, 4000, "over")
    wcu = one(rows, "t", "wcu")
    assert (wcu.limit, wcu.needed, wcu.status) == (8000, 6000, "ok")
    # half the traffic on one key: 2,000 of 3,000 read units, 3,000 of 1,000 write units per partition
    part_r = one(rows, "t", "dynamodb_partition_read_units")
    part_w = one(rows, "t", "dynamodb_partition_write_units")
    assert (part_r.needed, part_r.status, part_w.needed, part_w.status) == (2000, "ok", 3000, "over")
    acct = one(rows, "account:us-east-1", "dynamodb_account_write_capacity")
    assert (acct.limit, acct.needed) == (80_000, 8000)
    assert not [k for k in rows if k[1] == "dynamodb_table_read_units" and k[2] == "dynamodb_table_throughput"]


# ---------------------------------------------------------------- queues, streams, workflows


@pytest.mark.parametrize(
    ("extra", "region", "limit", "status"),
    [
        ("", "us-east-1", 300, "over"),  # 300 calls x 1 message
        (", batch_size: 10", "us-east-1", 3000, "ok"),  # 300 x 10 = 3,000
        (", high_throughput: true", "eu-central-1", 19_000, "ok"),
        (", high_throughput: true", "ca-central-1", 2_400, "ok"),
    ],
)
def test_sqs_fifo(tmp_path: Path, extra: str, region: str, limit: int, status: str) -> None:
    path = spec(tmp_path, f"q: {{type: sqs, fifo: true{extra}}}\n", region=region, head="workload: {rps: 500}\n")
    row = one(rows_of(path), "q", "sqs_fifo_high_throughput_tps" if "high" in extra else "sqs_fifo_tps")
    assert (row.limit, row.needed, row.status) == (limit, 500, status)


def test_standard_queue_has_no_throughput_row(tmp_path: Path) -> None:
    path = spec(tmp_path, "q: {type: sqs}\n", head="workload: {rps: 50000}\n")
    assert not [k for k in rows_of(path) if k[2] == "sqs_fifo_throughput"]


@pytest.mark.parametrize(
    ("region", "records", "requests", "mib"), [("eu-central-1", 5000, 1000, 1), ("us-east-1", 500_000, 2000, 5)]
)
def test_firehose_records_requests_and_bandwidth(
    tmp_path: Path, region: str, records: int, requests: int, mib: int
) -> None:
    # 6,000 records/s of 2 KB: 6,000 calls/s; 6,000 x 2 / 1,024 = 11.72 MiB/s: over both quotas in every Region
    path = spec(tmp_path, "s: {type: kinesis_firehose, record_kb: 2}\n", region=region, head="workload: {rps: 6000}\n")
    rows = rows_of(path)
    rec = one(rows, "s", "firehose_records_per_s")
    assert (rec.limit, rec.status, rec.confirmed) == (records, "over" if records < 6000 else "ok", False)
    req = one(rows, "s", "firehose_requests_per_s")
    assert (req.limit, req.needed, req.status) == (requests, 6000, "over")
    mb = one(rows, "s", "firehose_mb_per_s")
    assert (mb.limit, round(mb.needed, 4), mb.status) == (mib, 11.7188, "over")
    # batches of 500 records: 12 calls/s
    path = spec(
        tmp_path,
        "s: {type: kinesis_firehose, record_kb: 2, batch_records: 500}\n",
        region=region,
        head="workload: {rps: 6000}\n",
    )
    assert one(rows_of(path), "s", "firehose_requests_per_s").needed == 12


@pytest.mark.parametrize(
    ("region", "start_limit", "transition_limit"), [("us-east-1", 300, 5000), ("eu-central-1", 150, 800)]
)
def test_step_functions_standard(tmp_path: Path, region: str, start_limit: int, transition_limit: int) -> None:
    # 200 executions/s x 9 transitions = 1,800 transitions/s
    path = spec(
        tmp_path,
        "wf: {type: step_functions, workflow: standard, transitions: 9}\n",
        region=region,
        head="workload: {rps: 200}\n",
    )
    rows = rows_of(path)
    start = one(rows, "wf", "sfn_start_execution_rps")
    assert (start.limit, start.needed) == (start_limit, 200)
    trans = one(rows, "wf", "sfn_state_transitions_rps")
    assert (trans.limit, trans.needed) == (transition_limit, 1800)
    assert trans.status == ("ok" if transition_limit == 5000 else "over")


def test_step_functions_express_has_no_transition_quota(tmp_path: Path) -> None:
    path = spec(
        tmp_path, "wf: {type: step_functions, workflow: express, transitions: 9}\n", head="workload: {rps: 5000}\n"
    )
    rows = rows_of(path)
    start = one(rows, "wf", "sfn_express_start_execution_rps")
    assert (start.limit, start.needed, start.status) == (6000, 5000, "warn")
    assert not [k for k in rows if k[1] == "sfn_state_transitions_rps"]


def test_sns_fifo_cognito_and_aurora(tmp_path: Path) -> None:
    path = spec(
        tmp_path,
        """\
        topic: {type: sns, fifo: true, message_kb: 8}
        users: {type: cognito_user_pool, rps: 30, signups_rps: 60}
        db: {type: aurora_serverless, engine: aurora-postgresql, max_acu: 64, acu_per_rps: 0.1, rps: 700}
        """,
        head="workload: {rps: 2800}\n",
    )
    rows = rows_of(path)
    assert (one(rows, "topic", "sns_fifo_topic_mps").status) == "warn"  # 2,800 of 3,000
    mb = one(rows, "topic", "sns_fifo_topic_mb_per_s")  # 2,800 x 8 / 1,024 = 21.875
    assert (mb.needed, mb.status) == (21.875, "over")
    signups = one(rows, "users", "cognito_user_creation_rps")
    assert (signups.limit, signups.needed, signups.status) == (50, 60, "over")
    auth = one(rows, "users", "cognito_user_authentication_rps")
    assert not auth.confirmed  # 120 rps not on an AWS page
    acu = one(rows, "db", "max_acu")  # 700 x 0.1 = 70 ACU of 64
    assert (acu.limit, acu.needed, acu.status) == (64, 70, "over")
    assert not [r for r in rows.values() if r.quota == "aurora_serverless_max_acu"]  # max_acu vs 256 is DAT004's alone


def test_unconfirmed_figure_gives_a_warning_not_an_error(tmp_path: Path) -> None:
    path = spec(tmp_path, "users: {type: cognito_user_pool, rps: 300}\n")
    found = [f for f in findings_for(load(path).graph) if f.rule_id == "LIM023"]
    assert [f.severity for f in found] == [Severity.WARNING]


# ---------------------------------------------------------------- payloads


def test_payload_sizes_along_a_path(tmp_path: Path) -> None:
    # 300 KB messages: fine for SQS (1 MiB) and a Lambda, too big for Step Functions (256 KB)
    # and for an SNS topic at its default 256 KB; a topic raised to 1,024 KB takes them.
    path = spec(
        tmp_path,
        f"""\
        q: {{type: sqs, message_kb: 300, connects: [wf, t, big]}}
        wf: {{type: step_functions, workflow: express}}
        t: {{type: sns}}
        big: {{type: sns, max_message_kb: 1024, connects: [f]}}
        f: {fn(10)}
        api: {{type: api_gateway, api: http, request_kb: 7000, connects: [g]}}
        g: {fn(10)}
        """,
    )
    rows = rows_of(path)
    sfn = one(rows, "wf", "sfn_payload_kb")
    assert (sfn.limit, sfn.needed, sfn.status) == (256, 300, "over")
    assert one(rows, "t", "sns_message_kb").status == "over"
    assert (one(rows, "big", "sns_message_kb").limit, one(rows, "big", "sns_message_kb").status) == (1024, "ok")
    carried = one(rows, "f", "lambda_async_payload_kb")  # through the topic, declared on q
    assert (carried.needed, carried.status) == (300, "ok") and "declared on q" in carried.note
    sync = one(rows, "g", "lambda_sync_payload_kb")  # 7,000 KB > 6 MB = 6,144 KB
    assert (sync.limit, sync.needed, sync.status) == (6144, 7000, "over")
    assert one(rows, "api", "apigw_payload_kb").status == "ok"


# ---------------------------------------------------------------- ceiling

CEILING = """\
    api: {{type: api_gateway, api: rest, endpoint: regional, connects: [{{to: a, calls: 0.7}}, {{to: b, calls: 0.3}}]}}
    a: {a}
    b: {b}
    cron: {cron}
    """


def test_ceiling_on_a_multi_path_sample(tmp_path: Path) -> None:
    # Entry: average r, peak P = 4r. a gets 0.7 P (0.1 s), b 0.3 P (1 s, reserved 200), cron is pinned at
    # 5 rps x 10 s = 50 environments whatever the entry traffic.
    #   b reserved:        0.3 P = 200             -> P =   666.67, r =  166.67
    #   account (1,000):   0.07 P + 0.3 P + 50 = 1,000 -> P = 2,567.57, r = 641.89
    #   b sync (10 x 200): 0.3 P = 2,000           -> P = 6,666.67, r = 1,666.67
    #   (API 10,000 rps at P = 10,000 comes later; b's own concurrency row repeats the account quota)
    body = CEILING.format(a=fn(100), b=fn(1000, reserved_concurrency=200), cron=fn(10_000, rps=5))
    path = spec(tmp_path, body, region="eu-west-1", head="workload: {rps: 100, peak_rps: 400}\n")
    analysis = load(path)
    ceiling = find_ceiling(lambda r: build_graph(analysis.spec, rps=r, peak_rps=4 * r), shape=4.0, base_rps=100)
    got = [(w.row.service, w.row.quota, round(w.rps, 2), round(w.peak_rps, 2)) for w in ceiling.walls]
    assert got == [
        ("b", "reserved_concurrency", 166.67, 666.67),
        ("account:eu-west-1", "lambda_concurrency", 641.89, 2567.57),
        ("b", "lambda_sync_rps_per_environment", 1666.67, 6666.67),
    ]
    # at its wall each row is exactly at its limit
    assert all(math.isclose(w.row.needed, w.row.limit, rel_tol=1e-6) for w in ceiling.walls)
    assert ceiling.to_json()["max_rps"] == 166.667


def test_ceiling_api_with_the_cli_shape(tmp_path: Path) -> None:
    from sls_check.api import limits

    body = CEILING.format(a=fn(100), b=fn(1000, reserved_concurrency=200), cron=fn(10_000, rps=5))
    path = spec(tmp_path, body, region="eu-west-1", head="workload: {rps: 100, peak_rps: 400}\n")
    result = limits(path, ceiling=True)
    assert result.ceiling is not None and result.ceiling.shape == 4.0
    assert round(result.ceiling.max_rps or 0, 2) == 166.67


def test_ceiling_with_nothing_that_grows(tmp_path: Path) -> None:
    path = spec(tmp_path, "bucket: {type: acm_certificate, domain: example.com}\n")
    analysis = load(path)
    ceiling = find_ceiling(lambda r: build_graph(analysis.spec, rps=r, peak_rps=r))
    assert ceiling.walls == () and ceiling.max_rps is None


def test_over_at_any_traffic_is_a_wall_at_zero(tmp_path: Path) -> None:
    # a pinned 2,000 rps on a FIFO queue is over 300 whatever the entry does
    path = spec(tmp_path, "q: {type: sqs, fifo: true, rps: 2000}\napi: {type: api_gateway, api: http}\n")
    analysis = load(path)
    ceiling = find_ceiling(lambda r: build_graph(analysis.spec, rps=r, peak_rps=r))
    assert (ceiling.walls[0].rps, ceiling.walls[0].row.service) == (0.0, "q")


# ---------------------------------------------------------------- findings


def test_findings_severity_and_location(tmp_path: Path) -> None:
    path = spec(
        tmp_path,
        f"""\
        api: {{type: api_gateway, api: http, connects: [f]}}
        f: {fn(10, reserved_concurrency=20)}
        """,
        head="workload: {rps: 190}\n",
    )
    analysis = load(path)
    found = findings_for(analysis.graph, locate=lambda p: analysis.spec.locate(p, key=True))
    by_rule = {f.rule_id: f for f in found}
    # 190 of 10 x 20 = 200 sync rps: 95 % used -> warning, at the service's key (line 7)
    assert by_rule["LIM005"].severity == Severity.WARNING
    assert (by_rule["LIM005"].location.line, by_rule["LIM005"].location.column) == (7, 3)
    assert "needs 190 requests/s at peak of 200 (95% used)" in by_rule["LIM005"].message
    over = findings_for(load(path, rps=250).graph)
    assert [f.severity for f in over if f.rule_id == "LIM005"] == [Severity.ERROR]


def test_ceiling_of_the_web_api_sample() -> None:
    # samples/web-api.yaml: average 50, peak 400 (shape 8); api -> list_orders (0.7, 45 ms), create_order (0.3, 120 ms)
    #   API throttle:        P = 10,000                         -> r = 1,250
    #   list_orders sync:    0.7 P = 10 x 1,000                 -> P = 14,285.71, r = 1,785.71
    #   account concurrency: 0.7 P x 0.045 + 0.3 P x 0.12 = 0.0675 P = 1,000 -> P = 14,814.81, r = 1,851.85
    from sls_check.api import limits

    root = Path(__file__).resolve().parent.parent
    ceiling = limits(root / "samples" / "web-api.yaml", ceiling=True).ceiling
    assert ceiling is not None and ceiling.shape == 8.0
    got = [(w.row.service, w.row.quota, round(w.rps, 2), round(w.peak_rps, 2)) for w in ceiling.walls]
    assert got == [
        ("api", "apigw_throttle_rps", 1250.0, 10000.0),
        ("list_orders", "lambda_sync_rps_per_environment", 1785.71, 14285.71),
        ("account:eu-west-1", "lambda_concurrency", 1851.85, 14814.81),
    ]


@pytest.mark.parametrize("start", [34.0, 3.0, 0.0])
def test_settle_finds_a_wall_the_line_misses(start: float) -> None:
    # a demand that is not linear (rps squared, limit 100): the wall is at 10 whatever the prediction
    from sls_check.limits.ceiling import _settle

    def at(rps: float) -> dict[tuple[str, str, str], Row]:
        return {("s", "q", "c"): Row("s", "q", "c", 100.0, rps * rps, "u", True, "https://example.com")}

    found = _settle(at, ("s", "q", "c"), start, (-2.0, 3.0))
    assert found is not None and math.isclose(found[0], 10.0, rel_tol=1e-6)


def test_a_queue_maximum_message_size_lowers_its_limit(tmp_path: Path) -> None:
    path = spec(tmp_path, "q: {type: sqs, message_kb: 300, max_message_kb: 256}\n")
    row = one(rows_of(path), "q", "sqs_message_kb")
    assert (row.limit, row.needed, row.status) == (256, 300, "over")


def test_scaling_note_says_no_wait_when_the_first_step_covers_the_peak() -> None:
    from sls_check.limits.compute import _ramp_note

    # AWS: up to 1,000 new environments at once, then 1,000 every 10 s (scaling-behavior.html)
    assert _ramp_note(800, 1000) == "from zero to peak (800 environments) in the first step of 1,000: no ramp-up wait"
    assert _ramp_note(1000, 1000).endswith("no ramp-up wait")
    assert _ramp_note(1001, 1000) == "from zero to peak (1,001 environments) takes 0.01 s"
    assert _ramp_note(3000, 1000) == "from zero to peak (3,000 environments) takes 20 s"


def test_headroom_is_rounded_down_never_up_to_an_unused_quota() -> None:
    from sls_check.limits.rows import Row

    def room(limit: float, needed: float) -> float | None:
        return Row("s", "q", "c", limit, needed, "u", True, "https://example.com").headroom

    assert room(40000, 20) == 99.9  # 99.95 % left: not shown as +100.0 %
    assert room(10000, 100) == 99.0  # exact values stay exact
    assert room(1000, 1000) == 0.0
    assert room(1000, 66667) == -6566.7  # over: rounded down too (the more-over side)
    assert room(0, 5) is None
