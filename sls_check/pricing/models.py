"""One small cost model per service type: spec keys and traffic in, usage out.

A model only measures (how many requests, GB-seconds, hours...); the engine prices the
usage against the tables, applies free tiers and volume tiers across the whole graph.
Every quantity is a Decimal in the base unit of its price-table dimension, per month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from sls_check.graph import CONNECTS, SECONDS_PER_MONTH, Service, ServiceGraph, Traffic
from sls_check.spec import setting

HOURS_PER_MONTH = Decimal(730)  # the AWS Pricing Calculator month
GLOBAL = "global"
KB_PER_GB = Decimal(1024 * 1024)
_MICRO = Decimal("0.000001")


@dataclass(frozen=True)
class Usage:
    item: str  # what the line is called in the report
    table: str  # price table (pricing/<table>.yaml)
    dimension: str  # entry in that table
    quantity: Decimal  # base units per month
    region: str  # region to look the price up in (GLOBAL for region-independent prices)
    note: str = ""
    assumption: str = ""  # what the model assumed to measure it (a default, a usage pattern)


Model = Callable[[Service, Traffic, ServiceGraph, str], list[Usage]]


def dec(value: object) -> Decimal:
    """A spec number or float as Decimal, via its shortest repr (0.1 -> Decimal('0.1'))."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))  # type: ignore[arg-type]


def monthly(per_second: float) -> Decimal:
    """Whole events per month from a rate per second (rounding also absorbs float noise)."""
    return (dec(per_second) * SECONDS_PER_MONTH).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def ceil_to(value: Decimal, step: Decimal) -> Decimal:
    """Round up to a whole number of steps (billing increments)."""
    if value <= 0:
        return Decimal(0)
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def chunks(size_kb: object, chunk_kb: int) -> Decimal:
    """How many billing units a payload is metered as (at least one)."""
    return max(Decimal(1), ceil_to(dec(size_kb), Decimal(chunk_kb)) / chunk_kb)


def _get(svc: Service, key: str) -> object:
    """The spec's value, or the default schemas/arch.schema.json states for the key (the one source)."""
    return setting(svc, key)


def _assumed(svc: Service, *parts: tuple[str, str]) -> str:
    """The assumptions among (key, text) pairs whose key the spec does not set ("" key: always);
    `{}` in a text is the key's default as the schema states it."""
    chosen = [(key, text) for key, text in parts if not key or svc.get(key) is None]
    return "; ".join(text.format(setting(svc, key)) if "{}" in text else text for key, text in chosen)


_MONTH = "a 730-hour month"


def base_unit(table: str, dimension: str) -> str:
    """The base unit a dimension's usage is measured in (for a line that has no price entry)."""
    if dimension.startswith(("duration", "provisioned_concurrency", "ephemeral_storage", "snapstart_cache")):
        return "GB-s"
    if dimension == "edge_duration":
        return "128MB-s"
    if dimension.startswith(("storage", "pitr")):
        return "GB-month"
    if "payload" in dimension or dimension in ("ingestion_gb", "internet_out", "export_to_s3", "snapstart_restore"):
        return "GB"
    if dimension.startswith("data_out"):
        return "GB"
    if dimension.startswith(("node_", "cache_", "provisioned_wcu", "provisioned_rcu", "replicated_wcu")):
        return "hours" if dimension.startswith(("node_", "cache_")) else "unit-hours"
    if dimension.endswith("_hours"):
        return "hours"
    if dimension == "websocket_connection_minutes":
        return "connection-minutes"
    if dimension.endswith("_deliveries"):
        return "deliveries"
    if dimension.startswith("mau_"):
        return "MAU"
    if dimension == "express_duration":
        return "GB-s"
    return "requests"


# --- compute ---------------------------------------------------------------------------


