"""The demand models of the limits calculator: shared account quotas, batching, entry tables.
(Was test_review_limits.py.)

Review of the limits calculator against AWS documentation: regression tests, each with its hand calculation.

Sources read on 2026-11-26 (AWS documentation unless said otherwise):
- Lambda scaling-behavior.html (1,000 environments per 10 s per function), gettingstarted-limits.html
  (10 synchronous requests per second per environment), configuration-concurrency.html (reservations
  leave 100 unreserved);
- API Gateway limits.html (10,000 rps / 5,000 burst; 2,500 / 1,250 in thirteen Regions; "the burst
  quota is determined by the API Gateway service team ... not a quota that a customer can control");
- SNS large-message-payloads.html and SetTopicAttributes (256 KiB by default, up to 1 MiB); the AWS
  General Reference SNS page (Publish throttling per account and Region, standard and FIFO columns),
  read in a Markdown copy of the page.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sls_check.api import load
from sls_check.build import build_graph
from sls_check.cli import app
from sls_check.limits import Ceiling, find_ceiling, findings_for, load_catalog, rows_for
from sls_check.limits.rows import Row
from sls_check.rules_engine.packs import load_rules


def spec(tmp_path: Path, body: str, *, region: str = "us-east-1", head: str = "") -> Path:
    path = tmp_path / "arch.yaml"
    path.write_text(
        f"slscheck: 1\nname: t\nregion: {region}\n{textwrap.dedent(head)}services:\n"
        + textwrap.indent(textwrap.dedent(body), "  "),
        encoding="utf-8",
    )
    return path


def rows_of(path: Path, **traffic: float) -> dict[tuple[str, str], Row]:
    return {(r.service, r.quota): r for r in rows_for(load(path, **traffic).graph)}


def ceiling_of(path: Path, **traffic: float) -> Ceiling:
    analysis = load(path, **traffic)
    graph = analysis.graph
    shape = graph.entry_peak_rps / graph.entry_rps if graph.entry_rps > 0 else 1.0
    return find_ceiling(
        lambda r: build_graph(analysis.spec, rps=r, peak_rps=r * shape),
        shape=shape,
        base_rps=graph.entry_rps or 1.0,
        account=graph.account,
    )


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


FN = "{{type: lambda, runtime: python3.12, duration_ms: {ms}{extra}}}"


def fn(ms: float, **extra: object) -> str:
    return FN.format(ms=ms, extra="".join(f", {k}: {v}" for k, v in extra.items()))


# ---------------------------------------------------------------- the ceiling: one wall per quota raised


def test_the_unreserved_pool_is_one_wall_with_the_functions_that_share_it(tmp_path: Path) -> None:
    # Account 1,000, a reserves 800: pool = max(1,000 - 800, 100) = 200, shared by b and c.
    # At entry rps r: b needs r x 1 s, c needs r x 0.5 s -> the pool needs 1.5 r = 200 at r = 133.33.
    # b alone would reach the pool at r = 200, but that is the same pool (raised with the account
    # concurrency), not a second wall. Then: a reaches its 800 reserved at r = 800; b and c reach
    # 10 x 200 = 2,000 synchronous requests/s at r = 2,000 (the API's 10,000 only at r = 10,000).
    path = spec(
        tmp_path,
        f"""\
        api: {{type: api_gateway, api: http, connects: [a, b, c]}}
        a: {fn(1000, reserved_concurrency=800)}
        b: {fn(1000)}
        c: {fn(500)}
        """,
        head="workload: {rps: 10}\n",
    )
    walls = ceiling_of(path).walls
    assert [(round(w.rps, 2), w.row.service, w.row.quota) for w in walls] == [
        (133.33, "account:us-east-1", "unreserved_pool"),
        (800.0, "a", "reserved_concurrency"),
        (2000.0, "b", "lambda_sync_rps_per_environment"),
    ]


# ---------------------------------------------------------------- API Gateway: the burst is AWS's, not ours


def test_a_stage_burst_above_the_account_burst_is_a_warning_left_to_apg016(tmp_path: Path) -> None:
    # eu-south-1 (Milan) is one of the Regions with 2,500 rps and a 1,250 burst. A stage burst of
    # 2,000 > 1,250 is capped by the account bucket: it throttles nothing, so it is no error. The row
    # still shows it (over, headroom (1,250 - 2,000) / 1,250 = -60 %); validate leaves the finding
    # to APG016, which reports the same configuration with or without traffic.
    path = spec(
        tmp_path,
        f"""\
        api: {{type: api_gateway, api: rest, throttle: {{rps: 1000, burst: 2000}}, connects: [f]}}
        f: {fn(100)}
        """,
        region="eu-south-1",
        head="workload: {rps: 100}\n",
    )
    burst = rows_of(path)[("api", "apigw_throttle_burst")]
    assert (burst.limit, burst.needed, burst.status, burst.headroom) == (1250, 2000, "over", -60.0)
    assert burst.soft and burst.covered_by == "APG016"
    graph = load(path).graph
    assert not [f for f in findings_for(graph) if f.rule_id == "LIM011"]
    code, out = run("limits", str(path), "--format", "json")
    assert code == 0, out  # nothing else is over: 100 rps of 1,000 (stage) and 2,500 (account)
    code, out = run("validate", str(path), "--format", "json")
    ids = [f["rule_id"] for f in json.loads(out)["findings"]]
    assert "APG016" in ids and "LIM011" not in ids


def test_a_row_that_is_covered_names_a_rule_that_exists() -> None:
    ids = {r.id for r in load_rules().rules}
    for check in load_catalog().checks.values():
        assert check.covered_by is None or check.covered_by in ids
    assert "APG016" in ids  # the burst row's own covered_by (edge_api.py)


# ---------------------------------------------------------------- SNS


@pytest.mark.parametrize(
    ("region", "limit", "status"),
    [
        # two FIFO topics get 2,000 messages/s each at peak: 4,000 messages/s to the account's FIFO
        # Publish quota: 3,000 in eu-central-1 (over), 9,000 in eu-west-1 (ok), 30,000 in us-east-1 (ok)
        ("eu-central-1", 3000, "over"),
        ("eu-west-1", 9000, "ok"),
        ("us-east-1", 30000, "ok"),
    ],
)
def test_fifo_topics_share_the_account_publish_quota(tmp_path: Path, region: str, limit: int, status: str) -> None:
    path = spec(
        tmp_path,
        f"""\
        api: {{type: api_gateway, api: http, connects: [f]}}
        f: {fn(50, connects="[t1, t2]")}
        t1: {{type: sns, fifo: true}}
        t2: {{type: sns, fifo: true}}
        """,
        region=region,
        head="workload: {rps: 1000, peak_rps: 2000}\n",
    )
    rows = rows_of(path)
    account = rows[(f"account:{region}", "sns_fifo_publish_mps")]
    assert (account.limit, account.needed, account.status) == (limit, 4000, status)
    topic = rows[("t1", "sns_fifo_topic_mps")]  # 3,000 per topic with topic throughput scope
    assert (topic.limit, topic.needed) == (3000, 2000)


def test_one_fifo_topic_has_no_account_row(tmp_path: Path) -> None:
    # one topic: its own 3,000 messages/s is never above the account's (3,000 or more)
    path = spec(
        tmp_path,
        """\
        t1: {type: sns, fifo: true}
        """,
        head="workload: {rps: 10}\n",
    )
    assert not [k for k in rows_of(path) if k[1] == "sns_fifo_publish_mps"]


def test_sns_message_size_figures() -> None:
    quotas = load_catalog().quotas
    assert quotas["sns_message_kb"].value == 256 and quotas["sns_message_kb"].status == "confirmed"
    publish = quotas["sns_publish_mps"]
    # General Reference: 30,000 us-east-1; 9,000 us-west-2, eu-west-1; 1,500 in eight Regions; 300 elsewhere
    assert [publish.resolve(r) for r in ("us-east-1", "eu-west-1", "eu-central-1", "ap-northeast-1", "eu-west-3")] == [
        30000,
        9000,
        1500,
        1500,
        300,
    ]
    fifo = quotas["sns_fifo_publish_mps"]
    assert [fifo.resolve(r) for r in ("us-east-1", "us-west-2", "eu-central-1")] == [30000, 9000, 3000]


# ---------------------------------------------------------------- Cognito: the category quotas are account-wide


def test_user_pools_share_the_account_category_quotas(tmp_path: Path) -> None:
    # Cognito quotas page: a category's rate holds "against all of your user pools" in a Region.
    # Sign-ins at peak 70 + 60 = 130 > 120 (UserAuthentication, unconfirmed figure: a warning);
    # sign-ups 30 + 25 = 55 > 50 (UserCreation, confirmed: an error), though each pool alone fits.
    path = spec(
        tmp_path,
        """\
        p1: {type: cognito_user_pool, rps: 50, peak_rps: 70, signups_rps: 30}
        p2: {type: cognito_user_pool, rps: 40, peak_rps: 60, signups_rps: 25}
        """,
        head="workload: {rps: 1}\n",
    )
    rows = rows_of(path)
    auth = rows[("account:us-east-1", "cognito_user_authentication_rps")]
    create = rows[("account:us-east-1", "cognito_user_creation_rps")]
    assert (auth.limit, auth.needed, auth.status) == (120, 130, "over")
    assert (create.limit, create.needed, create.status) == (50, 55, "over")
    assert rows[("p1", "cognito_user_creation_rps")].status == "ok"
    found = {(f.service, f.severity.label) for f in findings_for(load(path).graph) if f.rule_id == "LIM023"}
    assert ("account:us-east-1", "error") in found and ("account:us-east-1", "warning") in found


# ---------------------------------------------------------------- JSON numbers keep their precision


def test_json_needed_keeps_small_quantities(tmp_path: Path) -> None:
    # 3 records/s of 1 KB into a Firehose stream: 3 x 1 / 1,024 = 0.0029296875 MiB/s. Rounded to three
    # decimals this was 0.003 (2.4 % off); JSON now carries 12 significant digits. A function at
    # 3 rps x 0.137 s = 0.411 environments, and whole numbers stay ints.
    path = spec(
        tmp_path,
        f"""\
        fh: {{type: kinesis_firehose, record_kb: 1}}
        f: {fn(137)}
        """,
        head="workload: {rps: 3}\n",
    )
    code, out = run("limits", str(path), "--format", "json")
    assert code == 0, out
    rows = {(r["service"], r["quota"]): r for r in json.loads(out)["rows"]}
    assert rows[("fh", "firehose_mb_per_s")]["needed"] == 0.0029296875
    assert rows[("f", "lambda_concurrency")]["needed"] == pytest.approx(0.411, rel=1e-12)
    limit = rows[("fh", "firehose_mb_per_s")]["limit"]
    assert limit == 5 and isinstance(limit, int)


# ---------------------------------------------------------------- Firehose: a request holds at most 4 MB


def test_large_records_fit_fewer_to_a_putrecordbatch(tmp_path: Path) -> None:
    # API_PutRecordBatch: up to 500 records, "up to a limit of 4 MB for the entire request".
    # 100 KB records: 4,096 / 100 = 40 per request (not 500): 100 records/s -> 2.5 requests/s.
    # Bandwidth: 100 x 100 / 1,024 = 9.77 MiB/s against 1 MiB/s in eu-central-1 (over).
    path = spec(
        tmp_path,
        """\
        fh: {type: kinesis_firehose, record_kb: 100, batch_records: 500}
        """,
        region="eu-central-1",
        head="workload: {rps: 100}\n",
    )
    rows = rows_of(path)
    requests = rows[("fh", "firehose_requests_per_s")]
    assert (requests.limit, requests.needed) == (1000, 2.5) and "40 records per request" in requests.note
    assert rows[("fh", "firehose_mb_per_s")].needed == pytest.approx(100 * 100 / 1024)
    # small records: the 500-record cap binds (1 KB x 500 = 500 KB < 4 MB)
    path = spec(
        tmp_path,
        """\
        fh: {type: kinesis_firehose, record_kb: 1, batch_records: 500}
        """,
        region="eu-central-1",
        head="workload: {rps: 1000}\n",
    )
    assert rows_of(path)[("fh", "firehose_requests_per_s")].needed == 2


# ---------------------------------------------------------------- SQS FIFO: a batch holds at most 1 MiB


def test_large_messages_fit_fewer_to_a_fifo_batch(tmp_path: Path) -> None:
    # SendMessageBatch: at most 10 messages and 1 MiB in all. 300 KB messages: 1,024 / 300 -> 3 per
    # batch, so a FIFO queue (300 calls/s) carries 900 messages/s, not 3,000: 1,000/s is over.
    path = spec(
        tmp_path,
        """\
        q: {type: sqs, fifo: true, batch_size: 10, message_kb: 300}
        """,
        head="workload: {rps: 1000}\n",
    )
    row = rows_of(path)[("q", "sqs_fifo_tps")]
    assert (row.limit, row.needed, row.status) == (900, 1000, "over")
    # 64 KB messages: 16 would fit, the 10-message cap binds: 3,000 messages/s
    path = spec(
        tmp_path,
        """\
        q: {type: sqs, fifo: true, batch_size: 10, message_kb: 64}
        """,
        head="workload: {rps: 1000}\n",
    )
    assert rows_of(path)[("q", "sqs_fifo_tps")].limit == 3000


# ---------------------------------------------------------------- an entry table counts its traffic as reads


def test_an_entry_table_counts_its_traffic_as_reads(tmp_path: Path) -> None:
    # A table nothing connects to gets the entry rate (100 at peak) with no read/write split; the S3
    # model counts such traffic as reads, and so does the DynamoDB model now (it saw zero units):
    # 100 reads/s x ceil(6 / 4) = 2 units x 1/2 (eventual) = 100 RRU/s; no writes.
    path = spec(
        tmp_path,
        """\
        t: {type: dynamodb, item_kb: 6}
        b: {type: s3}
        """,
        head="workload: {rps: 50, peak_rps: 100}\n",
    )
    rows = rows_of(path)
    assert rows[("t", "dynamodb_table_read_units")].needed == 100
    assert rows[("t", "dynamodb_table_write_units")].needed == 0
    assert rows[("b", "s3_prefix_read_rps")].needed == 100


def test_firehose_note_singular_for_one_record_per_request() -> None:
    from sls_check.api import limits

    result = limits(Path(__file__).resolve().parents[1] / "samples" / "event-pipeline.yaml", rps=2000)
    notes = [r.note for r in result.rows if r.check == "firehose_stream_throughput" and "per request" in r.note]
    assert notes and all(n == "1 record per request" or "records per request" in n for n in notes)
    assert "1 record per request" in notes
