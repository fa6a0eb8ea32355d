"""CloudFormation and SAM templates -> slscheck services, edges and notes.

One `StackMapper` per template. SAM types are read directly: `Globals` merged into each resource
(the resource wins for scalars, maps merge, lists concatenate, as the SAM translator does), the
implicit `ServerlessRestApi`/`ServerlessHttpApi` synthesized from events that name no API, and
events turned into edges. Every spec key remembers the template position it came from.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sls_check.importers.intrinsics import (
    NO_VALUE,
    Context,
    ResourceRef,
    Unknown,
    evaluate,
    references,
)
from sls_check.importers.mapping import (
    KeyRule,
    NotConvertible,
    TypeMap,
    convert,
    get_path,
    path_tuple,
    tables,
)
from sls_check.loader import Document
from sls_check.model import Location
from sls_check.schedules import schedule_rate

Path_ = tuple[Any, ...]

# Resource types whose services an edge may reach from a function's policy or environment.
CANDIDATE_TARGETS = frozenset(
    {
        "dynamodb",
        "s3",
        "sqs",
        "sns",
        "step_functions",
        "kinesis_firehose",
        "eventbridge",
        "lambda",
        "aurora_serverless",
        "rds_proxy",
    }
)
# Actions of a poller (Lambda reading its own event source): not a request of the function.
POLLER_POLICIES = frozenset(
    {"SQSPollerPolicy", "DynamoDBStreamReadPolicy", "KinesisStreamReadPolicy", "AWSLambdaSQSQueueExecutionRole"}
)
POLLER_ACTIONS = re.compile(
    r"^(sqs:(ReceiveMessage|DeleteMessage|GetQueueAttributes|ChangeMessageVisibility)"
    r"|dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams)|kinesis:.*|logs:.*|xray:.*)$",
    re.IGNORECASE,
)
INTEGRATION_TARGETS = frozenset(
    {"lambda", "sqs", "sns", "dynamodb", "step_functions", "kinesis_firehose", "s3", "fargate"}
)
SAM_EVENT_TYPES = ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")
SFN_TARGETS = frozenset({"lambda", "sqs", "sns", "dynamodb", "step_functions", "fargate", "kinesis_firehose", "s3"})


@dataclass
class Note:
    """An importer note: an info finding (rule IMP00x) at a template position."""

    rule: str
    service: str
    location: Location
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Edge:
    source: str  # logical id (or synthesized id)
    target: str
    location: Location
    candidate: str = ""  # why it is only a candidate ("DynamoDBCrudPolicy", "environment TABLE")
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class MappedService:
    logical_id: str
    cfn_type: str
    data: dict[str, Any]
    location: Location  # the resource's logical-id key
    where: dict[Path_, Location] = field(default_factory=dict)  # spec subpath -> template position
    unknown: dict[str, str] = field(default_factory=dict)  # spec key -> why its value is unknown
    cdk_path: str | None = None


@dataclass
class StackResult:
    file: str
    stack: str
    services: dict[str, MappedService] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    region: str | None = None
    # template logical id -> service id (SAM's generated names, serverless.yml function names)
    aliases: dict[str, str] = field(default_factory=dict)
    overlays: dict[str, tuple[Document, Path_]] = field(default_factory=dict)  # Metadata.slscheck per service
    resource_count: int = 0
    tiers: dict[str, int] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)  # logical id -> preferred service id


def _merge_globals(globals_props: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    """SAM's Globals merge: the resource wins for scalars, maps merge, lists concatenate."""
    out = dict(globals_props)
    for key, value in props.items():
        base = out.get(key)
        if isinstance(base, dict) and isinstance(value, dict) and not _is_intrinsic(base) and not _is_intrinsic(value):
            out[key] = _merge_globals(base, value)
        elif isinstance(base, list) and isinstance(value, list):
            out[key] = base + value
        else:
            out[key] = value
    return out


def _is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith(("Fn::", "Ref"))