def lambda_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    invocations = monthly(t.rps)
    memory_mb = dec(_get(svc, "memory_mb"))
    memory_gb = memory_mb / 1024
    note = ""
    if svc.get("duration_ms") is None:
        note = f"duration_ms not given: {setting(svc, 'duration_ms')} ms assumed"
    billed_s = ceil_to(dec(_get(svc, "duration_ms")), Decimal(1)) / 1000  # 1 ms metering
    compute = _assumed(
        svc, ("memory_mb", "memory_mb not given: {} MB assumed"), ("duration_ms", "{} ms per invocation assumed")
    )

    if g.edge_events(svc.id):  # Lambda@Edge: global prices, per 128 MB-second, no free tier
        return [
            Usage("Lambda@Edge requests", "lambda", "edge_requests", invocations, GLOBAL),
            Usage(
                "Lambda@Edge duration",
                "lambda",
                "edge_duration",
                invocations * billed_s * memory_mb / 128,
                GLOBAL,
                note,
                compute,
            ),
        ]

    arch = str(_get(svc, "architecture"))
    out: list[Usage] = []
    # Async events above 256 KB: one more request per 64 KB chunk, up to 1 MB.
    event_kb = dec(_get(svc, "event_kb"))
    extra = ceil_to(min(event_kb, Decimal(1024)) - 256, Decimal(64)) / 64 if event_kb > 256 else Decimal(0)
    out.append(
        Usage(
            "Requests",
            "lambda",
            "requests",
            invocations * (1 + extra),
            region,
            f"{extra} extra requests per {event_kb} KB event" if extra else "",
        )
    )

    served = Decimal(0)
    pc = dec(_get(svc, "provisioned_concurrency"))
    if pc > 0:
        hours = dec(_get(svc, "provisioned_hours"))
        enabled_s = ceil_to(hours * 3600, Decimal(300))  # metered in 5-minute steps
        out.append(
            Usage(
                "Provisioned concurrency",
                "lambda",
                f"provisioned_concurrency_{arch}",
                pc * memory_gb * enabled_s,
                region,
                f"{pc} environments for {hours} h",
                _assumed(svc, ("provisioned_hours", f"enabled all month ({_MONTH})")),
            )
        )
        concurrency = dec(t.rps) * billed_s  # average requests in flight
        if svc.get("provisioned_share") is not None:  # traffic concentrated in the provisioned hours
            share = min(Decimal(1), dec(svc.get("provisioned_share")))
        elif concurrency > 0:  # steady traffic: PC serves up to its size, while it is enabled
            share = min(Decimal(1), pc / concurrency) * min(Decimal(1), hours / HOURS_PER_MONTH)
        else:
            share = Decimal(0)
        served = (invocations * share).quantize(_MICRO)
    on_demand = invocations - served
    if served > 0:
        out.append(
            Usage(
                "Duration on provisioned concurrency",
                "lambda",
                f"duration_provisioned_{arch}",
                served * billed_s * memory_gb,
                region,
                note,
                "; ".join(
                    a
                    for a in (
                        compute,
                        ""
                        if svc.get("provisioned_share") is not None
                        else "steady traffic: provisioned environments serve up to their number of requests in flight",
                    )
                    if a
                ),
            )
        )
    if on_demand > 0:
        out.append(
            Usage("Duration", "lambda", f"duration_{arch}", on_demand * billed_s * memory_gb, region, note, compute)
        )

    storage_mb = dec(_get(svc, "ephemeral_storage_mb"))
    if storage_mb > 512 and invocations > 0:
        out.append(
            Usage(
                "Ephemeral storage above 512 MB",
                "lambda",
                "ephemeral_storage",
                invocations * billed_s * (storage_mb - 512) / 1024,
                region,
            )
        )

    runtime = str(svc.get("runtime") or "")
    if svc.get("snapstart") and not runtime.startswith("java"):  # free for Java runtimes
        hours = dec(_get(svc, "snapstart_hours"))
        hours = max(Decimal(3), hours) if hours > 0 else Decimal(0)  # an active version: at least 3 hours
        out.append(
            Usage(
                "SnapStart cache",
                "lambda",
                "snapstart_cache",
                memory_gb * hours * 3600,
                region,
                f"one active version for {hours} h",
            )
        )
        ratio = dec(_get(svc, "cold_start_ratio"))
        if invocations > 0:
            out.append(
                Usage(
                    "SnapStart restore",
                    "lambda",
                    "snapstart_restore",
                    invocations * ratio * memory_gb,
                    region,
                    f"{ratio} of invocations restore",
                )
            )
    return out


