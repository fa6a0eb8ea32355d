"""From a loaded document to a checked spec: format version, schema, references, defaults."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from sls_check.loader import Document
from sls_check.model import InputError, Location, Problem
from sls_check.paths import data_dir
from sls_check.runtimes import runtime_table
from sls_check.schema_check import Validator, _show, suggest

FORMAT_VERSION = 1


@cache
def arch_schema() -> dict[str, Any]:
    """The spec schema; the Lambda runtime enum comes from the runtime table (runtimes/lambda.yaml)."""
    with (data_dir("schemas") / "arch.schema.json").open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    runtime = schema["$defs"]["lambda"]["properties"].get("runtime")
    if isinstance(runtime, dict):
        runtime["enum"] = runtime_table().zip_ids()
    return schema


# Keys that name another service, the type it must have, and the edge kind they make.
# (path inside the service, allowed target types)
REFERENCES: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "api_gateway": [(("custom_domain", "certificate"), ("acm_certificate",)), (("user_pool",), ("cognito_user_pool",))],
    "cloudfront": [(("certificate",), ("acm_certificate",))],
    "sqs": [(("dlq",), ("sqs",))],
    "dynamodb": [(("trigger_on_failure",), ("sqs", "sns"))],
    "lambda": [
        (("dlq",), ("sqs", "sns")),
        (("async_config", "on_success"), ("sqs", "sns", "lambda")),
        (("async_config", "on_failure"), ("sqs", "sns", "lambda")),
    ],
    "cognito_identity_pool": [(("user_pool",), ("cognito_user_pool",))],
}


@dataclass
class Spec:
    doc: Document

    @property
    def file(self) -> str:
        return self.doc.file

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data  # type: ignore[no-any-return]

    @property
    def services(self) -> dict[str, dict[str, Any]]:
        return self.data["services"]  # type: ignore[no-any-return]

    def locate(self, path: tuple[Any, ...], *, key: bool = False) -> Location:
        return self.doc.locate(path, key=key)


def _yaml11_hint(doc: Document, path: tuple[Any, ...]) -> str:
    if path in doc.yaml11_bools:
        return " (slscheck reads YAML 1.2, where yes/no/on/off are strings, not booleans: write true or false)"
    return ""


def check_version(doc: Document) -> None:
    data = doc.data
    if "slscheck" not in data:
        hint = ""
        if "Resources" in data or "AWSTemplateFormatVersion" in data:
            hint = "; this looks like a CloudFormation or SAM template, not an slscheck architecture spec"
        elif "provider" in data and "service" in data:
            hint = "; this looks like a Serverless Framework file, not an slscheck architecture spec"
        raise InputError(
            [Problem(doc.locate(()), f"missing `slscheck: 1` (the spec format version) at the top of the file{hint}")]
        )
    version = data["slscheck"]
    if version != FORMAT_VERSION or isinstance(version, bool):
        if isinstance(version, str) and version.strip() == str(FORMAT_VERSION):  # said "'1' is not supported ... 1"
            message = f"slscheck: {version!r} is a string; write the number {FORMAT_VERSION}, without quotes"
        elif version is None:
            message = f"slscheck: has no value; write `slscheck: {FORMAT_VERSION}`"
        else:
            message = (
                f"spec format version {_show(version)} is not supported; this slscheck reads version {FORMAT_VERSION}"
            )
        raise InputError([Problem(doc.locate(("slscheck",)), message)])


def schema_problems(doc: Document) -> list[Problem]:
    validator = Validator(arch_schema())
    problems: dict[tuple[Location, str], Problem] = {}
    for err in validator.validate(doc.data):
        loc = doc.locate(err.path, key=err.at_key)
        message = err.message + _yaml11_hint(doc, err.path)
        problems.setdefault((loc, message), Problem(loc, message))
    return list(problems.values())


def connect_targets(service: dict[str, Any]) -> list[tuple[int, str]]:
    """(index in connects, target id) for every connects entry."""
    out = []
    for i, entry in enumerate(service.get("connects", [])):
        out.append((i, entry if isinstance(entry, str) else entry["to"]))
    return out


def reference_problems(spec: Spec) -> list[Problem]:
    services = spec.services
    ids = sorted(services)
    problems: list[Problem] = []

    def check(path: tuple[Any, ...], target: str, allowed: tuple[str, ...] | None) -> None:
        if target not in services:
            problems.append(Problem(spec.locate(path), f"unknown service {target!r}{suggest(target, ids)}"))
            return
        actual = services[target]["type"]
        if allowed and actual not in allowed:
            problems.append(Problem(spec.locate(path), f"{target!r} is a {actual}; expected {' or '.join(allowed)}"))

    for sid, svc in services.items():
        base = ("services", sid)
        for i, target in connect_targets(svc):
            entry = svc["connects"][i]
            if isinstance(entry, dict) and entry.get("authorizer") is True:
                if svc["type"] != "api_gateway":
                    problems.append(
                        Problem(
                            spec.locate((*base, "connects", i, "authorizer")),
                            f"services.{sid}.connects.{i}.authorizer: only an api_gateway has Lambda authorizers",
                        )
                    )
                check((*base, "connects", i, "to"), target, ("lambda",))
                continue
            check((*base, "connects", i) if isinstance(entry, str) else (*base, "connects", i, "to"), target, None)
        for keys, allowed in REFERENCES.get(svc["type"], []):
            value: Any = svc
            for k in keys:
                value = value.get(k) if isinstance(value, dict) else None
            if isinstance(value, str) and keys == ("dlq",) and value == sid and svc["type"] == "sqs":
                # (MSG010 then compared the queue's retention with itself)
                problems.append(
                    Problem(
                        spec.locate((*base, "dlq")),
                        f"services.{sid}.dlq: {sid!r} is its own dead-letter queue; name another queue",
                    )
                )
            elif isinstance(value, str):
                check((*base, *keys), value, allowed)
        for i, assoc in enumerate(svc.get("functions", []) if svc["type"] == "cloudfront" else []):
            check((*base, "functions", i, "function"), assoc["function"], ("cloudfront_function", "lambda"))
        for i, note in enumerate(svc.get("notifications", []) if svc["type"] == "s3" else []):
            check((*base, "notifications", i, "to"), note["to"], ("lambda", "sqs", "sns"))
        for i, entry in enumerate(svc.get("suppress", [])):
            until = entry.get("until")
            try:  # the schema checks the YYYY-MM-DD shape, not the calendar (2026-02-30)
                if isinstance(until, str):
                    dt.date.fromisoformat(until)
            except ValueError:
                problems.append(
                    Problem(
                        spec.locate((*base, "suppress", i, "until")),
                        f"services.{sid}.suppress.{i}.until: {until!r} is not a valid date",
                    )
                )
    return problems


def traffic_problems(spec: Spec) -> list[Problem]:
    """A peak below the average (workload, or a service's pinned rate) was silently raised to it."""
    problems: list[Problem] = []
    blocks: list[tuple[tuple[str, ...], dict[str, Any]]] = [(("workload",), spec.data.get("workload") or {})]
    blocks += [(("services", sid), svc) for sid, svc in spec.services.items()]
    for path, block in blocks:
        if "peak_rps" not in block:
            continue
        if "rps" in block:
            average, what = float(block["rps"]), f"rps {block['rps']:g}"
        elif "monthly_requests" in block:
            average = float(block["monthly_requests"]) / (730 * 3600)
            what = f"monthly_requests {block['monthly_requests']:g} ({average:.4g} requests/s)"
        else:
            continue
        if float(block["peak_rps"]) < average:
            name = ".".join(str(p) for p in path)
            problems.append(
                Problem(
                    spec.locate((*path, "peak_rps")),
                    f"{name}.peak_rps: {block['peak_rps']:g} is "
                    f"lower than the average, {what}; a peak is at least the average",
                )
            )
    return problems


def check_spec(doc: Document) -> Spec:
    """Raise InputError listing every problem; return the spec when it can be checked."""
    check_version(doc)
    problems = schema_problems(doc)
    if problems:
        raise InputError(problems)
    spec = Spec(doc)
    problems = reference_problems(spec) + traffic_problems(spec)
    if problems:
        raise InputError(problems)
    return spec


def _type_defaults(service_type: str) -> dict[str, Any]:
    props = arch_schema()["$defs"][service_type]["properties"]
    return {k: v["default"] for k, v in props.items() if isinstance(v, dict) and "default" in v}


_DEFAULTS: dict[str, dict[str, Any]] = {}


def resolved_attrs(service: dict[str, Any], spec_region: str) -> dict[str, Any]:
    """The service's keys with AWS defaults filled in and shapes normalised for the engines."""
    stype = service["type"]
    if stype not in _DEFAULTS:
        _DEFAULTS[stype] = _type_defaults(stype)
    attrs = {**_DEFAULTS[stype], **service}
    attrs["region"] = service.get("region", spec_region)
    if isinstance(attrs.get("vpc"), str):
        attrs["vpc"] = {"id": attrs["vpc"]}
    if stype == "api_gateway" and "endpoint" not in attrs:
        attrs["endpoint"] = "edge" if attrs.get("api") == "rest" else "regional"
    return attrs
