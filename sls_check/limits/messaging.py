"""SQS FIFO, SNS FIFO, Firehose, Step Functions and Cognito demand models."""

from __future__ import annotations

import math
from collections import defaultdict

from sls_check.limits.rows import Context, Row, account_id
from sls_check.reporters.numbers import quantity as qty
from sls_check.spec import setting

KB_PER_MB = 1024.0


def sqs_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for q in ctx.services("sqs"):
        if not q.get("fifo"):
            continue  # standard queues: nearly unlimited API calls per second
        batch_max = ctx.value("sqs_fifo_batch_max", q.region)
        batch = min(max(float(setting(q, "batch_size")), 1.0), batch_max)
        kb = q.get("message_kb")
        if kb is not None and float(kb) > 0:  # a batch holds at most 1 MiB of messages
            batch = max(min(batch, math.floor(ctx.value("sqs_batch_kb", q.region) / float(kb) + 1e-9)), 1.0)
        quota = "sqs_fifo_high_throughput_tps" if q.get("high_throughput") else "sqs_fifo_tps"
        tps = ctx.value(quota, q.region)
        rows.append(
            ctx.row(
                service=q.id,
                quota=quota,
                check="sqs_fifo_throughput",
                limit=tps * batch,
                needed=ctx.peak(q.id),
                region=q.region,
                unit="messages/s",
                note=f"{qty(tps)} calls/s x {qty(batch)} messages per call",
            )
        )
    return rows


def sns_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    fifo_total: dict[str, float] = defaultdict(float)
    fifo_topics: dict[str, int] = defaultdict(int)
    for topic in ctx.services("sns"):
        if not topic.get("fifo"):
            continue  # standard topics: the Publish quota is recorded in quotas/ but has no row yet
        peak = ctx.peak(topic.id)
        fifo_total[topic.region] += peak
        fifo_topics[topic.region] += 1
        rows.append(
            ctx.row(
                service=topic.id,
                quota="sns_fifo_topic_mps",
                check="sns_fifo_throughput",
                limit=ctx.value("sns_fifo_topic_mps", topic.region),
                needed=peak,
                region=topic.region,
            )
        )
        kb = topic.get("message_kb")
        if kb is not None:
            rows.append(
                ctx.row(
                    service=topic.id,
                    quota="sns_fifo_topic_mb_per_s",
                    check="sns_fifo_throughput",
                    limit=ctx.value("sns_fifo_topic_mb_per_s", topic.region),
                    needed=peak * float(kb) / KB_PER_MB,
                    region=topic.region,
                    note=f"{qty(float(kb))} KB per message",
                )
            )
    for region, total in sorted(fifo_total.items()):
        if fifo_topics[region] >= 2:  # one topic: its own 3,000/s row is the tighter one
            rows.append(
                ctx.row(
                    service=account_id(region),
                    quota="sns_fifo_publish_mps",
                    check="sns_fifo_throughput",
                    limit=ctx.value("sns_fifo_publish_mps", region),
                    needed=total,
                    region=region,
                    note=f"{fifo_topics[region]} FIFO topics share the account's Publish quota",
                )
            )
    return rows


def firehose_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for s in ctx.services("kinesis_firehose"):
        region, peak = s.region, ctx.peak(s.id)
        batch = min(max(float(setting(s, "batch_records")), 1.0), ctx.value("firehose_batch_records", region))
        kb = s.get("record_kb")
        if kb is not None and float(kb) > 0:  # a request holds at most 4 MB of records
            batch = max(min(batch, math.floor(ctx.value("firehose_batch_kb", region) / float(kb) + 1e-9)), 1.0)
        rows += [
            ctx.row(
                service=s.id,
                quota="firehose_records_per_s",
                check="firehose_stream_throughput",
                limit=ctx.value("firehose_records_per_s", region),
                needed=peak,
                region=region,
            ),
            ctx.row(
                service=s.id,
                quota="firehose_requests_per_s",
                check="firehose_stream_throughput",
                limit=ctx.value("firehose_requests_per_s", region),
                needed=peak / batch,
                region=region,
                note=f"{qty(batch)} record{'' if batch == 1 else 's'} per request",
            ),
        ]
        if kb is not None:
            rows.append(
                ctx.row(
                    service=s.id,
                    quota="firehose_mb_per_s",
                    check="firehose_stream_throughput",
                    limit=ctx.value("firehose_mb_per_s", region),
                    needed=peak * float(kb) / KB_PER_MB,
                    region=region,
                    note=f"{qty(float(kb))} KB per record",
                )
            )
    return rows