def fargate_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    tasks = dec(_get(svc, "tasks"))
    hours = dec(_get(svc, "hours"))
    arch = str(_get(svc, "architecture"))
    task_hours = tasks * hours
    out = [
        Usage(
            "vCPU",
            "fargate",
            f"vcpu_hours_{arch}",
            task_hours * dec(_get(svc, "cpu")),
            region,
            f"{tasks} task(s) x {hours} h",
            _assumed(
                svc,
                ("hours", f"tasks run all month ({_MONTH})"),
                ("tasks", "{} task assumed"),
                ("cpu", "{} vCPU per task assumed"),
            ),
        ),
        Usage(
            "Memory",
            "fargate",
            f"memory_gb_hours_{arch}",
            task_hours * dec(_get(svc, "memory_gb")),
            region,
            "",
            _assumed(svc, ("hours", f"tasks run all month ({_MONTH})"), ("memory_gb", "{} GB per task assumed")),
        ),
    ]
    extra_gb = dec(_get(svc, "ephemeral_storage_gb")) - 20
    if extra_gb > 0:
        out.append(
            Usage("Ephemeral storage above 20 GB", "fargate", "ephemeral_gb_hours", task_hours * extra_gb, region)
        )
    return out


# --- edge and APIs ---------------------------------------------------------------------

# CloudFront price zones (the Price List's edge locations), and which a price class serves from its own edges
_ZONES = ("north_america", "europe", "asia", "japan", "australia", "india", "south_america", "middle_east_africa")
PRICE_CLASS_ZONES = {
    "PriceClass_100": ("north_america", "europe"),
    "PriceClass_200": ("north_america", "europe", "asia", "japan", "india", "middle_east_africa"),
    "PriceClass_All": _ZONES,
}


def cloudfront_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    viewers = str(_get(svc, "viewer_zone"))
    if viewers not in _ZONES:
        viewers = "north_america"
    price_class = str(_get(svc, "price_class"))
    zone = viewers
    where = _assumed(svc, ("viewer_zone", "viewers in North America assumed"))
    if viewers not in PRICE_CLASS_ZONES.get(price_class, _ZONES):
        # viewers outside the price class are served (and billed) by the class's edges: North America
        zone = "north_america"
        where = "; ".join(
            a for a in (where, f"{price_class} has no {viewers} edges: served and billed from North America") if a
        )
    requests = monthly(t.rps)
    out = [Usage("HTTPS requests", "cloudfront", f"https_requests_{zone}", requests, GLOBAL, "", where)]
    if svc.get("response_kb") is not None:
        out.append(
            Usage(
                "Data transfer out to viewers",
                "cloudfront",
                f"data_out_{zone}",
                requests * dec(svc.get("response_kb")) / KB_PER_GB,
                GLOBAL,
                "",
                where,
            )
        )
    return out


def cloudfront_function_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    return [Usage("Invocations", "cloudfront", "function_invocations", monthly(t.rps), GLOBAL)]


CACHE_SIZES_GB = ("0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237")


