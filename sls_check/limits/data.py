"""DynamoDB, S3 and Aurora Serverless demand models."""

from __future__ import annotations

import math
from collections import defaultdict

from sls_check.graph import Service
from sls_check.limits.rows import Context, Row, account_id
from sls_check.reporters.numbers import quantity as qty
from sls_check.spec import setting

PROVISIONED_DOCS = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html"


def read_units_per_item(table: Service, read_kb: float = 4.0) -> float:
    """RRU (or RCU) per item read: whole 4 KB steps, half for eventually consistent reads."""
    steps = max(math.ceil(float(setting(table, "item_kb")) / read_kb - 1e-9), 1)
    return steps * (0.5 if setting(table, "consistency") == "eventual" else 1.0)


def write_units_per_item(table: Service, write_kb: float = 1.0) -> float:
    """WRU (or WCU) per item write: whole 1 KB steps."""
    return float(max(math.ceil(float(setting(table, "item_kb")) / write_kb - 1e-9), 1))


def dynamodb_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    prov_rcu: dict[str, float] = defaultdict(float)
    prov_wcu: dict[str, float] = defaultdict(float)
    for t in ctx.services("dynamodb"):
        region = t.region
        rkb = ctx.value("dynamodb_read_unit_kb", region)
        wkb = ctx.value("dynamodb_write_unit_kb", region)
        r_unit, w_unit = read_units_per_item(t, rkb), write_units_per_item(t, wkb)
        reads, writes = ctx.peak_reads(t.id), ctx.peak_writes(t.id)
        if not reads and not writes:
            reads = ctx.peak(t.id)  # an entry table's traffic has no read/write split: reads, as for S3
        rru = reads * r_unit
        wru = writes * w_unit
        how = f"{qty(r_unit)} read units per item ({setting(t, 'consistency')}), {qty(w_unit)} write units per item"
        if setting(t, "billing") == "provisioned":
            rows += _provisioned(ctx, t, rru, wru, how)
            prov_rcu[region] += float(t.get("rcu") or 0)
            prov_wcu[region] += float(t.get("wcu") or 0)
        else:
            rows += [
                ctx.row(
                    service=t.id,
                    quota="dynamodb_table_read_units",
                    check="dynamodb_table_throughput",
                    limit=ctx.value("dynamodb_table_read_units", region),
                    needed=rru,
                    region=region,
                    unit="RRU/s",
                    note=how,
                ),
                ctx.row(
                    service=t.id,
                    quota="dynamodb_table_write_units",
                    check="dynamodb_table_throughput",
                    limit=ctx.value("dynamodb_table_write_units", region),
                    needed=wru,
                    region=region,
                    unit="WRU/s",
                    note=how,
                ),
                ctx.row(
                    service=t.id,
                    quota="dynamodb_ondemand_initial_read_units",
                    check="dynamodb_ondemand_warm_throughput",
                    limit=ctx.value("dynamodb_ondemand_initial_read_units", region),
                    needed=rru,
                    region=region,
                    unit="RRU/s",
                    note="a new table; pre-warm it to start higher",
                ),
                ctx.row(
                    service=t.id,
                    quota="dynamodb_ondemand_initial_write_units",
                    check="dynamodb_ondemand_warm_throughput",
                    limit=ctx.value("dynamodb_ondemand_initial_write_units", region),
                    needed=wru,
                    region=region,
                    unit="WRU/s",
                    note="a new table; pre-warm it to start higher",
                ),
            ]
        share = t.get("hot_key_share")
        if share is not None:
            share = min(max(float(share), 0.0), 1.0)
            note = f"{share:.0%} of the table's traffic on one partition key"
            rows += [
                ctx.row(
                    service=t.id,
                    quota="dynamodb_partition_read_units",
                    check="dynamodb_partition_throughput",
                    limit=ctx.value("dynamodb_partition_read_units", region),
                    needed=rru * share,
                    region=region,
                    note=note,
                ),
                ctx.row(
                    service=t.id,
                    quota="dynamodb_partition_write_units",
                    check="dynamodb_partition_throughput",
                    limit=ctx.value("dynamodb_partition_write_units", region),
                    needed=wru * share,
                    region=region,
                    note=note,
                ),
            ]
    for region in sorted(set(prov_rcu) | set(prov_wcu)):
        rows += [
            ctx.row(
                service=account_id(region),
                quota="dynamodb_account_read_capacity",
                check="dynamodb_account_provisioned",
                limit=ctx.value("dynamodb_account_read_capacity", region),
                needed=prov_rcu[region],
                region=region,
                traffic=False,
                note="sum of provisioned rcu",
            ),
            ctx.row(
                service=account_id(region),
                quota="dynamodb_account_write_capacity",
                check="dynamodb_account_provisioned",
                limit=ctx.value("dynamodb_account_write_capacity", region),
                needed=prov_wcu[region],
                region=region,
                traffic=False,
                note="sum of provisioned wcu",
            ),
        ]
    return rows


def _provisioned(ctx: Context, t: Service, rru: float, wru: float, how: str) -> list[Row]:
    rows: list[Row] = []
    region = t.region
    # a provisioned rcu/wcu above the per-table quota is DDB007's (rules/dynamodb.yaml): one engine per constraint
    for key, needed, unit, what in (("rcu", rru, "RCU", "read"), ("wcu", wru, "WCU", "write")):
        cap = t.get(key)
        if cap is None:
            continue
        rows.append(
            ctx.row(
                service=t.id,
                quota=key,
                title=f"Provisioned {what} capacity (the table's {key})",
                check="dynamodb_provisioned_capacity",
                limit=float(cap),
                needed=needed,
                region=region,
                unit=f"{unit} (per s)",
                adjustable=True,
                docs=PROVISIONED_DOCS,
                note=how,
            )
        )
    return rows


def s3_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for b in ctx.services("s3"):
        prefixes = max(int(setting(b, "prefixes")), 1)
        reads, writes = ctx.peak_reads(b.id), ctx.peak_writes(b.id)
        if not reads and not writes:
            reads = ctx.peak(b.id)  # traffic without a read/write split counts as reads
        note = f"{prefixes} prefix{'es' if prefixes > 1 else ''}"
        rows += [
            ctx.row(
                service=b.id,
                quota="s3_prefix_read_rps",
                check="s3_prefix_request_rate",
                limit=ctx.value("s3_prefix_read_rps", b.region) * prefixes,
                needed=reads,
                region=b.region,
                note=note,
            ),
            ctx.row(
                service=b.id,
                quota="s3_prefix_write_rps",
                check="s3_prefix_request_rate",
                limit=ctx.value("s3_prefix_write_rps", b.region) * prefixes,
                needed=writes,
                region=b.region,
                note=note,
            ),
        ]
    return rows


def aurora_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for db in ctx.services("aurora_serverless"):
        max_acu = db.get("max_acu")
        if max_acu is None:
            continue
        # max_acu above the engine maximum is DAT004's (rules/data.yaml): one engine per constraint
        per_rps = db.get("acu_per_rps")
        if per_rps is not None:
            rows.append(
                ctx.row(
                    service=db.id,
                    quota="max_acu",
                    title="Maximum capacity (the database's max_acu)",
                    check="aurora_capacity",
                    limit=float(max_acu),
                    needed=ctx.peak(db.id) * float(per_rps),
                    region=db.region,
                    unit="ACU",
                    adjustable=True,
                    docs=ctx.catalog.quotas["aurora_serverless_max_acu"].docs,
                    note=f"{qty(float(per_rps))} ACU per request/s",
                )
            )
    return rows