def step_functions_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    starts: dict[tuple[str, str], float] = defaultdict(float)
    machines: dict[tuple[str, str], int] = defaultdict(int)
    transitions: dict[str, float] = defaultdict(float)
    with_transitions: dict[str, int] = defaultdict(int)
    for sm in ctx.services("step_functions"):
        region, peak = sm.region, ctx.peak(sm.id)
        express = setting(sm, "workflow") == "express"
        quota = "sfn_express_start_execution_rps" if express else "sfn_start_execution_rps"
        starts[(region, quota)] += peak
        machines[(region, quota)] += 1
        rows.append(
            ctx.row(
                service=sm.id,
                quota=quota,
                check="sfn_start_execution",
                limit=ctx.value(quota, region),
                needed=peak,
                region=region,
            )
        )
        per_exec = sm.get("transitions")
        if not express and per_exec is not None:
            needed = peak * float(per_exec)
            transitions[region] += needed
            with_transitions[region] += 1
            rows.append(
                ctx.row(
                    service=sm.id,
                    quota="sfn_state_transitions_rps",
                    check="sfn_state_transitions",
                    limit=ctx.value("sfn_state_transitions_rps", region),
                    needed=needed,
                    region=region,
                    note=f"{qty(float(per_exec))} transitions per execution",
                )
            )
    for (region, quota), total in sorted(starts.items()):
        if machines[(region, quota)] >= 2:
            rows.append(
                ctx.row(
                    service=account_id(region),
                    quota=quota,
                    check="sfn_start_execution",
                    limit=ctx.value(quota, region),
                    needed=total,
                    region=region,
                )
            )
    for region, total in sorted(transitions.items()):
        if with_transitions[region] >= 2:
            rows.append(
                ctx.row(
                    service=account_id(region),
                    quota="sfn_state_transitions_rps",
                    check="sfn_state_transitions",
                    limit=ctx.value("sfn_state_transitions_rps", region),
                    needed=total,
                    region=region,
                )
            )
    return rows


def cognito_rows(ctx: Context) -> list[Row]:
    """Requests that reach a user pool (connects or a pinned rps) count as sign-ins."""
    rows: list[Row] = []
    # the category quotas hold per account and Region, across all user pools (Cognito quotas page)
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    for pool in ctx.services("cognito_user_pool"):
        region = pool.region
        t = ctx.graph.traffic.get(pool.id)
        if ctx.traffic_in(pool.id) or (t is not None and t.pinned):
            rows.append(
                ctx.row(
                    service=pool.id,
                    quota="cognito_user_authentication_rps",
                    check="cognito_request_rate",
                    limit=ctx.value("cognito_user_authentication_rps", region),
                    needed=ctx.peak(pool.id),
                    region=region,
                    note="requests counted as sign-ins",
                )
            )
            sums[(region, "cognito_user_authentication_rps")].append(ctx.peak(pool.id))
        signups = pool.get("signups_rps")
        if signups is not None:
            rows.append(
                ctx.row(
                    service=pool.id,
                    quota="cognito_user_creation_rps",
                    check="cognito_request_rate",
                    limit=ctx.value("cognito_user_creation_rps", region),
                    needed=float(signups),
                    region=region,
                    traffic=False,
                    note="signups_rps",
                )
            )
            sums[(region, "cognito_user_creation_rps")].append(float(signups))
    for (region, quota), needs in sorted(sums.items()):
        if len(needs) >= 2:
            rows.append(
                ctx.row(
                    service=account_id(region),
                    quota=quota,
                    check="cognito_request_rate",
                    limit=ctx.value(quota, region),
                    needed=sum(needs),
                    region=region,
                    traffic=quota == "cognito_user_authentication_rps",
                    note=f"{len(needs)} user pools share the account's quota",
                )
            )
    return rows