def api_gateway_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    kind = str(_get(svc, "api"))
    requests = monthly(t.rps)
    out: list[Usage] = []
    if kind == "websocket":
        units = chunks(_get(svc, "message_kb"), 32)
        out.append(Usage("Messages (32 KB units)", "apigateway", "websocket_messages", requests * units, region))
        if svc.get("connection_minutes") is not None:
            minutes = dec(svc.get("connection_minutes"))
        else:
            minutes = dec(_get(svc, "connections")) * HOURS_PER_MONTH * 60
        if minutes > 0:
            out.append(
                Usage(
                    "Connection minutes",
                    "apigateway",
                    "websocket_connection_minutes",
                    minutes,
                    region,
                    "",
                    _assumed(svc, ("connection_minutes", f"connections open all month ({_MONTH})")),
                )
            )
        return out
    if kind == "http":
        units = chunks(_get(svc, "request_kb"), 512)
        out.append(Usage("Requests (512 KB units)", "apigateway", "http_requests", requests * units, region))
    else:
        out.append(Usage("Requests", "apigateway", "rest_requests", requests, region))
        if svc.get("cache_gb"):
            wanted = dec(svc.get("cache_gb"))
            size = next((s for s in CACHE_SIZES_GB if Decimal(s) >= wanted), None)
            out.append(
                Usage(
                    f"Cache {size or wanted} GB",
                    "apigateway",
                    f"cache_{size or wanted}",
                    HOURS_PER_MONTH,
                    region,
                    "",
                    f"cache on all month ({_MONTH})",
                )
            )
    if svc.get("response_kb") is not None and svc.get("endpoint") != "private":
        out.append(
            Usage(
                "Data transfer out",
                "data_transfer",
                "internet_out",
                requests * dec(svc.get("response_kb")) / KB_PER_GB,
                region,
            )
        )
    return out


def acm_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    return [Usage("Public certificate", "acm", "public_certificate", Decimal(1), GLOBAL)]


# --- data ------------------------------------------------------------------------------


def _reads_writes(t: Traffic) -> tuple[Decimal, Decimal, str]:
    if t.reads_ps == 0 and t.writes_ps == 0 and t.rps > 0:
        return monthly(t.rps), Decimal(0), "edges give no reads/writes: every request counted as a read"
    return monthly(t.reads_ps), monthly(t.writes_ps), ""


def dynamodb_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    cls = "standard_ia" if svc.get("table_class") == "standard_ia" else "standard"
    item_kb = dec(_get(svc, "item_kb"))
    reads, writes, note = _reads_writes(t)
    wru_each = chunks(item_kb, 1)  # 1 KB write units
    rru_each = chunks(item_kb, 4) * (Decimal("0.5") if _get(svc, "consistency") == "eventual" else Decimal(1))
    wru, rru = writes * wru_each, reads * rru_each
    out: list[Usage] = []
    provisioned = svc.get("billing") == "provisioned"
    wcu = Decimal(0)
    if provisioned:
        one = Decimal(1)
        wcu = dec(svc.get("wcu")) if svc.get("wcu") is not None else ceil_to(dec(t.writes_ps) * wru_each, one)
        rcu = dec(svc.get("rcu")) if svc.get("rcu") is not None else ceil_to(dec(t.reads_ps) * rru_each, one)
        sized = "" if svc.get("wcu") is not None else "sized for average traffic"
        out.append(
            Usage(
                "Provisioned write capacity",
                "dynamodb",
                f"provisioned_wcu_{cls}",
                wcu * HOURS_PER_MONTH,
                region,
                f"{wcu} WCU {sized}".strip(),
                f"capacity provisioned all month ({_MONTH})",
            )
        )
        out.append(
            Usage(
                "Provisioned read capacity",
                "dynamodb",
                f"provisioned_rcu_{cls}",
                rcu * HOURS_PER_MONTH,
                region,
                f"{rcu} RCU",
                f"capacity provisioned all month ({_MONTH})",
            )
        )
    else:
        if wru > 0:
            out.append(
                Usage(
                    "Write request units",
                    "dynamodb",
                    f"write_request_units_{cls}",
                    wru,
                    region,
                    f"{wru_each} WRU per {item_kb} KB item",
                    _assumed(svc, ("item_kb", "{} KB items assumed"), ("", "no transactional writes")),
                )
            )
        if rru > 0:
            out.append(
                Usage(
                    "Read request units",
                    "dynamodb",
                    f"read_request_units_{cls}",
                    rru,
                    region,
                    f"{rru_each} RRU per {item_kb} KB read; {note}".strip("; "),
                    _assumed(
                        svc,
                        ("consistency", "eventually consistent reads (half a read unit per 4 KB)"),
                        ("item_kb", "{} KB items assumed"),
                        ("", "no transactional reads"),
                    ),
                )
            )
    storage = dec(_get(svc, "storage_gb"))
    if storage > 0:
        out.append(Usage("Storage", "dynamodb", f"storage_{cls}", storage, region))
        if svc.get("pitr"):
            out.append(Usage("Point-in-time recovery", "dynamodb", "pitr", storage, region))
        if svc.get("export_to_s3"):
            out.append(Usage("Export to S3 (one full export)", "dynamodb", "export_to_s3", storage, region))
    if svc.get("stream") and writes > 0:
        readers = [
            e.target for e in g.out_edges(svc.id, frozenset({CONNECTS})) if g.services[e.target].type != "lambda"
        ]
        if readers:  # GetRecords by Lambda triggers is not charged
            out.append(
                Usage(
                    "Stream read request units",
                    "dynamodb",
                    "stream_reads",
                    writes * len(readers),
                    region,
                    f"one read per change for {', '.join(readers)}",
                )
            )
    ia = "" if cls == "standard" else f"_{cls}"  # Standard-IA tables replicate at the IA write price
    for replica in svc.get("replicas") or []:
        if replica == region:
            continue
        if provisioned:
            out.append(
                Usage(
                    f"Replicated write capacity ({replica})",
                    "dynamodb",
                    f"replicated_wcu{ia}",
                    wcu * HOURS_PER_MONTH,
                    replica,
                )
            )
        elif wru > 0:
            out.append(
                Usage(f"Replicated writes ({replica})", "dynamodb", f"replicated_write_request_units{ia}", wru, replica)
            )
        if storage > 0:
            out.append(Usage(f"Storage ({replica})", "dynamodb", f"storage_{cls}", storage, replica))
    return out