class StackMapper:
    def __init__(
        self,
        doc: Document,
        *,
        stack: str,
        region: str | None,
        parameters: dict[str, Any],
        external: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.doc = doc
        # names that stand for a resource of another stack (overlay links): name -> (type, "@stack/id")
        self.external = external or {}
        self.data: dict[str, Any] = doc.data
        self.tables = tables()
        resources = self.data.get("Resources")
        self.resources: dict[str, Any] = resources if isinstance(resources, dict) else {}
        self.result = StackResult(file=doc.file, stack=stack, region=region)
        raw_globals = self.data.get("Globals")
        self.globals: dict[str, Any] = raw_globals if isinstance(raw_globals, dict) else {}
        self.ctx = self._context(region, stack, parameters)
        self.props_cache: dict[str, dict[str, Any]] = {}
        self.implicit: dict[str, str] = {}  # SAM implicit api kind -> service id

    # ---- context ------------------------------------------------------------------------------

    def _context(self, region: str | None, stack: str, overrides: dict[str, Any]) -> Context:
        ctx = Context(region=region, stack_name=stack)
        params = self.data.get("Parameters")
        for name, spec in (params if isinstance(params, dict) else {}).items():
            spec = spec if isinstance(spec, dict) else {}
            ctx.parameter_types[name] = str(spec.get("Type", "String"))
            if name in overrides:
                ctx.parameters[name] = overrides[name]
            elif "Default" in spec:
                ctx.parameters[name] = spec["Default"]
            else:
                ctx.parameters[name] = Unknown(f"parameter {name} has no default and no value was given")
        for name, value in overrides.items():
            ctx.parameters.setdefault(name, value)
        for lid, res in self.resources.items():
            if isinstance(res, dict) and isinstance(res.get("Type"), str):
                ctx.resources[lid] = res["Type"]
        # SAM's generated resources can be referenced too (MyFunctionUrl, MyFunctionRole, ServerlessRestApi...)
        for lid, res in list(self.resources.items()):
            t = ctx.resources.get(lid, "")
            props = res.get("Properties") if isinstance(res, dict) else None
            if t == "AWS::Serverless::Function":
                ctx.resources.setdefault(f"{lid}Role", "AWS::IAM::Role")
                if isinstance(props, dict) and "FunctionUrlConfig" in props:
                    ctx.resources.setdefault(f"{lid}Url", "AWS::Lambda::Url")
                    self.result.aliases[f"{lid}Url"] = lid
            if t == "AWS::Serverless::StateMachine":
                ctx.resources.setdefault(f"{lid}Role", "AWS::IAM::Role")
        for name, (cfn_type, placeholder) in self.external.items():
            ctx.parameters.pop(name, None)
            ctx.resources[name] = cfn_type
            self.result.aliases[name] = placeholder
        if any(ctx.resources.get(lid) == "AWS::Serverless::Function" for lid in self.resources):
            ctx.resources.setdefault("ServerlessRestApi", "AWS::Serverless::Api")
            ctx.resources.setdefault("ServerlessHttpApi", "AWS::Serverless::HttpApi")
        mappings = self.data.get("Mappings")
        ctx.mappings = mappings if isinstance(mappings, dict) else {}
        conditions = self.data.get("Conditions")
        ctx.conditions = conditions if isinstance(conditions, dict) else {}
        return ctx

    # ---- positions ----------------------------------------------------------------------------

    def res_path(self, lid: str) -> Path_:
        return ("Resources", lid)

    def loc(self, path: Path_, *, key: bool = False) -> Location:
        return self.doc.locate(path, key=key)

    def prop_loc(self, lid: str, sub: Path_) -> Location:
        """Where property `sub` of resource lid is written: the resource, else its Globals, else the resource key."""
        own = ("Resources", lid, "Properties", *sub)
        res = self.resources.get(lid, {})
        props = res.get("Properties") if isinstance(res, dict) else None
        if _has(props, sub):
            return self.loc(own)
        section = self._globals_section(lid)
        if section is not None and _has(self.globals.get(section), sub):
            return self.loc(("Globals", section, *sub))
        # the deepest part present in the resource
        for n in range(len(sub) - 1, 0, -1):
            if _has(props, sub[:n]):
                return self.loc(("Resources", lid, "Properties", *sub[:n]))
        return self.loc(self.res_path(lid), key=True)

    def _globals_section(self, lid: str) -> str | None:
        t = self.ctx.resources.get(lid, "")
        typemap = self.tables.types.get(t)
        return typemap.globals_section if typemap else None

    # ---- properties ---------------------------------------------------------------------------

    def props(self, lid: str) -> dict[str, Any]:
        if lid in self.props_cache:
            return self.props_cache[lid]
        res = self.resources.get(lid)
        props = res.get("Properties") if isinstance(res, dict) else None
        props = props if isinstance(props, dict) else {}
        section = self._globals_section(lid)
        if section and isinstance(self.globals.get(section), dict):
            props = _merge_globals(self.globals[section], props)
        self.props_cache[lid] = props
        return props

    def value(self, lid: str, dotted: str) -> Any:
        """The evaluated value of a property (None when absent)."""
        raw = get_path(self.props(lid), dotted)
        if raw is None:
            return None
        value = evaluate(raw, self.ctx)
        return None if value is NO_VALUE else value

    def refs(self, value: Any) -> list[str]:
        """Logical ids (as service ids) a raw template value names."""
        out: list[str] = []
        for lid, _attr in references(value, self.ctx.resources):
            sid = self.result.aliases.get(lid, lid)
            if sid not in out:
                out.append(sid)
        return out

    def type_of(self, sid: str) -> str:
        """The resource type of a service id (a logical id, or an alias for another stack's resource)."""
        if sid in self.ctx.resources:
            return self.ctx.resources[sid]
        for name, (cfn_type, placeholder) in self.external.items():
            if placeholder == sid or name == sid:
                return cfn_type
        return ""

    def ref_of(self, value: Any) -> str | None:
        found = self.refs(value)
        return found[0] if found else None

    # ---- the run ------------------------------------------------------------------------------

    def run(self) -> StackResult:
        self._transform_check()
        deployed = {}
        for lid, res in self.resources.items():
            if not isinstance(res, dict) or not isinstance(res.get("Type"), str):
                continue
            cond = res.get("Condition")
            if isinstance(cond, str):
                value = self.ctx.condition(cond)
                if value is False:
                    continue
            deployed[lid] = res["Type"]
        self.deployed = deployed
        self.result.resource_count = len(deployed)
        for lid, cfn_type in deployed.items():
            self._classify(lid, cfn_type)
        for lid, cfn_type in deployed.items():
            handler = getattr(self, "_facet_" + cfn_type.replace("::", "_"), None)
            if handler is not None:
                handler(lid)
        for lid, cfn_type in deployed.items():
            handler = getattr(self, "_edges_" + cfn_type.replace("::", "_"), None)
            if handler is not None and lid in self.result.services:
                handler(lid)
        return self.result

    def _transform_check(self) -> None:
        transform = self.data.get("Transform")
        uses_sam = any(
            isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::Serverless::")
            for r in self.resources.values()
        )
        names = transform if isinstance(transform, list) else [transform]
        if uses_sam and "AWS::Serverless-2016-10-31" not in names:
            first = next(
                lid
                for lid, r in self.resources.items()
                if isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::Serverless::")
            )
            self.note(
                "IMP005", first, self.loc(self.res_path(first), key=True), what="Transform: AWS::Serverless-2016-10-31"
            )

    def note(self, rule: str, service: str, location: Location, **values: Any) -> None:
        self.result.notes.append(Note(rule, service, location, values))

    def _tier(self, tier: str) -> None:
        self.result.tiers[tier] = self.result.tiers.get(tier, 0) + 1

    def _classify(self, lid: str, cfn_type: str) -> None:
        tier = self.tables.tier(cfn_type)
        typemap = self.tables.types.get(cfn_type)
        if typemap is not None and typemap.when and not self._when(lid, typemap.when):
            typemap, tier = None, "unmapped"
            if cfn_type == "AWS::Events::Rule":
                tier = "facet"  # an event-pattern rule: its targets are edges of its bus
        if cfn_type == "AWS::RDS::DBInstance":
            cluster = self.ref_of(self.props(lid).get("DBClusterIdentifier"))
            res = self.resources.get(cluster or "", {})
            if cluster and self._when(cluster, self.tables.types["AWS::RDS::DBCluster"].when):
                tier = "facet"
            elif isinstance(res, dict) and res.get("Type") == "AWS::RDS::DBCluster":
                tier = "support"  # reported once, on the cluster
        self._tier(tier)
        if typemap is not None:
            self.map_service(lid, typemap)
            return
        if tier == "unmapped":
            self.note("IMP001", lid, self.loc(self.res_path(lid), key=True), type=cfn_type)

    def _when(self, lid: str, alternatives: tuple[Any, ...]) -> bool:
        props = self.props(lid)
        for alt in alternatives:
            if isinstance(alt, str):
                if get_path(props, alt) is not None:
                    return True
            else:
                for path, expected in alt.items():
                    value = evaluate(get_path(props, path), self.ctx)
                    if value == expected or (isinstance(value, list) and expected in value):
                        return True
                    if isinstance(value, str) and value.lower() == str(expected).lower():
                        return True
        return False

    # ---- one service from the table -----------------------------------------------------------

    def map_service(self, lid: str, typemap: TypeMap) -> MappedService:
        svc = MappedService(
            logical_id=lid,
            cfn_type=typemap.cfn_type,
            data={"type": typemap.service_type},
            location=self.loc(self.res_path(lid), key=True),
        )
        res = self.resources.get(lid, {})
        meta = res.get("Metadata") if isinstance(res, dict) else None
        if isinstance(meta, dict):
            if isinstance(meta.get("aws:cdk:path"), str):
                svc.cdk_path = meta["aws:cdk:path"]
            if isinstance(meta.get("slscheck"), dict):
                self.result.overlays[lid] = (self.doc, ("Resources", lid, "Metadata", "slscheck"))
        type_loc = self.loc(("Resources", lid, "Type"))
        for key, value in typemap.constants.items():
            svc.data[key] = value
            svc.where[(key,)] = type_loc
        for rule in typemap.keys:
            self._apply_rule(svc, rule)
        props = self.props(lid)
        features = []
        for feature, dotted in typemap.features.items():
            value = self.value(lid, dotted)
            if value not in (None, False, "", [], {}) and not isinstance(value, Unknown) and value != "false":
                features.append(feature)
                svc.where.setdefault(("features",), self.prop_loc(lid, path_tuple(dotted)))
        if features:
            svc.data["features"] = features
        self.result.services[lid] = svc
        handler = getattr(self, "_map_" + typemap.cfn_type.replace("::", "_"), None)
        if handler is not None:
            handler(lid, svc, props)
        return svc

    def _apply_rule(self, svc: MappedService, rule: KeyRule) -> None:
        lid = svc.logical_id
        for dotted in rule.sources:
            raw = get_path(self.props(lid), dotted)
            if raw is None:
                continue
            where = self.prop_loc(lid, path_tuple(dotted))
            value = evaluate(raw, self.ctx)
            if value is NO_VALUE:
                continue
            try:
                out = convert(rule, value)
            except NotConvertible as exc:
                self.note("IMP002", lid, where, key=rule.key, reason=f"{dotted}: {exc}")
                svc.unknown[rule.key] = f"{dotted}: {exc}"
                return
            if isinstance(out, Unknown):
                svc.unknown[rule.key] = f"{dotted}: {out.reason}"
                return
            if rule.convert == "env":
                out = self._env(svc, out, raw)
            svc.data[rule.key] = out
            svc.where[(rule.key,)] = where
            return
        if rule.default is not None:
            svc.data[rule.key] = rule.default

    def set(self, svc: MappedService, key: str, value: Any, where: Location) -> None:
        svc.data[key] = value
        svc.where[(key,)] = where

    def _env(self, svc: MappedService, env: dict[str, Any], raw: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in env.items():
            if isinstance(value, (str, int, float, bool)) and not isinstance(value, Unknown):
                out[name] = value
            else:
                # a value known only after deployment: a stand-in of an ARN's typical length keeps the
                # 4 KB size check meaningful
                target = self.ref_of(raw.get(name)) if isinstance(raw, dict) else None
                out[name] = f"arn:aws:cloudformation:region:123456789012:{target or name}"
        return out

    # ---- per-type code -------------------------------------------------------------------------

    def _lambda_common(self, lid: str, svc: MappedService, props: dict[str, Any], sam: bool) -> None:
        image = self.value(lid, "PackageType") == "Image" or (not sam and self.value(lid, "Code.ImageUri") is not None)
        if sam and props.get("ImageUri") is not None:
            image = True
        if image:
            self.set(svc, "package", {"format": "image"}, self.prop_loc(lid, ("PackageType",)))
            svc.data.pop("runtime", None)
        else:
            inline = props.get("InlineCode") is not None if sam else get_path(props, "Code.ZipFile") is not None
            package: dict[str, Any] = {"format": "zip", "upload": "direct" if inline else "s3"}
            layers = self.value(lid, "Layers")
            if isinstance(layers, list) and layers:
                names = []
                for i, layer in enumerate(layers):
                    ref = self.refs(get_path(props, f"Layers.{i}"))
                    names.append(ref[0] if ref else layer if isinstance(layer, str) else f"layer-{i + 1}")
                package["layers"] = names
            self.set(svc, "package", package, self.prop_loc(lid, ("CodeUri",) if sam else ("Code",)))
        dlq_path = "DeadLetterQueue.TargetArn" if sam else "DeadLetterConfig.TargetArn"
        dlq = self.ref_of(get_path(props, dlq_path))
        if dlq:
            self.set(svc, "dlq", dlq, self.prop_loc(lid, path_tuple(dlq_path)))
        elif get_path(props, dlq_path) is not None:
            svc.unknown["dlq"] = f"{dlq_path} names nothing in the template"
        if "VpcConfig" in props:
            self._vpc(lid, svc, props["VpcConfig"], ("VpcConfig",), "SubnetIds", "SecurityGroupIds")
        if sam and "EventInvokeConfig" in props:
            self._destinations(
                lid,
                get_path(props, "EventInvokeConfig.DestinationConfig"),
                ("EventInvokeConfig", "DestinationConfig"),
                svc,
            )

    def _map_AWS_Serverless_Function(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._lambda_common(lid, svc, props, sam=True)
        if "runtime" not in svc.data and "Runtime" not in props and svc.data.get("package", {}).get("format") == "zip":
            svc.unknown.setdefault("runtime", "Runtime is not set")

    def _map_AWS_Lambda_Function(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._lambda_common(lid, svc, props, sam=False)

    def _destinations(self, lid: str, config: Any, base: Path_, svc: MappedService) -> None:
        """EventInvokeConfig: retries, event age and the destinations (async_config)."""
        res_base = ("Resources", lid, "Properties", *base)
        parent = res_base[:-1] if res_base[-1] == "DestinationConfig" else res_base
        settings = get_path(self.resources.get(lid, {}), ".".join(str(p) for p in ("Properties", *base[:-1])))
        if (
            not isinstance(settings, dict)
            and self.resources.get(lid, {}).get("Type") == "AWS::Lambda::EventInvokeConfig"
        ):
            settings = self.props(lid)
        out: dict[str, Any] = dict(svc.data.get("async_config", {}))
        if isinstance(settings, dict):
            for prop, key in (
                ("MaximumEventAgeInSeconds", "maximum_event_age_s"),
                ("MaximumRetryAttempts", "maximum_retry_attempts"),
            ):
                value = evaluate(settings.get(prop), self.ctx)
                if isinstance(value, int) and not isinstance(value, bool):
                    out[key] = value
                    svc.where[("async_config", key)] = self.loc((*parent, prop))
        if isinstance(config, dict):
            for which, key in (("OnSuccess", "on_success"), ("OnFailure", "on_failure")):
                raw = get_path(config, f"{which}.Destination")
                if raw is None:
                    continue
                target = self.ref_of(raw)
                where = self.loc((*res_base, which))
                kind = self.type_of(target) if target else ""
                if target and kind in (
                    "AWS::SQS::Queue",
                    "AWS::SNS::Topic",
                    "AWS::Lambda::Function",
                    "AWS::Serverless::Function",
                ):
                    out[key] = target
                    svc.where[("async_config", key)] = where
                    if which == "OnSuccess":  # every successful asynchronous invocation sends a record
                        self.result.edges.append(Edge(lid, target, where, extra={"destination": which}))
                else:
                    svc.unknown.setdefault("async_config", f"the {which} destination is not a service of the templates")
        if out:
            svc.data["async_config"] = out
            svc.where.setdefault(("async_config",), self.loc(parent))

    def _vpc(self, lid: str, svc: MappedService, raw: Any, base: Path_, subnets_key: str, groups_key: str) -> None:
        where = self.loc(("Resources", lid, "Properties", *base))
        value = evaluate(raw, self.ctx)
        vpc: dict[str, Any] = {}
        known = True
        vpc_id = None
        for key, out in ((subnets_key, "subnets"), (groups_key, "security_groups")):
            items = value.get(key) if isinstance(value, dict) else None
            if items is None:
                continue
            if not isinstance(items, list):
                known = False
                continue
            ids = []
            for item in items:
                if isinstance(item, ResourceRef):
                    ids.append(item.logical_id)
                    if out == "subnets" and vpc_id is None:
                        vpc_id = self.ref_of(get_path(self.resources.get(item.logical_id, {}), "Properties.VpcId"))
                elif isinstance(item, str):
                    ids.append(item)
                else:
                    known = False
            vpc[out] = ids
        if vpc_id:
            vpc["id"] = vpc_id
            nat = any(t == "AWS::EC2::NatGateway" for t in self.deployed.values())
            vpc["nat_gateway"] = nat
            endpoints = self._endpoints(vpc_id)
            if endpoints:
                vpc["endpoints"] = endpoints
        else:
            vpc["id"] = f"vpc-of-{lid}"
            known = False
        svc.data["vpc"] = vpc
        svc.where[("vpc",)] = where
        if not known:
            svc.unknown["vpc"] = (
                "the VPC, its subnets or security groups are not in the template (parameters or imports)"
            )

    def _endpoints(self, vpc_lid: str) -> list[str]:
        allowed = {"s3", "dynamodb", "sqs", "sns", "firehose", "states", "lambda", "execute-api", "secretsmanager"}
        from sls_check.spec import arch_schema

        enum = arch_schema()["$defs"]["vpc_map"]["properties"]["endpoints"]["items"].get("enum")
        if enum:
            allowed = set(enum)
        found = []
        for lid, t in self.deployed.items():
            if t != "AWS::EC2::VPCEndpoint":
                continue
            props = self.props(lid)
            if self.ref_of(props.get("VpcId")) != vpc_lid:
                continue
            name = props.get("ServiceName")
            text = name if isinstance(name, str) else json.dumps(name)
            short = text.rsplit(".", 1)[-1].strip('"}] ')
            if short in allowed and short not in found:
                found.append(short)
        return sorted(found)

    def _map_AWS_Serverless_Api(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._sam_api_common(lid, svc, props)
        if self.value(lid, "CacheClusterEnabled") is not True:
            svc.data.pop("cache_gb", None)
        settings = self.value(lid, "MethodSettings")
        if isinstance(settings, list):
            for i, entry in enumerate(settings):
                if not isinstance(entry, dict):
                    continue
                self._throttle(
                    svc,
                    entry.get("ThrottlingRateLimit"),
                    entry.get("ThrottlingBurstLimit"),
                    self.prop_loc(lid, ("MethodSettings", i)),
                )
                if entry.get("LoggingLevel") in ("INFO", "ERROR"):
                    self._feature(svc, "execution_logs", self.prop_loc(lid, ("MethodSettings", i)))
        auth = self.value(lid, "Auth")
        if isinstance(auth, dict):
            self._sam_auth(lid, svc, auth, http=False)
        endpoint_ids = self.value(lid, "EndpointConfiguration.VPCEndpointIds")
        if isinstance(endpoint_ids, list) and endpoint_ids and all(isinstance(x, str) for x in endpoint_ids):
            self.set(
                svc, "vpc_endpoints", endpoint_ids, self.prop_loc(lid, ("EndpointConfiguration", "VPCEndpointIds"))
            )
        self._openapi(lid, svc, props.get("DefinitionBody"), ("DefinitionBody",), uri=props.get("DefinitionUri"))

    def _map_AWS_Serverless_HttpApi(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._sam_api_common(lid, svc, props)
        self._throttle(
            svc,
            self.value(lid, "DefaultRouteSettings.ThrottlingRateLimit"),
            self.value(lid, "DefaultRouteSettings.ThrottlingBurstLimit"),
            self.prop_loc(lid, ("DefaultRouteSettings",)),
        )
        auth = self.value(lid, "Auth")
        if isinstance(auth, dict):
            self._sam_auth(lid, svc, auth, http=True)
        self._openapi(lid, svc, props.get("DefinitionBody"), ("DefinitionBody",), uri=props.get("DefinitionUri"))

    def _sam_api_common(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        domain = props.get("Domain")
        if isinstance(domain, dict):
            self._custom_domain(
                svc,
                self.value(lid, "Domain.DomainName"),
                get_path(props, "Domain.CertificateArn"),
                self.prop_loc(lid, ("Domain", "DomainName")),
                self.prop_loc(lid, ("Domain", "CertificateArn")),
            )
            endpoint = self.value(lid, "Domain.EndpointConfiguration")
            if isinstance(endpoint, str) and svc.data.get("api") == "rest" and "EndpointConfiguration" not in props:
                svc.data["endpoint"] = endpoint.lower()
                svc.where[("endpoint",)] = self.prop_loc(lid, ("Domain", "EndpointConfiguration"))

    def _custom_domain(
        self, svc: MappedService, name: Any, cert_raw: Any, name_loc: Location, cert_loc: Location
    ) -> None:
        domain: dict[str, Any] = {}
        if isinstance(name, str):
            domain["name"] = name
        else:
            svc.unknown["custom_domain"] = "the custom domain name is only known at deploy time"
        cert = self._certificate(svc, cert_raw, cert_loc)
        if cert:
            domain["certificate"] = cert
        elif cert_raw is not None:
            svc.unknown["custom_domain"] = "the certificate is only known at deploy time (parameter, SSM, import)"
        if "name" in domain and "certificate" in domain:
            svc.data["custom_domain"] = domain
            svc.where[("custom_domain",)] = name_loc
            svc.where[("custom_domain", "certificate")] = cert_loc

    def _certificate(self, svc: MappedService, raw: Any, where: Location) -> str | None:
        """The acm_certificate service a CertificateArn names: in the template, or a stub from a literal ARN."""
        if raw is None:
            return None
        target = self.ref_of(raw)
        if target and self.type_of(target) == "AWS::CertificateManager::Certificate":
            return target
        value = evaluate(raw, self.ctx)
        if isinstance(value, str) and value.startswith("arn:") and ":acm:" in value:
            parts = value.split(":")
            stub = "cert-" + re.sub(r"[^A-Za-z0-9]", "", parts[-1].split("/")[-1])[:12]
            if stub not in self.result.services:
                cert = MappedService(stub, "AWS::CertificateManager::Certificate", {"type": "acm_certificate"}, where)
                if len(parts) > 3 and parts[3]:
                    cert.data["region"] = parts[3]
                cert.where[("region",)] = where
                cert.unknown["domain"] = "a certificate outside the template: its names are not known"
                self.result.services[stub] = cert
            return stub
        return None

    def _throttle(self, svc: MappedService, rate: Any, burst: Any, where: Location) -> None:
        throttle: dict[str, Any] = {}
        for key, value, kind in (("rps", rate, float), ("burst", burst, int)):
            value = evaluate(value, self.ctx) if value is not None else None
            if isinstance(value, (int, float, str)) and not isinstance(value, bool):
                try:
                    number = kind(float(value))
                except ValueError:
                    continue
                if number >= 0:
                    throttle[key] = int(number) if float(number).is_integer() else number
        if throttle:
            svc.data["throttle"] = {**svc.data.get("throttle", {}), **throttle}
            svc.where[("throttle",)] = where

    def _feature(self, svc: MappedService, feature: str, where: Location) -> None:
        features = svc.data.setdefault("features", [])
        if feature not in features:
            features.append(feature)
            svc.where.setdefault(("features",), where)

    def _sam_auth(self, lid: str, svc: MappedService, auth: dict[str, Any], *, http: bool) -> None:
        found = auth.get("Authorizers")
        authorizers: dict[str, Any] = found if isinstance(found, dict) else {}
        raw_auth = get_path(self.props(lid), "Auth.Authorizers") or {}
        default = auth.get("DefaultAuthorizer")
        where = self.prop_loc(lid, ("Auth", "DefaultAuthorizer"))
        if auth.get("ResourcePolicy") is not None:
            self._feature(svc, "resource_policy", self.prop_loc(lid, ("Auth", "ResourcePolicy")))
        for name, entry in authorizers.items():
            raw = raw_auth.get(name) if isinstance(raw_auth, dict) else None
            if isinstance(entry, dict) and "FunctionArn" in entry:
                fn = self.ref_of(get_path(raw, "FunctionArn"))
                if fn and self._sam_authorizer_used(lid, name, default):
                    ttl = get_path(entry, "Identity.ReauthorizeEvery")
                    self._authorizer_edge(
                        lid,
                        fn,
                        self.prop_loc(lid, ("Auth", "Authorizers", name)),
                        ttl,
                        # SAM: ReauthorizeEvery "Default: 300" for REST APIs (https://docs.aws.amazon.com/
                        # serverless-application-model/latest/developerguide/sam-property-api-
                        # lambdatokenauthorizationidentity.html, and ...lambdarequestauthorizationidentity.html);
                        # sam-property-httpapi-lambdaauthorizationidentity.html names none (seen 2026-12-02)
                        300 if not http else None,
                    )
        if not isinstance(default, str):
            if auth.get("EnableIamAuthorizer") is True and http:
                pass
            return
        if default == "AWS_IAM":
            self.set(svc, "auth", "iam", where)
            return
        entry = authorizers.get(default)
        raw = raw_auth.get(default) if isinstance(raw_auth, dict) else None
        if not isinstance(entry, dict):
            return
        self._authorizer(svc, entry, raw, where, http=http)

    def _sam_authorizer_used(self, api: str, name: str, default: Any) -> bool:
        """A SAM authorizer runs when it is the API's default, an event of the API names it, or the
        API's own OpenAPI body may name it (not read for this)."""
        if name == default or self.props(api).get("DefinitionBody") is not None:
            return True
        implicit = api in ("ServerlessRestApi", "ServerlessHttpApi")
        for lid, res in self.resources.items():
            if not isinstance(res, dict) or res.get("Type") not in SAM_EVENT_TYPES:
                continue
            events = self.props(lid).get("Events")
            for event in events.values() if isinstance(events, dict) else []:
                eprops = event.get("Properties") if isinstance(event, dict) else None
                if not isinstance(eprops, dict) or event.get("Type") not in ("Api", "HttpApi"):
                    continue
                source = eprops.get("RestApiId" if event.get("Type") == "Api" else "ApiId")
                if (self.ref_of(source) == api or (source is None and implicit)) and get_path(
                    eprops, "Auth.Authorizer"
                ) == name:
                    return True
        return False

    def _authorizer_edge(self, api: str, fn: str, where: Location, ttl: Any, default_ttl: int | None) -> None:
        """The API invokes its Lambda authorizer for every request its result cache does not answer.
        `ttl`: the template's TTL in seconds (None: not set, then `default_ttl`, None when undocumented)."""
        if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
            ttl = None
        self.result.edges.append(
            Edge(
                api,
                fn,
                where,
                extra={"authorizer": True, "ttl": ttl, "default_ttl": default_ttl},
            )
        )

    def _authorizer(self, svc: MappedService, entry: dict[str, Any], raw: Any, where: Location, *, http: bool) -> None:
        if "UserPoolArn" in entry:
            self.set(svc, "auth", "cognito", where)
            pool = self.ref_of(get_path(raw, "UserPoolArn"))
            if pool and self.type_of(pool) == "AWS::Cognito::UserPool":
                self.set(svc, "user_pool", pool, where)
            else:
                svc.unknown["user_pool"] = "the user pool is outside the template"
        elif "JwtConfiguration" in entry:
            self.set(svc, "auth", "jwt", where)
            pools = [
                p for p in self.refs(get_path(raw, "JwtConfiguration")) if self.type_of(p) == "AWS::Cognito::UserPool"
            ]
            if pools:
                self.set(svc, "user_pool", pools[0], where)
        elif "FunctionArn" in entry:
            self.set(svc, "auth", "lambda", where)

    def _openapi(self, lid: str, svc: MappedService, body: Any, base: Path_, uri: Any = None) -> None:
        if body is None:
            if uri is not None:
                self.note("IMP004", lid, self.prop_loc(lid, ("DefinitionUri",)), what="DefinitionUri (an OpenAPI file)")
                svc.unknown["features"] = "the OpenAPI definition is in a side file"
                svc.unknown["connects"] = "integrations are in a side file"
            return
        if isinstance(body, dict) and set(body) == {"Fn::Transform"}:
            self.note("IMP004", lid, self.prop_loc(lid, base), what="an AWS::Include OpenAPI file")
            svc.unknown["features"] = "the OpenAPI definition is in a side file (AWS::Include)"
            svc.unknown["vpc_endpoints"] = "the OpenAPI definition is in a side file (AWS::Include)"
            svc.unknown["connects"] = "integrations are in a side file"
            return
        self._walk_openapi(lid, svc, body, ("Resources", lid, "Properties", *base), 0)

    def _walk_openapi(self, lid: str, svc: MappedService, node: Any, path: Path_, depth: int) -> None:
        if depth > 40:
            return
        if isinstance(node, dict):
            for key, value in node.items():
                where = self.loc((*path, key), key=True)
                if key == "x-amazon-apigateway-integration":
                    for target in self.refs(value):
                        self.result.edges.append(Edge(lid, target, where, extra={"integration": True}))
                elif key == "x-amazon-apigateway-policy":
                    self._feature(svc, "resource_policy", where)
                    text = json.dumps(value)
                    endpoints = re.findall(r'"aws:[Ss]ource[Vv]pce"\s*:\s*"(vpce-[0-9a-z]+)"', text)
                    if endpoints:
                        self.set(svc, "vpc_endpoints", sorted(set(endpoints)), where)
                    elif "aws:SourceVpce" in text or "aws:sourceVpce" in text:
                        svc.unknown["vpc_endpoints"] = "the policy's VPC endpoint is only known at deploy time"
                elif key == "x-amazon-apigateway-request-validators":
                    self._feature(svc, "request_validation", where)
                else:
                    self._walk_openapi(lid, svc, value, (*path, key), depth + 1)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self._walk_openapi(lid, svc, value, (*path, i), depth + 1)

    def _map_AWS_ApiGateway_RestApi(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._openapi(lid, svc, props.get("Body"), ("Body",), uri=props.get("BodyS3Location"))

    def _map_AWS_ApiGatewayV2_Api(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        target = self.ref_of(props.get("Target"))
        if target:
            self.result.edges.append(Edge(lid, target, self.prop_loc(lid, ("Target",))))
        self._openapi(lid, svc, props.get("Body"), ("Body",), uri=props.get("BodyS3Location"))

    def _ttl(self, lid: str, svc: MappedService) -> None:
        attr, enabled = (
            self.value(lid, "TimeToLiveSpecification.AttributeName"),
            self.value(lid, "TimeToLiveSpecification.Enabled"),
        )
        if isinstance(attr, str) and enabled in (True, "true", "True"):
            self.set(svc, "ttl_attribute", attr, self.prop_loc(lid, ("TimeToLiveSpecification", "AttributeName")))

    def _map_AWS_DynamoDB_Table(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._ttl(lid, svc)
        if svc.data.get("billing") == "on_demand":
            svc.data.pop("rcu", None)
            svc.data.pop("wcu", None)

    def _map_AWS_DynamoDB_GlobalTable(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._ttl(lid, svc)
        regions = self.value(lid, "Replicas")
        if isinstance(regions, list):
            names = [r.get("Region") for r in regions if isinstance(r, dict)]
            if all(isinstance(n, str) for n in names):
                own = self.ctx.region
                others = [n for n in names if n != own]
                if own is None:
                    svc.unknown["replicas"] = "the stack's Region is not given, so its own replica is not known"
                    others = names[1:] if len(names) > 1 else []
                if others:
                    self.set(svc, "replicas", others, self.prop_loc(lid, ("Replicas",)))
            else:
                svc.unknown["replicas"] = "a replica Region is only known at deploy time"

    def _map_AWS_Serverless_SimpleTable(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        provisioned = props.get("ProvisionedThroughput") is not None
        where = self.prop_loc(lid, ("ProvisionedThroughput",))
        self.set(svc, "billing", "provisioned" if provisioned else "on_demand", where)
        if not provisioned:
            svc.where.pop(("billing",), None)

    def _map_AWS_SQS_Queue(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        policy = self.value(lid, "RedrivePolicy")
        raw = get_path(props, "RedrivePolicy.deadLetterTargetArn")
        if isinstance(policy, str):  # a JSON string
            try:
                policy = json.loads(policy)
            except ValueError:
                policy = None
        if raw is not None:
            target = self.ref_of(raw)
            if target:
                self.set(svc, "dlq", target, self.prop_loc(lid, ("RedrivePolicy", "deadLetterTargetArn")))
            else:
                svc.unknown["dlq"] = "the dead-letter queue is outside the template"
        elif isinstance(policy, Unknown) or (props.get("RedrivePolicy") is not None and not isinstance(policy, dict)):
            svc.unknown["dlq"] = "the redrive policy is only known at deploy time"
        if (
            self.value(lid, "DeduplicationScope") == "messageGroup"
            and self.value(lid, "FifoThroughputLimit") == "perMessageGroupId"
        ):
            self.set(svc, "high_throughput", True, self.prop_loc(lid, ("FifoThroughputLimit",)))

    def _map_AWS_SNS_Topic(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        subs = props.get("Subscription")
        if isinstance(subs, list):
            for i, sub in enumerate(subs):
                if isinstance(sub, dict):
                    self._subscription(lid, sub, self.prop_loc(lid, ("Subscription", i)))

    def _subscription(self, topic: str, sub: dict[str, Any], where: Location) -> None:
        svc = self.result.services.get(topic)
        if svc is None:
            return
        protocol = evaluate(sub.get("Protocol"), self.ctx)
        svc.data["subscription_count"] = svc.data.get("subscription_count", 0) + 1
        svc.where.setdefault(("subscription_count",), where)
        target = self.ref_of(sub.get("Endpoint"))
        if isinstance(protocol, str) and protocol.lower() in ("lambda", "sqs", "firehose"):
            if target:
                self.result.edges.append(Edge(topic, target, where))
            return
        if isinstance(protocol, str) and protocol.lower() in (
            "email",
            "email-json",
            "sms",
            "http",
            "https",
            "application",
        ):
            protocols = svc.data.setdefault("protocols", [])
            if protocol.lower() not in protocols:
                protocols.append(protocol.lower())
                svc.where.setdefault(("protocols",), where)

    def _map_AWS_S3_Bucket(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        config = props.get("NotificationConfiguration")
        if not isinstance(config, dict):
            return
        for section, key in (
            ("LambdaConfigurations", "Function"),
            ("QueueConfigurations", "Queue"),
            ("TopicConfigurations", "Topic"),
        ):
            entries = config.get(section)
            for i, entry in enumerate(entries if isinstance(entries, list) else []):
                target = self.ref_of(get_path(entry, key)) if isinstance(entry, dict) else None
                if target:
                    where = self.prop_loc(lid, ("NotificationConfiguration", section, i))
                    self.result.edges.append(Edge(lid, target, where))
        if config.get("EventBridgeConfiguration") is not None:
            self.note(
                "IMP010",
                lid,
                self.prop_loc(lid, ("NotificationConfiguration", "EventBridgeConfiguration")),
                target="EventBridge",
            )

    def _definition(self, lid: str, props: dict[str, Any], sam: bool) -> tuple[Any, Path_]:
        if sam:
            return props.get("Definition"), ("Definition",)
        if props.get("Definition") is not None:
            return props.get("Definition"), ("Definition",)
        raw = props.get("DefinitionString")
        return raw, ("DefinitionString",)

    def _state_machine(self, lid: str, svc: MappedService, props: dict[str, Any], sam: bool) -> None:
        definition, base = self._definition(lid, props, sam)
        where = self.prop_loc(lid, base)
        subs_raw = props.get("DefinitionSubstitutions")
        subs = subs_raw if isinstance(subs_raw, dict) else {}
        parsed: Any = definition
        if isinstance(definition, str) or (isinstance(definition, dict) and set(definition) & {"Fn::Sub", "Fn::Join"}):
            text = definition if isinstance(definition, str) else None
            if text is None:
                inner = definition.get("Fn::Sub") if isinstance(definition, dict) else None
                text = inner[0] if isinstance(inner, list) and inner else inner if isinstance(inner, str) else None
            try:
                parsed = json.loads(text) if isinstance(text, str) else None
            except ValueError:
                parsed = None
        targets: list[str] = []
        if definition is not None:
            targets += self.refs(definition)
            text = json.dumps(definition)
            for name in re.findall(r"\$\{([A-Za-z0-9_]+)\}", text):
                if name in subs:
                    targets += self.refs(subs[name])
            targets += self._named(text)
            count = _count_states(parsed)
            if count:
                self.set(svc, "transitions", count, where)
        elif props.get("DefinitionUri") is not None or props.get("DefinitionS3Location") is not None:
            key = "DefinitionUri" if sam else "DefinitionS3Location"
            self.note("IMP004", lid, self.prop_loc(lid, (key,)), what=f"{key} (a state machine definition file)")
            svc.unknown["transitions"] = "the definition is in a side file"
            for value in subs.values():
                targets += self.refs(value)
        seen: set[str] = set()
        for target in targets:
            if target in seen or target == lid:
                continue
            seen.add(target)
            self.result.edges.append(Edge(lid, target, where, extra={"sfn": True}))

    def _edges_AWS_Serverless_StateMachine(self, lid: str) -> None:
        props = self.props(lid)
        self._policy_candidates(lid, props.get("Policies"), ("Policies",))
        self._events(lid, self.result.services[lid], props)
        self._role_candidates(lid, props.get("Role"))

    def _edges_AWS_StepFunctions_StateMachine(self, lid: str) -> None:
        self._role_candidates(lid, self.props(lid).get("RoleArn"))

    def _named(self, text: str) -> list[str]:
        """Resources named by their literal physical name (FunctionName, TopicName, ...) in a definition."""
        out = []
        for lid, t in self.deployed.items():
            key = {
                "AWS::Serverless::Function": "FunctionName",
                "AWS::Lambda::Function": "FunctionName",
                "AWS::SNS::Topic": "TopicName",
                "AWS::SQS::Queue": "QueueName",
                "AWS::DynamoDB::Table": "TableName",
            }.get(t)
            if key is None:
                continue
            name = self.value(lid, key)
            if isinstance(name, str) and len(name) > 2 and re.search(rf'[":/]{re.escape(name)}(["\s:/]|$)', text):
                out.append(lid)
        return out

    def _map_AWS_Serverless_StateMachine(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._state_machine(lid, svc, props, sam=True)

    def _map_AWS_StepFunctions_StateMachine(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._state_machine(lid, svc, props, sam=False)

    def _map_AWS_Cognito_UserPool(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        config = props.get("LambdaConfig")
        if isinstance(config, dict):
            for key, value in config.items():
                for target in self.refs(value):
                    self.result.edges.append(
                        Edge(lid, target, self.prop_loc(lid, ("LambdaConfig", key)), extra={"trigger": key})
                    )
        schema = self.value(lid, "Schema")
        if isinstance(schema, list):
            custom = [a for a in schema if isinstance(a, dict) and a.get("Name") not in _STANDARD_ATTRIBUTES]
            if custom:
                self.set(svc, "custom_attributes", len(custom), self.prop_loc(lid, ("Schema",)))

    def _map_AWS_Cognito_IdentityPool(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        providers = props.get("CognitoIdentityProviders")
        if isinstance(providers, list):
            for i, provider in enumerate(providers):
                pool = self.ref_of(get_path(provider, "ProviderName")) if isinstance(provider, dict) else None
                if pool and self.type_of(pool) == "AWS::Cognito::UserPool":
                    self.set(svc, "user_pool", pool, self.prop_loc(lid, ("CognitoIdentityProviders", i)))
                    break

    def _map_AWS_KinesisFirehose_DeliveryStream(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        for section in ("ExtendedS3DestinationConfiguration", "S3DestinationConfiguration"):
            config = props.get(section)
            if not isinstance(config, dict):
                continue
            bucket = self.ref_of(config.get("BucketARN"))
            if bucket:
                self.result.edges.append(
                    Edge(lid, bucket, self.prop_loc(lid, (section, "BucketARN")), extra={"writes": 1})
                )
            processors = get_path(config, "ProcessingConfiguration.Processors")
            for i, proc in enumerate(processors if isinstance(processors, list) else []):
                for fn in self.refs(proc):
                    if self.ctx.resources.get(fn, "").endswith("Function"):
                        self.result.edges.append(
                            Edge(lid, fn, self.prop_loc(lid, (section, "ProcessingConfiguration", "Processors", i)))
                        )
        if props.get("KinesisStreamSourceConfiguration") is not None:
            self.note(
                "IMP003", lid, self.prop_loc(lid, ("KinesisStreamSourceConfiguration",)), source="Kinesis Data Streams"
            )

    def _map_AWS_RDS_DBProxy(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._vpc(lid, svc, props, (), "VpcSubnetIds", "VpcSecurityGroupIds")
        svc.where[("vpc",)] = self.prop_loc(lid, ("VpcSubnetIds",))

    def _map_AWS_RDS_DBCluster(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        if self.value(lid, "EngineMode") == "serverless":
            self.note("IMP006", lid, self.prop_loc(lid, ("EngineMode",)))

    def _map_AWS_CloudFront_Distribution(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        config = props.get("DistributionConfig")
        if not isinstance(config, dict):
            return
        base = ("DistributionConfig",)
        cert_raw = get_path(config, "ViewerCertificate.AcmCertificateArn")
        if cert_raw is not None:
            cert = self._certificate(
                svc, cert_raw, self.prop_loc(lid, (*base, "ViewerCertificate", "AcmCertificateArn"))
            )
            if cert:
                self.set(
                    svc, "certificate", cert, self.prop_loc(lid, (*base, "ViewerCertificate", "AcmCertificateArn"))
                )
            else:
                svc.unknown["certificate"] = "the certificate is only known at deploy time"
        origins = config.get("Origins")
        for i, origin in enumerate(origins if isinstance(origins, list) else []):
            if not isinstance(origin, dict):
                continue
            for target in self.refs(origin.get("DomainName")):
                if target in self.ctx.resources:
                    self.result.edges.append(Edge(lid, target, self.prop_loc(lid, (*base, "Origins", i, "DomainName"))))
        behaviours: list[tuple[Any, Path_]] = [(config.get("DefaultCacheBehavior"), (*base, "DefaultCacheBehavior"))]
        extra = config.get("CacheBehaviors")
        behaviours += [
            (b, (*base, "CacheBehaviors", i)) for i, b in enumerate(extra if isinstance(extra, list) else [])
        ]
        functions: list[dict[str, str]] = []
        for behaviour, path in behaviours:
            if not isinstance(behaviour, dict):
                continue
            for section, arn_key in (
                ("FunctionAssociations", "FunctionARN"),
                ("LambdaFunctionAssociations", "LambdaFunctionARN"),
            ):
                entries = behaviour.get(section)
                for j, entry in enumerate(entries if isinstance(entries, list) else []):
                    if not isinstance(entry, dict):
                        continue
                    event = evaluate(entry.get("EventType"), self.ctx)
                    found = self._function_of(entry.get(arn_key))
                    target = found or ""
                    where = self.loc(("Resources", lid, "Properties", *path, section, j))
                    if target and isinstance(event, str):
                        assoc = {"function": target, "event": event}
                        if assoc not in functions:
                            functions.append(assoc)
                            svc.where[("functions", len(functions) - 1)] = where
        if functions:
            svc.data["functions"] = functions
            svc.where.setdefault(("functions",), svc.where[("functions", 0)])

    def _function_of(self, raw: Any) -> str | None:
        """The function a (version/alias) ARN names: Lambda::Version and SAM's Fn.Version resolve to Fn."""
        if isinstance(raw, dict) and isinstance(raw.get("Ref"), str) and "." in raw["Ref"]:
            head: str = raw["Ref"].split(".", 1)[0]
            if head in self.ctx.resources:
                return head
        for target in self.refs(raw):
            t = self.ctx.resources.get(target, "")
            if t in ("AWS::Lambda::Version", "AWS::Lambda::Alias"):
                inner = self.ref_of(get_path(self.resources.get(target, {}), "Properties.FunctionName"))
                if inner:
                    return inner
            return target
        return None

    def _map_AWS_CertificateManager_Certificate(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        if self.ctx.region:
            svc.data["region"] = self.ctx.region

    # ---- facets: resources that configure a mapped service --------------------------------------

    def _svc(self, raw: Any) -> MappedService | None:
        target = self.ref_of(raw)
        return self.result.services.get(target) if target else None

    def _facet_AWS_Lambda_EventSourceMapping(self, lid: str) -> None:
        props = self.props(lid)
        fn = self._function_of(props.get("FunctionName"))
        source = self.ref_of(props.get("EventSourceArn"))
        where = self.loc(self.res_path(lid), key=True)
        if fn is None:
            return
        if source is None or source not in self.result.services:
            kind = (
                "Amazon MSK"
                if "AmazonManagedKafkaEventSourceConfig" in props
                else "Kinesis Data Streams or another stream"
            )
            if source and self.ctx.resources.get(source, "").startswith("AWS::Kinesis"):
                kind = "Kinesis Data Streams"
            self.note("IMP003", fn, where, source=kind)
            return
        self.result.edges.append(Edge(source, fn, where))
        self._trigger_keys(source, props, lambda sub: self.loc(("Resources", lid, "Properties", *sub)))

    def _trigger_keys(self, queue: str, props: dict[str, Any], where: Any) -> None:
        svc = self.result.services.get(queue)
        if svc is not None and svc.data.get("type") == "dynamodb":
            raw = get_path(props, "DestinationConfig.OnFailure.Destination")
            if raw is not None:
                target = self.ref_of(raw)
                if target:
                    self.set(svc, "trigger_on_failure", target, where(("DestinationConfig", "OnFailure")))
                else:
                    svc.unknown["trigger_on_failure"] = "the on-failure destination is outside the template"
            return
        if svc is None or svc.data.get("type") != "sqs":
            return
        for prop, key in (
            ("BatchSize", "trigger_batch_size"),
            ("MaximumBatchingWindowInSeconds", "trigger_batching_window_s"),
            ("ScalingConfig.MaximumConcurrency", "trigger_max_concurrency"),
        ):
            value = evaluate(get_path(props, prop), self.ctx)
            if isinstance(value, (int, float, str)) and not isinstance(value, bool):
                with contextlib.suppress(ValueError):
                    self.set(svc, key, int(float(value)), where(path_tuple(prop)))

    def _facet_AWS_Lambda_EventInvokeConfig(self, lid: str) -> None:
        props = self.props(lid)
        fn = self._function_of(props.get("FunctionName"))
        if fn and fn in self.result.services:
            self._destinations(lid, props.get("DestinationConfig"), ("DestinationConfig",), self.result.services[fn])
            for edge in self.result.edges:
                if edge.source == lid:
                    edge.source = fn

    def _facet_AWS_Lambda_Url(self, lid: str) -> None:
        props = self.props(lid)
        fn = self._function_of(props.get("TargetFunctionArn"))
        if fn:
            self.result.aliases[lid] = fn
            svc = self.result.services.get(fn)
            mode = self.value(lid, "InvokeMode")
            if svc is not None and mode in ("BUFFERED", "RESPONSE_STREAM"):
                self.set(svc, "invoke_mode", mode.lower(), self.loc(("Resources", lid, "Properties", "InvokeMode")))

    def _facet_AWS_Lambda_Version(self, lid: str) -> None:
        fn = self._function_of(self.props(lid).get("FunctionName"))
        if fn:
            self.result.aliases.setdefault(lid, fn)
        pc = self.value(lid, "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions")
        if fn in self.result.services and isinstance(pc, int):
            self.set(
                self.result.services[fn],
                "provisioned_concurrency",
                pc,
                self.loc(("Resources", lid, "Properties", "ProvisionedConcurrencyConfig")),
            )

    def _facet_AWS_Lambda_Alias(self, lid: str) -> None:
        self._facet_AWS_Lambda_Version(lid)

    def _facet_AWS_SNS_Subscription(self, lid: str) -> None:
        props = self.props(lid)
        topic = self.ref_of(props.get("TopicArn"))
        if topic in self.result.services:
            self._subscription(topic, props, self.loc(self.res_path(lid), key=True))

    def _facet_AWS_ApiGateway_Method(self, lid: str) -> None:
        props = self.props(lid)
        api = self._svc(props.get("RestApiId"))
        if api is None:
            return
        where = self.loc(self.res_path(lid), key=True)
        integration = props.get("Integration")
        if isinstance(integration, dict):
            raw = {k: v for k, v in integration.items() if k != "Credentials"}
            for target in self.refs(raw):
                self.result.edges.append(
                    Edge(
                        api.logical_id,
                        target,
                        self.loc(("Resources", lid, "Properties", "Integration")),
                        extra={"integration": True},
                    )
                )
            timeout = self.value(lid, "Integration.TimeoutInMillis")
            if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
                current = api.data.get("integration_timeout_s")
                value = timeout / 1000
                if current is None or value > current:
                    self.set(
                        api,
                        "integration_timeout_s",
                        int(value) if float(value).is_integer() else value,
                        self.loc(("Resources", lid, "Properties", "Integration", "TimeoutInMillis")),
                    )
            if self.value(lid, "Integration.Type") == "MOCK":
                self._feature(api, "mock_integration", where)
        kind = self.value(lid, "AuthorizationType")
        auth = {"AWS_IAM": "iam", "COGNITO_USER_POOLS": "cognito", "CUSTOM": "lambda"}.get(
            kind if isinstance(kind, str) else ""
        )
        if auth and api.data.get("auth") in (None, "none"):
            self.set(api, "auth", auth, self.loc(("Resources", lid, "Properties", "AuthorizationType")))
        if self.value(lid, "ApiKeyRequired") is True:
            self._feature(api, "api_keys", self.loc(("Resources", lid, "Properties", "ApiKeyRequired")))
        if props.get("RequestValidatorId") is not None:
            self._feature(api, "request_validation", self.loc(("Resources", lid, "Properties", "RequestValidatorId")))

    def _facet_AWS_ApiGateway_Authorizer(self, lid: str) -> None:
        props = self.props(lid)
        api = self._svc(props.get("RestApiId"))
        if api is None:
            return
        where = self.loc(self.res_path(lid), key=True)
        kind = self.value(lid, "Type")
        if kind == "COGNITO_USER_POOLS":
            pools = [p for p in self.refs(props.get("ProviderARNs")) if p in self.result.services]
            if pools:
                self.set(api, "user_pool", pools[0], where)
            else:
                api.unknown["user_pool"] = "the user pool is outside the template"
        elif kind in ("TOKEN", "REQUEST") and self._authorizer_used(lid, api.logical_id, "AWS::ApiGateway::Method"):
            for fn in self.refs(props.get("AuthorizerUri")):
                if fn in self.result.services:
                    # AuthorizerResultTtlInSeconds: "If this field is not set, the default value is 300"
                    # (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/apigateway/aws.sdk.kotlin.services.
                    # apigateway.model/-authorizer/authorizer-result-ttl-in-seconds.html, seen 2026-12-02)
                    ttl = self.value(lid, "AuthorizerResultTtlInSeconds")
                    self._authorizer_edge(api.logical_id, fn, where, ttl, 300)

    def _facet_AWS_ApiGateway_Stage(self, lid: str) -> None:
        props = self.props(lid)
        api = self._svc(props.get("RestApiId"))
        if api is None:
            return
        base = ("Resources", lid, "Properties")
        if self.value(lid, "CacheClusterEnabled") is True:
            size = self.value(lid, "CacheClusterSize")
            try:
                self.set(
                    api, "cache_gb", float(size) if size is not None else 0.5, self.loc((*base, "CacheClusterSize"))
                )
            except (TypeError, ValueError):
                api.unknown["cache_gb"] = "the cache size is only known at deploy time"
            self._feature(api, "caching", self.loc((*base, "CacheClusterEnabled")))
        if self.value(lid, "TracingEnabled") is True:
            self._feature(api, "xray", self.loc((*base, "TracingEnabled")))
        settings = self.value(lid, "MethodSettings")
        for i, entry in enumerate(settings if isinstance(settings, list) else []):
            if isinstance(entry, dict):
                self._throttle(
                    api,
                    entry.get("ThrottlingRateLimit"),
                    entry.get("ThrottlingBurstLimit"),
                    self.loc((*base, "MethodSettings", i)),
                )
        if props.get("CanarySetting") is not None:
            self._feature(api, "canary", self.loc((*base, "CanarySetting")))

    def _facet_AWS_ApiGatewayV2_Stage(self, lid: str) -> None:
        props = self.props(lid)
        api = self._svc(props.get("ApiId"))
        if api is None:
            return
        self._throttle(
            api,
            self.value(lid, "DefaultRouteSettings.ThrottlingRateLimit"),
            self.value(lid, "DefaultRouteSettings.ThrottlingBurstLimit"),
            self.loc(("Resources", lid, "Properties", "DefaultRouteSettings")),
        )

    def _facet_AWS_ApiGatewayV2_Integration(self, lid: str) -> None:
        props = self.props(lid)
        api = self._svc(props.get("ApiId"))
        if api is None:
            return
        raw = {k: v for k, v in props.items() if k in ("IntegrationUri", "RequestParameters", "RequestTemplates")}
        timeout = self.value(lid, "TimeoutInMillis")
        if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
            value = timeout / 1000
            self.set(
                api,
                "integration_timeout_s",
                int(value) if float(value).is_integer() else value,
                self.loc(("Resources", lid, "Properties", "TimeoutInMillis")),
            )
        for target in self.refs(raw):
            self.result.edges.append(
                Edge(api.logical_id, target, self.loc(self.res_path(lid), key=True), extra={"integration": True})
            )

    def _facet_AWS_ApiGatewayV2_Route(self, lid: str) -> None:
        props = self.props(lid)
        api = self._svc(props.get("ApiId"))
        if api is None:
            return
        kind = self.value(lid, "AuthorizationType")
        auth = {"AWS_IAM": "iam", "JWT": "jwt", "CUSTOM": "lambda"}.get(kind if isinstance(kind, str) else "")
        if auth and api.data.get("auth") in (None, "none"):
            self.set(api, "auth", auth, self.loc(("Resources", lid, "Properties", "AuthorizationType")))

    def _facet_AWS_ApiGatewayV2_Authorizer(self, lid: str) -> None:
        props = self.props(lid)
        api = self._svc(props.get("ApiId"))
        if api is None:
            return
        where = self.loc(self.res_path(lid), key=True)
        pools = [p for p in self.refs(props.get("JwtConfiguration")) if self.type_of(p) == "AWS::Cognito::UserPool"]
        if pools and pools[0] in self.result.services:
            self.set(api, "user_pool", pools[0], where)
        if self.value(lid, "AuthorizerType") != "REQUEST" or not self._authorizer_used(
            lid, api.logical_id, "AWS::ApiGatewayV2::Route"
        ):
            return
        websocket = api.data.get("api") == "websocket"
        for fn in self.refs(props.get("AuthorizerUri")):
            if fn in self.result.services:
                # a WebSocket API authorizes its $connect route only, and caches nothing; an HTTP API's
                # AuthorizerResultTtlInSeconds has no documented default
                ttl = 0 if websocket else self.value(lid, "AuthorizerResultTtlInSeconds")
                self._authorizer_edge(api.logical_id, fn, where, ttl, None)
                if websocket:
                    self.result.edges[-1].extra["connect_only"] = True

    def _authorizer_used(self, lid: str, api: str, method_type: str) -> bool:
        """An authorizer resource runs when a method or route of its API names it (AuthorizerId), or
        when the API has an OpenAPI body that may (not read for this)."""
        if self.props(api).get("Body") is not None or self.props(api).get("BodyS3Location") is not None:
            return True
        for other, res in self.resources.items():
            if (
                isinstance(res, dict)
                and res.get("Type") == method_type
                and self.ref_of(self.props(other).get("AuthorizerId")) == lid
            ):
                return True
        return False

    def _facet_AWS_ApiGateway_UsagePlan(self, lid: str) -> None:
        props = self.props(lid)
        stages = props.get("ApiStages")
        for stage in stages if isinstance(stages, list) else []:
            api = self._svc(stage.get("ApiId")) if isinstance(stage, dict) else None
            if api is not None:
                where = self.loc(self.res_path(lid), key=True)
                self._feature(api, "usage_plans", where)
                self._throttle(
                    api, self.value(lid, "Throttle.RateLimit"), self.value(lid, "Throttle.BurstLimit"), where
                )

    def _facet_AWS_ApiGateway_ApiKey(self, lid: str) -> None:
        stages = self.props(lid).get("StageKeys")
        for stage in stages if isinstance(stages, list) else []:
            api = self._svc(stage.get("RestApiId")) if isinstance(stage, dict) else None
            if api is not None:
                self._feature(api, "api_keys", self.loc(self.res_path(lid), key=True))

    def _facet_AWS_WAFv2_WebACLAssociation(self, lid: str) -> None:
        for target in self.refs(self.props(lid).get("ResourceArn")):
            svc = self.result.services.get(target)
            if svc is not None and svc.data.get("type") == "api_gateway":
                self._feature(svc, "waf", self.loc(self.res_path(lid), key=True))

    def _domain_facet(self, lid: str, domain_raw: Any, api_raw: Any) -> None:
        api = self._svc(api_raw)
        domain_lid = self.ref_of(domain_raw)
        if api is None or domain_lid is None or domain_lid not in self.deployed:
            return
        dprops = self.props(domain_lid)
        dtype = self.deployed[domain_lid]
        base = ("Resources", domain_lid, "Properties")
        if dtype == "AWS::ApiGatewayV2::DomainName":
            cert_raw = get_path(dprops, "DomainNameConfigurations.0.CertificateArn")
            cert_loc = self.loc((*base, "DomainNameConfigurations", 0, "CertificateArn"))
        else:
            key = "RegionalCertificateArn" if dprops.get("RegionalCertificateArn") is not None else "CertificateArn"
            cert_raw = dprops.get(key)
            cert_loc = self.loc((*base, key))
            types = self.value(domain_lid, "EndpointConfiguration.Types")
            if isinstance(types, list) and types and isinstance(types[0], str) and ("endpoint",) not in api.where:
                api.data["endpoint"] = types[0].lower()
        self._custom_domain(
            api, self.value(domain_lid, "DomainName"), cert_raw, self.loc((*base, "DomainName")), cert_loc
        )

    def _facet_AWS_ApiGateway_BasePathMapping(self, lid: str) -> None:
        props = self.props(lid)
        self._domain_facet(lid, props.get("DomainName"), props.get("RestApiId"))

    def _facet_AWS_ApiGateway_BasePathMappingV2(self, lid: str) -> None:
        props = self.props(lid)
        self._domain_facet(lid, props.get("DomainNameArn"), props.get("RestApiId"))

    def _facet_AWS_ApiGatewayV2_ApiMapping(self, lid: str) -> None:
        props = self.props(lid)
        self._domain_facet(lid, props.get("DomainName"), props.get("ApiId"))

    def _facet_AWS_ApiGateway_DomainNameAccessAssociation(self, lid: str) -> None:
        pass  # the access association names a VPC endpoint of the private API's domain

    def _facet_AWS_Cognito_UserPoolClient(self, lid: str) -> None:
        props = self.props(lid)
        pool = self._svc(props.get("UserPoolId"))
        if pool is None:
            return
        units = self.value(lid, "TokenValidityUnits")
        units = units if isinstance(units, dict) else {}
        factors = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 1440}
        for prop, key, unit_key, default_unit, per in (
            ("AccessTokenValidity", "access_token_validity_min", "AccessToken", "hours", 1),
            ("IdTokenValidity", "id_token_validity_min", "IdToken", "hours", 1),
            ("RefreshTokenValidity", "refresh_token_validity_h", "RefreshToken", "days", 60),
        ):
            value = self.value(lid, prop)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            unit = units.get(unit_key, default_unit)
            minutes = value * factors.get(str(unit), 1)
            out = minutes / per
            self.set(
                pool,
                key,
                int(out) if float(out).is_integer() else round(out, 3),
                self.loc(("Resources", lid, "Properties", prop)),
            )

    def _facet_AWS_ECS_Service(self, lid: str) -> None:
        props = self.props(lid)
        task = self._svc(props.get("TaskDefinition"))
        if task is None or task.data.get("type") != "fargate":
            return
        base = ("Resources", lid, "Properties")
        count = self.value(lid, "DesiredCount")
        if isinstance(count, int) and not isinstance(count, bool):
            self.set(task, "tasks", count, self.loc((*base, "DesiredCount")))
        version = self.value(lid, "PlatformVersion")
        if isinstance(version, str):
            self.set(task, "platform_version", version, self.loc((*base, "PlatformVersion")))
        network = get_path(props, "NetworkConfiguration.AwsvpcConfiguration")
        if isinstance(network, dict):
            self._vpc(lid, task, network, ("NetworkConfiguration", "AwsvpcConfiguration"), "Subnets", "SecurityGroups")

    def _facet_AWS_RDS_DBProxyTargetGroup(self, lid: str) -> None:
        props = self.props(lid)
        proxy = self._svc(props.get("DBProxyName"))
        if proxy is None:
            return
        for target in self.refs(props.get("DBClusterIdentifiers")) + self.refs(props.get("DBInstanceIdentifiers")):
            if target in self.result.services:
                self.result.edges.append(Edge(proxy.logical_id, target, self.loc(self.res_path(lid), key=True)))
            else:
                self.note(
                    "IMP010",
                    proxy.logical_id,
                    self.loc(self.res_path(lid), key=True),
                    target=f"{self.ctx.resources.get(target, 'a database')} {target}",
                )

    # ---- EventBridge: buses, rules, schedules, pipes ----------------------------------------

    def _map_AWS_Events_Rule(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._schedule_note(lid, svc)

    def _map_AWS_Scheduler_Schedule(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        self._schedule_note(lid, svc)

    def _schedule_note(self, lid: str, svc: MappedService) -> None:
        expression = svc.data.get("schedule")
        if isinstance(expression, str) and schedule_rate(expression) is None:
            self.note(
                "IMP007",
                lid,
                svc.where.get(("schedule",), svc.location),
                what=f"{lid} runs on {expression}, whose rate slscheck does not count; it is an entry point "
                "at the workload's rate unless the overlay pins it",
                where=f"services: {{{lid}: {{monthly_requests: N}}}}",
            )

    def _default_bus(self, where: Location) -> str:
        name = "DefaultEventBus"
        if name not in self.result.services:
            self.result.services[name] = MappedService(
                name, "AWS::Events::EventBus", {"type": "eventbridge", "bus": "default"}, where
            )
        return name

    def _bus_of(self, raw: Any, where: Location) -> str | None:
        """The bus service a rule is on: a bus of the template (by reference or Name), else the default bus."""
        if raw is None:
            return self._default_bus(where)
        ref = self.ref_of(raw)
        if ref and ref in self.result.services:
            return ref
        value = evaluate(raw, self.ctx)
        if isinstance(value, str):
            name = value.rsplit("/", 1)[-1]
            if name == "default":
                return self._default_bus(where)
            for sid, svc in self.result.services.items():
                if svc.cfn_type == "AWS::Events::EventBus" and evaluate(self.props(sid).get("Name"), self.ctx) == name:
                    return sid
        return None

    def _aws_only(self, pattern: Any) -> bool:
        """An event pattern that matches only AWS service events (every `source` starts with aws.)."""
        value = evaluate(pattern, self.ctx)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return False
        sources = value.get("source") if isinstance(value, dict) else None
        return (
            isinstance(sources, list)
            and bool(sources)
            and all(isinstance(s, str) and s.startswith("aws.") for s in sources)
        )

    def _rule_targets(self, source: str, rule: str | None, targets: Any, path: Path_) -> None:
        for i, target in enumerate(targets if isinstance(targets, list) else []):
            if not isinstance(target, dict):
                continue
            where = self.loc((*path, i) if isinstance(targets, list) and path[-1] == "Targets" else path, key=True)
            dst = self.ref_of(target.get("Arn"))
            if dst is not None and dst in self.result.services:
                self.result.edges.append(Edge(source, dst, where, extra={"rule": rule} if rule else {}))
            elif dst is not None and dst in self.ctx.resources:
                self.note("IMP010", source, where, target=f"{self.ctx.resources[dst]} {dst}")

    def _facet_AWS_Events_Rule(self, lid: str) -> None:
        props = self.props(lid)
        path = (*self.res_path(lid), "Properties", "Targets")
        if lid in self.result.services:  # a scheduled rule: a service of its own
            self._rule_targets(lid, None, props.get("Targets"), path)
            return
        where = self.loc(self.res_path(lid), key=True)
        bus = self._bus_of(props.get("EventBusName"), where)
        if bus is None:
            self.note("IMP003", lid, where, source="a rule on an event bus outside the template")
            return
        self._mark_events(bus, props.get("EventPattern"))
        self._rule_targets(bus, lid, props.get("Targets"), path)

    def _mark_events(self, bus: str, pattern: Any) -> None:
        """The default bus gets events: aws while every rule on it matches AWS service events only."""
        svc = self.result.services[bus]
        if svc.data.get("bus") != "default":
            return
        aws = self._aws_only(pattern)
        if aws and svc.data.get("events") is None and not svc.where.get(("events", "custom")):
            svc.data["events"] = "aws"
        elif not aws:
            svc.data.pop("events", None)
            svc.where[("events", "custom")] = svc.location  # a rule saw custom events: stays custom

    def _edges_AWS_Scheduler_Schedule(self, lid: str) -> None:
        target = get_path(self.props(lid), "Target")
        path = (*self.res_path(lid), "Properties", "Target")
        if isinstance(target, dict):
            self._rule_targets(lid, None, [target], path)

    def _facet_AWS_Pipes_Pipe(self, lid: str) -> None:
        """A pipe as edges: source -> enrichment -> target (the pipe itself is not modelled or priced)."""
        props = self.props(lid)
        where = self.loc(self.res_path(lid), key=True)
        chain = [self.ref_of(props.get(k)) for k in ("Source", "Enrichment", "Target")]
        known = [c for c in chain if c is not None and c in self.result.services]
        if chain[0] not in self.result.services or chain[2] not in self.result.services:
            self.note("IMP010", lid, where, target="a pipe source or target slscheck does not model")
        for a, b in itertools.pairwise(known):
            self.result.edges.append(Edge(a, b, where))

    def _eventbridge_event(
        self, lid: str, name: str, spec: dict[str, Any], eprops: dict[str, Any], where: Location
    ) -> None:
        """SAM EventBridgeRule/CloudWatchEvent: an edge from the bus; Schedule/ScheduleV2: a schedule service."""
        if spec["eventbridge"] == "rule":
            bus = self._bus_of(eprops.get("EventBusName"), where)
            if bus is None:
                self.note("IMP003", lid, where, source="a rule on an event bus outside the template")
                return
            self._mark_events(bus, eprops.get("Pattern"))
            self.result.edges.append(Edge(bus, lid, where, extra={"rule": f"{lid}{name}"}))
            return
        expression = evaluate(eprops.get(spec["source"]), self.ctx)
        sid = f"{lid}{name}"
        data: dict[str, Any] = {"type": "eventbridge"}
        svc = MappedService(
            sid, "AWS::Scheduler::Schedule" if spec["eventbridge"] == "scheduler" else "AWS::Events::Rule", data, where
        )
        if isinstance(expression, str):
            data["schedule"] = expression
            svc.where[("schedule",)] = where
        if spec["eventbridge"] == "scheduler":
            data["scheduler"] = True
        self.result.services[sid] = svc
        self._schedule_note(sid, svc)
        self.result.edges.append(Edge(sid, lid, where))

    def _facet_AWS_Serverless_Connector(self, lid: str) -> None:
        props = self.props(lid)
        source = self.ref_of(get_path(props, "Source.Id")) or self.ref_of(props.get("Source"))
        where = self.loc(self.res_path(lid), key=True)
        dests = props.get("Destination")
        for dest in dests if isinstance(dests, list) else [dests]:
            target = self.ref_of(get_path(dest, "Id")) if isinstance(dest, dict) else None
            if source and target:
                self.result.edges.append(Edge(source, target, where, candidate="SAM connector"))

    # ---- edges from functions: events, policies, environment ----------------------------------

    def _edges_AWS_Serverless_Function(self, lid: str) -> None:
        props = self.props(lid)
        svc = self.result.services[lid]
        self._events(lid, svc, props)
        self._policy_candidates(lid, props.get("Policies"), ("Policies",))
        self._role_candidates(lid, props.get("Role"))
        self._env_candidates(lid, get_path(props, "Environment.Variables"))

    def _edges_AWS_Lambda_Function(self, lid: str) -> None:
        props = self.props(lid)
        self._role_candidates(lid, props.get("Role"))
        self._env_candidates(lid, get_path(props, "Environment.Variables"))

    def _events(self, lid: str, svc: MappedService, props: dict[str, Any]) -> None:
        events = props.get("Events")
        if not isinstance(events, dict):
            return
        for name, event in events.items():
            if not isinstance(event, dict):
                continue
            kind = event.get("Type")
            where = self.loc(("Resources", lid, "Properties", "Events", name), key=True)
            spec = self.tables.events.get(kind) if isinstance(kind, str) else None
            found = event.get("Properties")
            eprops: dict[str, Any] = found if isinstance(found, dict) else {}
            if spec is None:
                self.note("IMP003", lid, where, source=f"event type {kind}")
                continue
            if "unmodelled" in spec:
                self.note("IMP003", lid, where, source=spec["unmodelled"])
                continue
            if "eventbridge" in spec:
                self._eventbridge_event(lid, name, spec, eprops, where)
                continue
            raw = eprops.get(spec["source"])
            source: str | None
            if raw is None and "implicit" in spec:
                source = self._implicit_api(spec["implicit"], where)
            else:
                source = self.ref_of(raw)
            if source is None or source not in self.result.services:
                if raw is not None:
                    self.note("IMP003", lid, where, source=f"a {kind} source outside the template")
                continue
            sqs_sub = eprops.get("SqsSubscription") if kind == "SNS" else None
            if sqs_sub not in (None, False, "false"):
                # SAM puts a queue between the topic and the function: topic -> queue -> function
                queue = self.ref_of(sqs_sub.get("QueueArn")) if isinstance(sqs_sub, dict) else None
                if queue is None or queue not in self.result.services:
                    queue = f"{lid}{name}Queue"
                    if queue not in self.result.services:
                        self.result.services[queue] = MappedService(queue, "AWS::SQS::Queue", {"type": "sqs"}, where)
                self.result.edges.append(Edge(source, queue, where))
                self.result.edges.append(Edge(queue, lid, where))
                if isinstance(sqs_sub, dict):
                    self._trigger_keys(
                        queue,
                        sqs_sub,
                        lambda sub, name=name: self.loc(
                            ("Resources", lid, "Properties", "Events", name, "Properties", "SqsSubscription", *sub)
                        ),
                    )
                continue
            self.result.edges.append(Edge(source, lid, where))
            if kind in ("Api", "HttpApi"):
                self._event_auth(source, eprops, where)
            if spec.get("trigger") or kind == "DynamoDB":
                self._trigger_keys(
                    source,
                    eprops,
                    lambda sub, name=name: self.loc(
                        ("Resources", lid, "Properties", "Events", name, "Properties", *sub)
                    ),
                )

    def _event_auth(self, api: str, eprops: dict[str, Any], where: Location) -> None:
        svc = self.result.services.get(api)
        auth = eprops.get("Auth")
        if svc is None or not isinstance(auth, dict) or svc.data.get("auth") not in (None,):
            return
        name = auth.get("Authorizer")
        if name == "AWS_IAM":
            self.set(svc, "auth", "iam", where)
            return
        if not isinstance(name, str) or name == "NONE":
            return
        authorizers = self.value(svc.logical_id, "Auth.Authorizers") if svc.logical_id in self.resources else None
        entry = authorizers.get(name) if isinstance(authorizers, dict) else None
        if isinstance(entry, dict):
            raw = get_path(self.props(svc.logical_id), f"Auth.Authorizers.{name}")
            self._authorizer(svc, entry, raw, where, http=svc.data.get("api") == "http")

    def _implicit_api(self, name: str, where: Location) -> str:
        if name in self.result.services:
            return name
        cfn_type = "AWS::Serverless::Api" if name == "ServerlessRestApi" else "AWS::Serverless::HttpApi"
        svc = MappedService(name, cfn_type, {"type": "api_gateway"}, where)
        typemap = self.tables.types[cfn_type]
        svc.data.update(typemap.constants)
        section = typemap.globals_section
        glob = self.globals.get(section or "")
        for rule in typemap.keys:
            if rule.default is not None:
                svc.data[rule.key] = rule.default
        if isinstance(glob, dict):  # the implicit API takes Globals.Api / Globals.HttpApi
            self.resources_props_implicit(name, svc, glob, section or "")
        self.result.services[name] = svc
        return name

    def resources_props_implicit(self, name: str, svc: MappedService, glob: dict[str, Any], section: str) -> None:
        endpoint = evaluate(glob.get("EndpointConfiguration"), self.ctx)
        if isinstance(endpoint, dict):
            endpoint = endpoint.get("Type")
        if isinstance(endpoint, str) and svc.data.get("api") == "rest":
            svc.data["endpoint"] = endpoint.lower()
            svc.where[("endpoint",)] = self.loc(("Globals", section, "EndpointConfiguration"))
        if glob.get("TracingEnabled") is True:
            self._feature(svc, "xray", self.loc(("Globals", section, "TracingEnabled")))
        auth = evaluate(glob.get("Auth"), self.ctx)
        if isinstance(auth, dict) and auth.get("DefaultAuthorizer") == "AWS_IAM":
            self.set(svc, "auth", "iam", self.loc(("Globals", section, "Auth")))

    def _candidate(self, lid: str, raw: Any, why: str, where: Location, *, actions: list[str] | None = None) -> None:
        for target in self.refs(raw):
            if target == lid or target not in self.result.services:
                continue
            if self.result.services[target].data.get("type") not in CANDIDATE_TARGETS:
                continue
            self.result.edges.append(Edge(lid, target, where, candidate=why))

    def _policy_candidates(self, lid: str, policies: Any, base: Path_) -> None:
        items = policies if isinstance(policies, list) else [policies] if isinstance(policies, dict) else []
        for i, policy in enumerate(items):
            where = self.prop_loc(lid, (*base, i) if isinstance(policies, list) else base)
            if not isinstance(policy, dict):
                continue
            if "Statement" in policy:
                self._statements(lid, policy.get("Statement"), where)
                continue
            for name, args in policy.items():
                if name in POLLER_POLICIES:
                    continue
                self._candidate(lid, args, name, where)

    def _statements(self, lid: str, statements: Any, where: Location) -> None:
        for st in statements if isinstance(statements, list) else [statements]:
            if not isinstance(st, dict) or st.get("Effect", "Allow") != "Allow":
                continue
            actions = st.get("Action")
            actions = actions if isinstance(actions, list) else [actions]
            named = [a for a in actions if isinstance(a, str)]
            if named and all(POLLER_ACTIONS.match(a) for a in named):
                continue
            why = "policy " + ", ".join(named[:3])
            self._candidate(lid, st.get("Resource"), why, where)
            resource = evaluate(st.get("Resource"), self.ctx)
            texts = [r for r in (resource if isinstance(resource, list) else [resource]) if isinstance(r, str)]
            for target in self._named(json.dumps(texts)) if texts else []:
                self._candidate(lid, {"Ref": target}, why, where)

    def _role_candidates(self, lid: str, role_raw: Any) -> None:
        role = self.ref_of(role_raw)
        if role is None or self.deployed.get(role) != "AWS::IAM::Role":
            return
        policies = self.props(role).get("Policies")
        for i, policy in enumerate(policies if isinstance(policies, list) else []):
            doc = policy.get("PolicyDocument") if isinstance(policy, dict) else None
            if isinstance(doc, dict):
                self._statements(lid, doc.get("Statement"), self.loc(("Resources", role, "Properties", "Policies", i)))

    def _env_candidates(self, lid: str, env: Any) -> None:
        if not isinstance(env, dict):
            return
        for name, value in env.items():
            self._candidate(lid, value, f"environment {name}", self.prop_loc(lid, ("Environment", "Variables", name)))


_STANDARD_ATTRIBUTES = frozenset(
    {
        "address",
        "birthdate",
        "email",
        "email_verified",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "phone_number_verified",
        "picture",
        "preferred_username",
        "profile",
        "sub",
        "updated_at",
        "website",
        "zoneinfo",
    }
)


def _has(data: Any, sub: Path_) -> bool:
    node = data
    for part in sub:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
        else:
            return False
    return True


def _count_states(definition: Any, depth: int = 0) -> int:
    """States of an Amazon States Language definition, nested Parallel branches and Map processors included."""
    if not isinstance(definition, dict) or depth > 20:
        return 0
    states = definition.get("States")
    if not isinstance(states, dict):
        return 0
    total = 0
    for state in states.values():
        if not isinstance(state, dict):
            continue
        total += 1
        for branch in state.get("Branches", []) if isinstance(state.get("Branches"), list) else []:
            total += _count_states(branch, depth + 1)
        for key in ("Iterator", "ItemProcessor"):
            total += _count_states(state.get(key), depth + 1)
    return total
