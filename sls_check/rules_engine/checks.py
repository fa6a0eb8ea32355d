"""Named check functions: the few rules that need arithmetic over several keys.

A check gets the binding (the service, and the peer and edge for per-peer rules) and
the rule's `args`; it returns one dict of template variables per violation (empty
list: no violation). A dict may carry `at` (a key path of the service) to say where.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from sls_check.rules_engine.conditions import MISSING, Binding, CheckFn
from sls_check.runtimes import runtime_table

CHECKS: dict[str, CheckFn] = {}


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        CHECKS[name] = fn
        return fn

    return register


def _limit(b: Binding, args: dict[str, Any], key: str = "limit") -> float:
    return float(b.limit_value(args[key], b.service))


def _env_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@check("env_size")
def env_size(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Lambda counts the bytes of every key and value of the environment together."""
    env = b.service.attrs.get("env")
    if not isinstance(env, dict):
        return []
    size = sum(len(str(k).encode()) + len(_env_text(v).encode()) for k, v in env.items())
    limit = _limit(b, args)
    if size <= limit:
        return []
    return [
        {"env_bytes": size, "env_limit_bytes": int(limit), "env_over_bytes": int(size - limit), "env_count": len(env)}
    ]


@check("package_unzipped_total")
def package_unzipped_total(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Function code plus every layer, unzipped, against the 250 MB cap."""
    package = b.service.attrs.get("package")
    if not isinstance(package, dict) or package.get("format") != "zip":
        return []
    code = package.get("unzipped_mb")
    layers = [layer for layer in package.get("layers", []) if isinstance(layer, dict) and "unzipped_mb" in layer]
    if code is None and not layers:
        return []
    layers_mb = sum(float(layer["unzipped_mb"]) for layer in layers)
    total = float(code or 0) + layers_mb
    limit = _limit(b, args)
    if total <= limit:
        return []
    return [
        {
            "unzipped_total_mb": round(total, 2),
            "code_mb": float(code or 0),
            "layers_mb": round(layers_mb, 2),
            "unzipped_limit_mb": limit,
            "unzipped_over_mb": round(total - limit, 2),
            "at": "package.unzipped_mb" if code is not None else "package.layers",
        }
    ]


# --- helpers for the checks below -------------------------------------------------------------


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _value(b: Binding, ref: Any) -> float | None:
    """A number from a literal, a named limit (`limit:NAME`) or a key path (peer.K, account.K, K)."""
    if isinstance(ref, (int, float)) and not isinstance(ref, bool):
        return float(ref)
    if isinstance(ref, str) and ref.startswith("limit:"):
        return float(b.limit_value(ref[6:], b.service))
    if isinstance(ref, str):
        found = b.lookup(ref)
        return None if found is MISSING else _num(found)
    return None


def _first(b: Binding, refs: list[Any]) -> float | None:
    """The first of several references that resolves to a number (a key, then its fallback limit)."""
    for ref in refs:
        value = _value(b, ref)
        if value is not None:
            return value
    return None


_COMPARE = {"gt": lambda a, c: a > c, "gte": lambda a, c: a >= c, "lt": lambda a, c: a < c, "lte": lambda a, c: a <= c}


@check("compare_scaled")
def compare_scaled(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """`left OP right x factor` (e.g. visibility timeout < 6 x the function timeout); n/a when a side is missing."""
    left = _value(b, args["left"])
    right = _value(b, args["right"])
    if left is None or right is None:
        return []
    factor = float(args.get("factor", 1))
    scaled = right * factor
    if not _COMPARE[args.get("op", "gt")](left, scaled):
        return []
    return [{"scaled": scaled, "factor": factor}]


@check("unreserved_pool")
def unreserved_pool(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Reserved concurrency of every function in the Region must leave the unreserved minimum (100).

    Provisioned concurrency of a function without a reservation is taken from the unreserved pool
    too, so it counts like a reservation. Reported once, on the first function (in spec order) of
    the Region that reserves or provisions concurrency.
    """
    taken = b.region(b.service.region).concurrency_takers  # once per run, not once per function
    if not taken or taken[0][0].id != b.service.id:
        return []
    total = sum(amount for _s, amount, _label in taken)
    account = _value(b, args["account"])
    floor = _value(b, args["floor"])
    assert account is not None and floor is not None
    if total <= account - floor:
        return []
    at = "reserved_concurrency" if "reserved_concurrency" in b.service.attrs else "provisioned_concurrency"
    return [
        {
            "reserved_total": total,
            "reserving_functions": [label for _s, _a, label in taken],
            "account_concurrency": account,
            "unreserved_min": floor,
            "reservable": account - floor,
            "over": total - (account - floor),
            "at": at,
        }
    ]


def _fargate_memories(entry: Any) -> list[float]:
    if isinstance(entry, list):
        return [float(v) for v in entry]
    low, high, step = float(entry["min"]), float(entry["max"]), float(entry["step"])
    out, value = [], low
    while value <= high + 1e-9:
        out.append(round(value, 3))
        value += step
    return out


def _gb_list(values: list[float]) -> str:
    if len(values) > 4:
        step = values[1] - values[0]
        return f"{values[0]:g}-{values[-1]:g} GB in {step:g} GB steps"
    return ", ".join(f"{v:g}" for v in values) + " GB"


@check("fargate_size")
def fargate_size(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """A Fargate task's CPU and memory must be one of the supported pairs (`pairs` in the rule's args)."""
    cpu = _num(b.service.attrs.get("cpu"))
    memory = _num(b.service.attrs.get("memory_gb"))
    if cpu is None or memory is None:
        return []
    pairs = {float(k): v for k, v in args["pairs"].items()}
    if cpu not in pairs:
        return []  # the schema only allows the supported CPU values
    valid = _fargate_memories(pairs[cpu])
    if any(abs(memory - v) < 1e-6 for v in valid):
        return []
    return [{"valid_memory": _gb_list(valid), "at": "memory_gb"}]


@check("payload_chain")
def payload_chain(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """What the service sends along this edge must fit what the peer accepts for that kind of call.

    args: `sizes` (service type -> its key holding the payload it sends), `accepts` (peer type -> producer
    type or `default` -> list of references: a peer key, then a named limit), `labels` (peer type ->
    producer type or `default` -> words for the message).
    """
    if b.peer is None:
        return []
    size_key = args["sizes"].get(b.service.type)
    if size_key is None:
        return []
    size = _value(b, size_key)
    table = args["accepts"].get(b.peer.type)
    if size is None or table is None:
        return []
    refs = table.get(b.service.type, table.get("default"))
    limit = _first(b, refs)
    if limit is None or size <= limit:
        return []
    labels = args.get("labels", {}).get(b.peer.type, {})
    return [
        {
            "payload_kb": size,
            "payload_key": size_key,
            "accepted_kb": limit,
            "accepted_by": labels.get(b.service.type, labels.get("default", b.peer.type)),
        }
    ]


@check("duplicate_events")
def duplicate_events(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """One function association per event type of a cache behaviour."""
    seen: dict[str, list[str]] = {}
    for assoc in b.service.attrs.get(args.get("key", "functions"), []) or []:
        if isinstance(assoc, dict) and "event" in assoc:
            seen.setdefault(str(assoc["event"]), []).append(str(assoc.get("function")))
    return [
        {"event": event, "functions": names, "at": "functions"}
        for event, names in sorted(seen.items())
        if len(names) > 1
    ]


def _covers(pattern: str, name: str) -> bool:
    pattern, name = pattern.lower().rstrip("."), name.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = name.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == name


@check("certificate_covers")
def certificate_covers(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Every name served with a certificate must match its domain or an alternative name (one-label wildcards)."""
    if b.peer is None:
        return []
    value = b.lookup(args["names"])
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    covered = [
        n for n in [b.peer.attrs.get("domain"), *(b.peer.attrs.get("alternative_names") or [])] if isinstance(n, str)
    ]
    if not covered:
        return []
    missing = [n for n in names if isinstance(n, str) and not any(_covers(p, n) for p in covered)]
    if not missing:
        return []
    return [{"uncovered": missing, "certificate_names": covered}]


@check("api_integration_timeout")
def api_integration_timeout(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """The peer's timeout (a Lambda's timeout_s) against the API's integration timeout (set or the default)."""
    if b.peer is None:
        return []
    api = b.service.attrs.get("api")
    if api not in args["defaults"]:
        return []
    default = _value(b, args["defaults"][api])
    timeout = _first(b, ["integration_timeout_s", args["defaults"][api]])
    raisable = args.get("raisable", {}).get(api, [])
    if timeout is not None and default is not None and b.service.attrs.get("endpoint") not in raisable:
        timeout = min(timeout, default)  # a set value above the ceiling is APG012's error; the ceiling holds
    peer_timeout = _value(b, args.get("peer_key", "peer.timeout_s"))
    if timeout is None or peer_timeout is None or peer_timeout <= timeout:
        return []
    return [{"integration_timeout": timeout, "api_kind": args.get("labels", {}).get(api, api)}]


@check("api_throttle_vs_concurrency")
def api_throttle_vs_concurrency(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """The rate the API lets through, times the function's duration, against the concurrency it may use."""
    if b.peer is None or b.edge is None:
        return []
    duration_ms = _num(b.peer.attrs.get("duration_ms"))
    rate = _first(b, ["throttle.rps", args["api_rate"]])
    available = _first(b, ["peer.reserved_concurrency", args["concurrency"]])
    if duration_ms is None or rate is None or available is None:
        return []
    needed = rate * b.edge.calls * duration_ms / 1000
    if needed <= available:
        return []
    return [{"api_rate": rate, "needed_concurrency": round(needed, 1), "available_concurrency": available}]


@check("peer_count")
def peer_count(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """More peers of the given types (and edge kinds) than `max` (a number or `limit:NAME`)."""
    out = args.get("direction", "out") == "out"
    kinds = frozenset(args.get("kinds", ["connects"]))
    edges = b.graph.out_edges(b.service.id, kinds) if out else b.graph.in_edges(b.service.id, kinds)
    types = args.get("types")
    names = sorted(
        {
            e.target if out else e.source
            for e in edges
            if types is None or b.graph.services[e.target if out else e.source].type in types
        }
    )
    limit = _value(b, args["max"])
    if limit is None:
        return []
    if args.get("by_region"):
        # a global table has a replica (and a stream) in each of its Regions: count the readers of each
        groups: dict[str, list[str]] = {}
        for name in names:
            groups.setdefault(b.graph.services[name].region, []).append(name)
        return [
            {"peer_count": len(group), "peers": group, "max_peers": limit, "peer_region": region}
            for region, group in sorted(groups.items())
            if len(group) > limit
        ]
    if len(names) <= limit:
        return []
    return [{"peer_count": len(names), "peers": names, "max_peers": limit}]


@check("rule_targets")
def rule_targets(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """EventBridge: the targets of each rule (edges sharing a `rule`) against `max`."""
    limit = _value(b, args["max"])
    if limit is None:
        return []
    groups: dict[str, list[str]] = {}
    for e in b.graph.out_edges(b.service.id, frozenset({"connects"})):
        if e.rule is not None:
            groups.setdefault(e.rule, []).append(e.target)
    return [
        {"rule": rule, "target_count": len(targets), "targets": sorted(targets), "max_targets": limit}
        for rule, targets in sorted(groups.items())
        if len(targets) > limit
    ]


@check("list_overlap")
def list_overlap(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Items of the list at `key` that are also in `items`."""
    value = b.lookup(args["key"])
    if not isinstance(value, list):
        return []
    found = [v for v in value if v in args["items"]]
    return [{"overlap": found}] if found else []


@check("not_multiple_of")
def not_multiple_of(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Keys whose value is not a multiple of `step` (ACU in 0.5 steps)."""
    step = float(args["step"])
    out = []
    for key in args["keys"]:
        value = _value(b, key)
        if value is None:
            continue
        ratio = value / step
        if math.isfinite(ratio) and abs(ratio - round(ratio)) > 1e-9:  # 1.7e308 / 0.5 is inf: no SLS000
            out.append({"key": key, "value": value, "step": step, "at": key})
    return out


@check("vpc_egress")
def vpc_egress(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """A VPC service whose subnets have no NAT route needs a VPC endpoint for each AWS service it calls."""
    if b.peer is None:
        return []
    vpc = b.service.attrs.get("vpc")
    if not isinstance(vpc, dict) or vpc.get("nat_gateway") is not False:
        return []
    endpoint = args["endpoint_for"].get(b.peer.type)
    if endpoint is None or endpoint in (vpc.get("endpoints") or []):
        return []
    return [{"endpoint": endpoint}]


# --- Lambda runtimes (runtimes/lambda.yaml) -------------------------------------------------------


@check("runtime_snapstart")
def runtime_snapstart(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """SnapStart is on, but the runtime table says the runtime has no SnapStart (or no .zip runtime)."""
    runtime = b.service.attrs.get("runtime")
    if not isinstance(runtime, str):
        return []
    found = runtime_table().get(runtime)
    if found is not None and found.snapstart and found.zip:
        return []
    supported = [r.id for r in runtime_table().runtimes.values() if r.snapstart and r.zip]
    return [{"snapstart_runtimes": supported}]


_STAGE_TEXT = {
    "soon": "will be deprecated on {deprecation} ({days} days after the date of this run)",
    "deprecated": "has been deprecated since {deprecation}: no more security patches or technical support{blocks}",
    "create-blocked": (
        "has been deprecated since {deprecation} and AWS blocks creating functions on it since {block_create}{update}"
    ),
    "update-blocked": (
        "has been deprecated since {deprecation}; AWS blocks creating functions on it since {block_create}"
        " and updating them since {block_update}"
    ),
}


@check("runtime_lifecycle")
def runtime_lifecycle(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the function's runtime stands on the date of the run: a warning within the table's
    warn_days before its deprecation date, an error from the deprecation date on."""
    runtime = b.service.attrs.get("runtime")
    if not isinstance(runtime, str):
        return []
    table = runtime_table()
    found = table.get(runtime)
    if found is None or found.deprecation is None:
        return []
    today = b.today or dt.date.today()
    stage = found.stage(today, table.warn_days)
    if stage == "ok":
        return []
    blocks = ""
    if found.block_create:
        blocks = f"; AWS blocks creating functions on it from {found.block_create.isoformat()}"
        if found.block_update:
            blocks += f" and updating them from {found.block_update.isoformat()}"
    update = f" and will block updating them from {found.block_update.isoformat()}" if found.block_update else ""
    text = _STAGE_TEXT[stage].format(
        deprecation=found.deprecation.isoformat(),
        days=(found.deprecation - today).days,
        blocks=blocks,
        block_create=found.block_create.isoformat() if found.block_create else "?",
        block_update=found.block_update.isoformat() if found.block_update else "?",
        update=update,
    )
    successors = _successors(found.id)
    return [
        {
            "severity": "warning" if stage == "soon" else "error",
            "runtime_stage": text,
            "runtime_successor": successors or "a supported runtime of the same language",
            "run_date": today.isoformat(),
        }
    ]


def _successors(runtime_id: str) -> str:
    """The newest supported runtime of the same family (the chain of successors, to its end)."""
    table = runtime_table()
    seen = {runtime_id}
    current = table.get(runtime_id)
    while current is not None and current.successor and current.successor not in seen:
        seen.add(current.successor)
        current = table.get(current.successor)
    return current.id if current is not None and current.id != runtime_id else ""


@check("sfn_history_events")
def sfn_history_events(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """History events of one Standard execution: history_events when given, else at least
    2 per state transition (StateEntered, StateExited) plus ExecutionStarted/ExecutionSucceeded."""
    limit = _limit(b, args)
    given = _num(b.service.attrs.get("history_events"))
    if given is not None:
        events, basis, at = given, "history_events", "history_events"
    else:
        transitions = _num(b.service.attrs.get("transitions"))
        if transitions is None:
            return []
        events = transitions * 2 + 2
        basis, at = f"at least 2 per state transition for {transitions:,.0f} transitions, plus 2", "transitions"
    if events <= limit:
        return []
    return [{"history_events_estimate": events, "history_basis": basis, "at": at}]


def _vpc_id(value: Any) -> str | None:
    if isinstance(value, dict):
        found = value.get("id")
        return found if isinstance(found, str) else None
    return value if isinstance(value, str) else None


@check("peer_vpc_unreachable")
def peer_vpc_unreachable(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """The service and its peer are in different VPCs and no proxy endpoint of the peer
    (rds_proxy `endpoints`, cross-VPC access) is in the service's VPC. n/a when a VPC is not given."""
    if b.peer is None:
        return []
    own = _vpc_id(b.service.attrs.get("vpc"))
    theirs = _vpc_id(b.peer.attrs.get("vpc"))
    if own is None or theirs is None or own == theirs:
        return []
    endpoints = b.peer.attrs.get("endpoints") or []
    in_own = [e for e in endpoints if isinstance(e, dict) and _vpc_id(e.get("vpc")) == own]
    if in_own:
        return []
    others = [v for e in endpoints if isinstance(e, dict) and (v := _vpc_id(e.get("vpc")))]
    return [{"own_vpc": own, "peer_vpc": theirs, "endpoint_vpcs": others or "none"}]


# DynamoDB multi-Region strong consistency (MRSC): Region sets of the GlobalTableWitness page.
MRSC_REGION_SETS = {
    "US": ("us-east-1", "us-east-2", "us-west-2"),
    "EU": ("eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"),
    "AP": ("ap-northeast-1", "ap-northeast-2", "ap-northeast-3"),
}


def _mrsc_regions(b: Binding) -> tuple[list[str], str | None]:
    replicas = [r for r in b.service.attrs.get("replicas") or [] if isinstance(r, str)]
    regions = [b.service.region, *[r for r in replicas if r != b.service.region]]
    witness = b.service.attrs.get("witness_region")
    return regions, witness if isinstance(witness, str) else None


@check("mrsc_layout")
def mrsc_layout(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """An MRSC global table has exactly three replicas, or two replicas and one witness."""
    regions, witness = _mrsc_regions(b)
    if (len(regions) == 3 and witness is None) or (
        len(regions) == 2 and witness is not None and witness not in regions
    ):
        return []
    layout = f"{len(regions)} replica Region{'s' if len(regions) != 1 else ''} ({', '.join(regions)})"
    if witness is not None:
        layout += f" and witness {witness}"
    return [{"mrsc_layout": layout}]


@check("mrsc_region_set")
def mrsc_region_set(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """All Regions of an MRSC table (replicas and witness) lie in one Region set."""
    regions, witness = _mrsc_regions(b)
    every = regions + ([witness] if witness else [])
    for members in MRSC_REGION_SETS.values():
        if all(r in members for r in every):
            return []
    sets = "; ".join(f"{name}: {', '.join(members)}" for name, members in MRSC_REGION_SETS.items())
    return [{"mrsc_regions": every, "mrsc_sets": sets}]


@check("lwa_or_custom_runtime")
def lwa_or_custom_runtime(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Response streaming without a native path: not Node.js, not an OS-only runtime, and no sign
    of the Lambda Web Adapter (a layer, AWS_LWA_* or AWS_LAMBDA_EXEC_WRAPPER in env)."""
    runtime = b.service.attrs.get("runtime")
    if not isinstance(runtime, str) or runtime.startswith(("nodejs", "provided")):
        return []
    package = b.service.attrs.get("package")
    if isinstance(package, dict) and (package.get("layers") or package.get("format") == "image"):
        return []
    env = b.service.attrs.get("env")
    if isinstance(env, dict) and any(str(k).startswith(("AWS_LWA_", "AWS_LAMBDA_EXEC_WRAPPER")) for k in env):
        return []
    return [{}]


@check("origin_slower_than_timeout")
def origin_slower_than_timeout(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """A CloudFront origin that may answer later than the distribution's origin response timeout:
    an API whose integration timeout, or a function (function URL) whose average duration, is longer."""
    if b.peer is None:
        return []
    timeout = _num(b.service.attrs.get("origin_timeout_s"))
    if timeout is None:
        timeout = float(args.get("default", 30))
    if b.peer.type == "api_gateway":
        wait = _num(b.peer.attrs.get("integration_timeout_s"))
        what = "integration_timeout_s"
    elif b.peer.type == "lambda":
        ms = _num(b.peer.attrs.get("duration_ms"))
        wait = ms / 1000.0 if ms is not None else None
        what = "average duration"
    else:
        return []
    if wait is None or wait <= timeout:
        return []
    return [{"origin_wait_s": wait, "origin_wait_what": what, "origin_timeout": timeout}]


@check("edge_generated_response")
def edge_generated_response(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """The response a Lambda@Edge function generates: 40 KB on viewer events, 1 MB on origin events."""
    if b.edge is None or not b.edge.event:
        return []
    size = _num(b.service.attrs.get("generated_response_kb"))
    if size is None:
        return []
    viewer = b.edge.event.startswith("viewer")
    limit = _limit(b, args, "viewer" if viewer else "origin")
    if size <= limit:
        return []
    return [{"generated_limit_kb": limit, "event_kind": "viewer" if viewer else "origin"}]


@check("firehose_batch_bytes")
def firehose_batch_bytes(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """PutRecordBatch: records x record size against the 4 MiB per call."""
    records = _num(b.service.attrs.get("batch_records"))
    kb = _num(b.service.attrs.get("record_kb"))
    if records is None or kb is None or records <= 1:
        return []
    total_kb = records * kb
    limit_kb = _limit(b, args)
    if total_kb <= limit_kb:
        return []
    return [{"batch_kb": round(total_kb, 1), "batch_limit_kb": limit_kb, "batch_limit_mib": limit_kb / 1024}]


@check("rds_proxies_per_region")
def rds_proxies_per_region(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """More RDS proxies in the service's Region than the account quota (reported once, on the first by id)."""
    same = sorted(s.id for s in b.graph.services.values() if s.type == "rds_proxy" and s.region == b.service.region)
    limit = _limit(b, args)
    if len(same) <= limit or same[0] != b.service.id:
        return []
    return [{"proxy_count": len(same), "proxy_limit": limit}]


def _overlaps(a: str, b: str, suffix: bool) -> bool:
    """Two prefix (or suffix) filters overlap when one is a prefix (suffix) of the other; empty matches all."""
    if suffix:
        return a.endswith(b) or b.endswith(a)
    return a.startswith(b) or b.startswith(a)


def _events_overlap(a: list[str], b: list[str]) -> bool:
    for x in a:
        for y in b:
            if x == y:
                return True
            for wild, other in ((x, y), (y, x)):
                if wild.endswith("*") and other.startswith(wild[:-1]):
                    return True
    return False


@check("s3_notification_overlap")
def s3_notification_overlap(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Two notification configurations of a bucket for overlapping event types whose prefix and
    suffix filters both overlap: S3 rejects the whole notification configuration."""
    notes = [n for n in b.service.attrs.get("notifications") or [] if isinstance(n, dict)]
    out: list[dict[str, Any]] = []
    for i, first in enumerate(notes):
        for j in range(i + 1, len(notes)):
            second = notes[j]
            ev1 = first.get("events") or ["s3:ObjectCreated:*"]
            ev2 = second.get("events") or ["s3:ObjectCreated:*"]
            if not _events_overlap(ev1, ev2):
                continue
            if _overlaps(first.get("prefix", ""), second.get("prefix", ""), False) and _overlaps(
                first.get("suffix", ""), second.get("suffix", ""), True
            ):
                out.append(
                    {
                        "first_to": first.get("to"),
                        "second_to": second.get("to"),
                        "first_filter": f"prefix {first.get('prefix', '')!r}, suffix {first.get('suffix', '')!r}",
                        "second_filter": f"prefix {second.get('prefix', '')!r}, suffix {second.get('suffix', '')!r}",
                        "at": f"notifications.{j}",
                    }
                )
    return out


@check("over_any")
def over_any(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Several keys against their limits (`items: [{key, limit or value, what}]`; a list counts its
    length, `value: true` a flag that is on): one hit naming every key over, with `at` the first."""
    over: list[str] = []
    first = None
    for item in args["items"]:
        found = b.lookup(item["key"])
        if found is MISSING or found is None:
            continue
        what = item.get("what", item["key"])
        if item.get("value") is True:
            if found is True:
                over.append(what)
                first = first or item["key"]
            continue
        amount = float(len(found)) if isinstance(found, list) else _num(found)
        limit = _value(b, f"limit:{item['limit']}") if "limit" in item else _num(item.get("value"))
        if amount is None or limit is None or amount <= limit:
            continue
        over.append(f"{what} {amount:,.10g} (at most {limit:,.10g})")
        first = first or item["key"]
    if not over:
        return []
    return [{"over_list": "; ".join(over), "at": first}]


@check("router_calls_sum")
def router_calls_sum(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """A router (an API's routes, a distribution's origins) sends each request to one target, so
    the `calls` of its connects are shares that add up to 1 at most. Without `calls` each target
    gets the full rate: two routes double what flows downstream. An API's Lambda authorizer
    (`authorizer: true`) runs before the route, not instead of one: it is no share."""
    entries = [
        e
        for e in b.service.attrs.get("connects") or []
        if isinstance(e, str) or (isinstance(e, dict) and e.get("authorizer") is not True)
    ]
    if len(entries) < 2:
        return []
    total = 0.0
    implicit: list[str] = []
    for entry in entries:
        if isinstance(entry, str):
            target, calls = entry, None
        else:
            target, calls = str(entry.get("to")), _num(entry.get("calls"))
        if calls is None:
            implicit.append(target)
            calls = 1.0
        total += calls
    if total <= 1.0 + 1e-9:
        return []
    targets = [e if isinstance(e, str) else str(e.get("to")) for e in entries]
    share = round(1.0 / len(targets), 3)
    example = ", ".join(f"{{to: {t}, calls: {share:g}}}" for t in targets[:3]) + (", ..." if len(targets) > 3 else "")
    return [
        {
            "calls_sum": round(total, 3),
            "route_count": len(targets),
            "routes_without_calls": implicit or "none (all set, but above 1)",
            "routes_example": example,
        }
    ]


@check("unit_slip")
def unit_slip(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
    """A value that is implausible in its unit and plausible in another (0.15 in duration_ms is 150 ms
    written in seconds): `slips: [{type, key, below | above, factor, written_in}]`, one hit per slip."""
    out: list[dict[str, Any]] = []
    for slip in args["slips"]:
        if slip["type"] != b.service.type:
            continue
        value = _num(b.lookup(slip["key"]))
        if value is None or value <= 0:
            continue
        if ("below" in slip and value < float(slip["below"])) or ("above" in slip and value > float(slip["above"])):
            meant = value * float(slip["factor"])
            out.append(
                {
                    "slip_key": slip["key"],
                    "slip_value": value,
                    "slip_unit": slip["written_in"],
                    "slip_meant": f"{meant:,.6g}",
                    "at": slip["key"],
                }
            )
    return out