def dax_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    node_type = str(_get(svc, "node_type"))
    nodes = dec(_get(svc, "nodes"))
    return [
        Usage(
            f"Nodes ({node_type})",
            "dax",
            f"node_{node_type}",
            nodes * HOURS_PER_MONTH,
            region,
            f"{nodes} node(s) x 730 h",
            _assumed(
                svc,
                ("node_type", "{} assumed"),
                ("nodes", "{} nodes assumed"),
                ("", f"nodes run all month ({_MONTH})"),
            ),
        )
    ]


def s3_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    reads, writes, note = _reads_writes(t)
    out: list[Usage] = []
    storage = dec(_get(svc, "storage_gb"))
    if storage > 0:
        out.append(Usage("Storage (Standard)", "s3", "storage_standard", storage, region))
    if writes > 0:
        out.append(Usage("PUT, COPY, POST, LIST requests", "s3", "put_requests", writes, region))
    if reads > 0:
        out.append(Usage("GET and other requests", "s3", "get_requests", reads, region, note))
    return out


def aurora_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    acu = _average_acu(svc, t)
    how = (
        "avg_acu"
        if svc.get("avg_acu") is not None
        else ("rps x acu_per_rps" if svc.get("acu_per_rps") is not None else "min_acu")
    )
    out = [
        Usage(
            "Capacity (ACU-hours)",
            "aurora",
            "acu_hours",
            acu * HOURS_PER_MONTH,
            region,
            f"{acu} ACU on average ({how})",
            f"{acu} ACU on average over {_MONTH}"
            + ("" if how != "min_acu" else "; the cluster never scales above min_acu"),
        )
    ]
    storage = dec(_get(svc, "storage_gb"))
    if storage > 0:
        out.append(Usage("Storage", "aurora", "storage", storage, region))
    ios = monthly(t.rps) * dec(_get(svc, "io_per_request"))
    if ios > 0:
        out.append(
            Usage(
                "I/O requests",
                "aurora",
                "io_requests",
                ios,
                region,
                f"{_get(svc, 'io_per_request')} I/O per request",
                _assumed(
                    svc, ("io_per_request", "{} I/O per request assumed"), ("", "Aurora Standard (not I/O-Optimized)")
                ),
            )
        )
    return out


def _average_acu(svc: Service, t: Traffic | None) -> Decimal:
    """avg_acu when given; else, with acu_per_rps, the capacity the average traffic needs (in the 0.5 ACU
    steps Aurora scales by, between min_acu and max_acu); else min_acu (default 0.5)."""
    if svc.get("avg_acu") is not None:
        return dec(svc.get("avg_acu"))
    low = dec(_get(svc, "min_acu"))
    if svc.get("acu_per_rps") is None or t is None:
        return low
    need = max(low, ceil_to(dec(t.rps) * dec(svc.get("acu_per_rps")), Decimal("0.5")))
    return min(need, dec(svc.get("max_acu"))) if svc.get("max_acu") is not None else need


def rds_proxy_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    targets = [g.services[e.target] for e in g.out_edges(svc.id, frozenset({CONNECTS}))]
    aurora = [s for s in targets if s.type == "aurora_serverless"]
    if aurora:
        acu = max(Decimal(8), sum((_average_acu(s, g.traffic.get(s.id)) for s in aurora), Decimal(0)))
        return [
            Usage(
                "Proxy on Aurora Serverless v2 capacity",
                "rds_proxy",
                "acu_hours",
                acu * HOURS_PER_MONTH,
                region,
                f"{acu} ACU (minimum 8)",
                f"proxy on all month ({_MONTH})",
            )
        ]
    vcpus = max(Decimal(2), dec(_get(svc, "vcpus")))
    return [
        Usage(
            "Proxy on database vCPUs",
            "rds_proxy",
            "vcpu_hours",
            vcpus * HOURS_PER_MONTH,
            region,
            f"{vcpus} vCPU (minimum 2)",
            _assumed(svc, ("vcpus", "{} database vCPUs assumed"), ("", f"proxy on all month ({_MONTH})")),
        )
    ]


# --- messaging and workflows -----------------------------------------------------------


def sqs_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    messages = monthly(t.rps)
    per_message = dec(_get(svc, "requests_per_message"))
    size = chunks(_get(svc, "message_kb"), 64)
    dim = "fifo_requests" if svc.get("fifo") else "standard_requests"
    return [
        Usage(
            "Requests (64 KB chunks)",
            "sqs",
            dim,
            messages * per_message * size,
            region,
            f"{per_message} API calls per message x {size} chunk(s)",
            _assumed(
                svc,
                ("requests_per_message", "{} API calls per message (send, receive, delete), no batching"),
                ("message_kb", "{} KB messages assumed"),
            ),
        )
    ]


def eventbridge_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    events = monthly(t.rps)
    if svc.get("schedule") is not None:
        if svc.get("scheduler"):
            return [Usage("Scheduler invocations", "eventbridge", "scheduler_invocations", events, region)]
        return [Usage("Scheduled rule events", "eventbridge", "scheduled_rule_events", events, region)]
    if svc.get("events") == "aws":
        return [Usage("AWS management events", "eventbridge", "aws_management_events", events, GLOBAL)]
    size = chunks(_get(svc, "event_kb"), 64)
    return [
        Usage(
            "Custom events published (64 KB chunks)",
            "eventbridge",
            "custom_events",
            events * size,
            region,
            f"{size} chunk(s) per event",
            _assumed(svc, ("event_kb", "events of at most 64 KB assumed")),
        )
    ]


_SNS_DELIVERY = {"lambda": "lambda_deliveries", "sqs": "sqs_deliveries", "kinesis_firehose": "firehose_deliveries"}
# the schema's `protocols` values -> the price dimension of their deliveries
_SNS_PROTOCOL = {
    "http": "http_deliveries",
    "https": "http_deliveries",
    "email": "email_deliveries",
    "email-json": "email_deliveries",
    "sms": "sms_deliveries",
    "application": "mobile_push_deliveries",
}


def sns_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    messages = monthly(t.rps)
    size_kb = dec(_get(svc, "message_kb"))
    fifo = bool(svc.get("fifo"))
    out: list[Usage] = []
    if fifo:
        out.append(Usage("Publishes", "sns", "fifo_publishes", messages, region))
        out.append(Usage("Published payload", "sns", "fifo_publish_payload", messages * size_kb / KB_PER_GB, region))
    else:
        out.append(
            Usage("Publishes (64 KB chunks)", "sns", "standard_publishes", messages * chunks(size_kb, 64), region)
        )
    for protocol in svc.get("protocols") or []:  # subscriptions to endpoints outside the spec
        out.append(
            Usage(
                f"Deliveries to {protocol} subscribers",
                "sns",
                _SNS_PROTOCOL[str(protocol)],
                messages,
                region,
                "",
                f"one {protocol} subscription, every message delivered to it",
            )
        )
    for e in g.out_edges(svc.id, frozenset({CONNECTS})):
        target = g.services[e.target]
        deliveries = messages * dec(e.calls)
        if fifo:
            out.append(Usage(f"Deliveries to {e.target}", "sns", "fifo_deliveries", deliveries, region))
            out.append(
                Usage(
                    f"Delivered payload to {e.target}",
                    "sns",
                    "fifo_delivery_payload",
                    deliveries * size_kb / KB_PER_GB,
                    region,
                )
            )
        else:
            dim = _SNS_DELIVERY.get(target.type, "http_deliveries")
            out.append(Usage(f"Deliveries to {e.target}", "sns", dim, deliveries, region))
    return out


def firehose_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    record_kb = ceil_to(dec(_get(svc, "record_kb")), Decimal(5))  # each record rounded up to 5 KB
    return [
        Usage(
            "Ingestion (5 KB per record)",
            "firehose",
            "ingestion_gb",
            monthly(t.rps) * record_kb / KB_PER_GB,
            region,
            f"{record_kb} KB billed per record",
            _assumed(svc, ("record_kb", "{} KB records assumed"), ("", "Direct PUT ingestion, no format conversion")),
        )
    ]


def step_functions_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    executions = monthly(t.rps)
    if svc.get("workflow") == "express":
        seconds = ceil_to(dec(_get(svc, "duration_ms")), Decimal(100)) / 1000  # 100 ms steps
        memory_mb = ceil_to(dec(_get(svc, "memory_mb")), Decimal(64))  # 64 MB chunks
        return [
            Usage("Express requests", "stepfunctions", "express_requests", executions, region),
            Usage(
                "Express duration",
                "stepfunctions",
                "express_duration",
                executions * seconds * memory_mb / 1024,
                region,
                f"{seconds} s x {memory_mb} MB billed",
                _assumed(svc, ("duration_ms", "{} ms per execution assumed"), ("memory_mb", "{} MB assumed")),
            ),
        ]
    note = ""
    if svc.get("transitions") is None:
        note = f"transitions not given: {setting(svc, 'transitions')} per execution assumed"
    transitions = dec(_get(svc, "transitions"))
    return [
        Usage(
            "State transitions",
            "stepfunctions",
            "standard_transitions",
            executions * transitions,
            region,
            note or f"{transitions} per execution",
            _assumed(svc, ("transitions", "{} state transition per execution assumed"), ("", "no retries")),
        )
    ]


# --- identity ----------------------------------------------------------------------------


def cognito_user_pool_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    tier = str(_get(svc, "tier"))
    mau = dec(_get(svc, "mau"))
    if mau <= 0:
        return []
    return [Usage(f"Monthly active users ({tier})", "cognito", f"mau_{tier}", mau, region)]


def cognito_identity_pool_model(svc: Service, t: Traffic, g: ServiceGraph, region: str) -> list[Usage]:
    return [Usage("Identity pool", "cognito", "identity_pool", Decimal(1), GLOBAL)]


MODELS: dict[str, Model] = {
    "lambda": lambda_model,
    "cloudfront": cloudfront_model,
    "cloudfront_function": cloudfront_function_model,
    "api_gateway": api_gateway_model,
    "acm_certificate": acm_model,
    "dynamodb": dynamodb_model,
    "dax": dax_model,
    "s3": s3_model,
    "sqs": sqs_model,
    "sns": sns_model,
    "kinesis_firehose": firehose_model,
    "eventbridge": eventbridge_model,
    "step_functions": step_functions_model,
    "cognito_user_pool": cognito_user_pool_model,
    "cognito_identity_pool": cognito_identity_pool_model,
    "aurora_serverless": aurora_model,
    "rds_proxy": rds_proxy_model,
    "fargate": fargate_model,
}


_ARCHS = ("x86_64", "arm64")
_CLASSES = ("standard", "standard_ia")

# table -> every dimension the models above can ask for (docs/pricing-data.md; the importer's mapping
# and the tests of "every schema value is priced or reported" use it).
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "acm": ("public_certificate",),
    "apigateway": (
        "rest_requests",
        "http_requests",
        "websocket_messages",
        "websocket_connection_minutes",
        *(f"cache_{size}" for size in CACHE_SIZES_GB),
    ),
    "aurora": ("acu_hours", "storage", "io_requests"),
    "cloudfront": (
        "function_invocations",
        *(f"https_requests_{zone}" for zone in _ZONES),
        *(f"data_out_{zone}" for zone in _ZONES),
    ),
    "cognito": ("mau_lite", "mau_essentials", "mau_plus", "identity_pool"),
    "data_transfer": ("internet_out",),
    "dax": (
        "node_dax.t2.small",
        "node_dax.t3.small",
        *(
            f"node_dax.r5.{size}"
            for size in ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge")
        ),
    ),
    "eventbridge": ("custom_events", "aws_management_events", "scheduler_invocations", "scheduled_rule_events"),
    "dynamodb": (
        *(f"write_request_units_{c}" for c in _CLASSES),
        *(f"read_request_units_{c}" for c in _CLASSES),
        *(f"provisioned_wcu_{c}" for c in _CLASSES),
        *(f"provisioned_rcu_{c}" for c in _CLASSES),
        *(f"storage_{c}" for c in _CLASSES),
        "pitr",
        "export_to_s3",
        "stream_reads",
        "replicated_wcu",
        "replicated_wcu_standard_ia",
        "replicated_write_request_units",
        "replicated_write_request_units_standard_ia",
    ),
    "fargate": (
        *(f"vcpu_hours_{a}" for a in _ARCHS),
        *(f"memory_gb_hours_{a}" for a in _ARCHS),
        "ephemeral_gb_hours",
    ),
    "firehose": ("ingestion_gb",),
    "lambda": (
        "requests",
        *(f"duration_{a}" for a in _ARCHS),
        *(f"provisioned_concurrency_{a}" for a in _ARCHS),
        *(f"duration_provisioned_{a}" for a in _ARCHS),
        "ephemeral_storage",
        "snapstart_cache",
        "snapstart_restore",
        "edge_requests",
        "edge_duration",
    ),
    "rds_proxy": ("vcpu_hours", "acu_hours"),
    "s3": ("storage_standard", "put_requests", "get_requests"),
    "sns": (
        "standard_publishes",
        "http_deliveries",
        "sqs_deliveries",
        "lambda_deliveries",
        "firehose_deliveries",
        "email_deliveries",
        "sms_deliveries",
        "mobile_push_deliveries",
        "fifo_publishes",
        "fifo_publish_payload",
        "fifo_deliveries",
        "fifo_delivery_payload",
    ),
    "sqs": ("standard_requests", "fifo_requests"),
    "stepfunctions": ("standard_transitions", "express_requests", "express_duration"),
}
