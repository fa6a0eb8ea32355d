"""serverless.yml (Serverless Framework v3/v4) -> an equivalent SAM template, positions kept.

The framework's `functions` and their `events` become AWS::Serverless::Function resources with SAM
events (the implicit REST/HTTP/WebSocket APIs, SNS topics, S3 buckets and Cognito pools it
creates become resources too); `resources.Resources` is raw CloudFormation and is copied as is.
Every value keeps the serverless.yml position it came from, so findings land on its lines.
Variables: ${self:...}, ${opt:x, default}, ${sls:stage}, ${env:X}, ${aws:region} are resolved where
known; anything else (${ssm:...}, ${file(...)}, ${cf:...}) is unknown.
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Any

from sls_check.importers.cfn import Note
from sls_check.loader import Document
from sls_check.model import Location

Path_ = tuple[Any, ...]

# Serverless Framework defaults (serverless.yml reference: "memorySize ... default is 1024",
# "timeout ... default is 6"; https://www.serverless.com/framework/docs/providers/aws/guide/serverless.yml,
# stored copy of the v2 reference read 2026-12-01).
DEFAULT_MEMORY_MB = 1024
DEFAULT_TIMEOUT_S = 6

PROVIDER_KEYS = frozenset(
    {
        "name",
        "runtime",
        "stage",
        "region",
        "profile",
        "memorySize",
        "timeout",
        "logRetentionInDays",
        "environment",
        "architecture",
        "iam",
        "iamRoleStatements",
        "iamManagedPolicies",
        "role",
        "vpc",
        "tracing",
        "apiGateway",
        "httpApi",
        "websocketsApiName",
        "websocketsApiRouteSelectionExpression",
        "websocketsDescription",
        "deploymentBucket",
        "deploymentMethod",
        "deploymentPrefix",
        "stackName",
        "stackTags",
        "tags",
        "layers",
        "logs",
        "kmsKeyArn",
        "versionFunctions",
        "eventBridge",
        "alb",
        "cloudFront",
        "ecr",
        "endpointType",
        "apiName",
        "stackPolicy",
        "stackParameters",
        "notificationArns",
        "rollbackConfiguration",
        "s3",
        "disableRollback",
        "timeouts",
        "runtimeManagement",
        "cfnRole",
        "lambdaHashingVersion",
        "logDataProtectionPolicy",
        "resourcePolicy",
        "usagePlan",
        "apiKeys",
        "ephemeralStorageSize",
        "snapStart",
        "kinesis",
        "sns",
        "sqs",
        "tracingConfig",
        "build",
        "cors",
    }
)
FUNCTION_KEYS = frozenset(
    {
        "handler",
        "name",
        "description",
        "runtime",
        "memorySize",
        "timeout",
        "environment",
        "events",
        "architecture",
        "layers",
        "vpc",
        "reservedConcurrency",
        "provisionedConcurrency",
        "image",
        "url",
        "destinations",
        "onError",
        "snapStart",
        "ephemeralStorageSize",
        "tracing",
        "role",
        "package",
        "tags",
        "kmsKeyArn",
        "condition",
        "dependsOn",
        "disableLogs",
        "logRetentionInDays",
        "maximumEventAge",
        "maximumRetryAttempts",
        "fileSystemConfig",
        "runtimeManagement",
        "iamRoleStatements",
        "logs",
        "provisionedConcurrencyConfig",
        "versionFunction",
        "skipBuild",
        "build",
    }
)

_VAR = re.compile(r"\$\{([^{}$]+)\}")


class _Unresolved(Exception):
    def __init__(self, text: str):
        self.text = text


def normalize(name: str) -> str:
    """The framework's logical-id spelling of a function name (hello-world -> HelloDashworld)."""
    text = name[:1].upper() + name[1:]
    return text.replace("-", "Dash").replace("_", "Underscore")


class Resolver:
    def __init__(self, data: dict[str, Any], parameters: dict[str, Any]):
        self.data = data
        self.parameters = parameters
        self.depth = 0
        self.budget = 100_000  # variable look-ups per file: `${a}${a}` chains must not grow exponentially

    def _self(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise _Unresolved(f"self:{path}")
        return self.value(node)

    def _one(self, expr: str) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _Unresolved(expr)
        parts = [p.strip() for p in _split_default(expr)]
        for part in parts:
            try:
                return self._source(part)
            except _Unresolved:
                continue
        raise _Unresolved(expr)

    def _source(self, part: str) -> Any:
        if (part.startswith("'") and part.endswith("'")) or (part.startswith('"') and part.endswith('"')):
            return part[1:-1]
        if re.fullmatch(r"-?\d+(\.\d+)?", part):
            return float(part) if "." in part else int(part)
        if part in ("true", "false"):
            return part == "true"
        kind, _, rest = part.partition(":")
        if kind == "self":
            return self._self(rest) if rest else self.data
        if kind == "opt":
            if rest in self.parameters:
                return self.parameters[rest]
            raise _Unresolved(part)
        if kind == "sls" and rest == "stage":
            return self.parameters.get("stage") or self._provider("stage", "dev")
        if kind == "aws" and rest == "region":
            return self.parameters.get("region") or self._provider("region", "us-east-1")
        if kind == "aws" and rest == "accountId":
            return "123456789012"
        if kind == "env":
            if rest in self.parameters:
                return self.parameters[rest]
            if rest in os.environ:
                return os.environ[rest]
        raise _Unresolved(part)

    def _provider(self, key: str, default: str) -> Any:
        provider = self.data.get("provider")
        value = provider.get(key) if isinstance(provider, dict) else None
        return self.value(value) if value is not None else default

    def value(self, node: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > 30 or self.budget < 0:
                raise _Unresolved("variables nested too deeply")
            if isinstance(node, dict):
                return {k: self.value(v) for k, v in node.items()}
            if isinstance(node, list):
                return [self.value(v) for v in node]
            if not isinstance(node, str) or "${" not in node:
                return node
            text = node
            for _ in range(20):
                match = _VAR.search(text)
                if match is None:
                    break
                try:
                    value = self._one(match.group(1))
                except _Unresolved:
                    return {"Fn::Unresolved": node}
                if match.group(0) == text:
                    if isinstance(value, str) and "${" in value:
                        text = value
                        continue
                    return value
                if isinstance(value, dict | list):
                    return {"Fn::Unresolved": node}
                text = text[: match.start()] + str(value) + text[match.end() :]
            return text
        finally:
            self.depth -= 1


def _split_default(expr: str) -> list[str]:
    """`opt:stage, 'dev'` -> ['opt:stage', "'dev'"] (commas inside quotes kept)."""
    parts, current, quote = [], "", ""
    for ch in expr:
        if quote:
            current += ch
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            current += ch
        elif ch == ",":
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


class _Builder:
    def __init__(self, doc: Document, parameters: dict[str, Any]):
        self.src = doc
        self.raw: dict[str, Any] = doc.data
        self.resolver = Resolver(self.raw, parameters)
        self.out = Document(file=doc.file, data=None)
        self.resources: dict[str, Any] = {}
        self.notes: list[Note] = []
        self.aliases: dict[str, str] = {}
        self.renames: dict[str, str] = {}

    # positions
    def copy(self, origin: Path_, target: Path_) -> None:
        n = len(origin)
        for table, out in ((self.src.positions, self.out.positions), (self.src.key_positions, self.out.key_positions)):
            for p, pos in table.items():
                if p[:n] == origin:
                    out[(*target, *p[n:])] = pos
        if origin in self.src.key_positions:
            self.out.key_positions[target] = self.src.key_positions[origin]

    def point(self, origin: Path_, target: Path_) -> None:
        """`target` (and its key) at the position of `origin`, without copying children."""
        loc = self.src.locate(origin)
        self.out.positions[target] = (loc.line, loc.column)
        kloc = self.src.locate(origin, key=True)
        self.out.key_positions[target] = (kloc.line, kloc.column)

    def loc(self, origin: Path_, *, key: bool = False) -> Location:
        return self.src.locate(origin, key=key)

    def get(self, path: Path_) -> Any:
        node: Any = self.raw
        for part in path:
            if (isinstance(node, dict) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and part < len(node)
            ):
                node = node[part]
            else:
                return None
        return self.resolver.value(node)

    def add(self, lid: str, cfn_type: str, props: dict[str, Any], origin: Path_) -> dict[str, Any]:
        res = {"Type": cfn_type, "Properties": props}
        self.resources[lid] = res
        self.point(origin, ("Resources", lid))
        self.point(origin, ("Resources", lid, "Type"))
        return props

    def prop(self, lid: str, props: dict[str, Any], key: str, origins: list[Path_], convert: Any = None) -> None:
        for origin in origins:
            value = self.get(origin)
            if value is None:
                continue
            props[key] = convert(value) if convert else value
            self.copy(origin, ("Resources", lid, "Properties", key))
            self.point(origin, ("Resources", lid, "Properties", key))
            return

    # the build
    def build(self) -> Document:
        provider = self.get(("provider",))
        provider = provider if isinstance(provider, dict) else {}
        self._check_keys(("provider",), provider, PROVIDER_KEYS)
        self._copy_resources()
        functions = self.raw.get("functions")
        if isinstance(functions, dict):
            for name, fn in functions.items():
                if isinstance(fn, dict):
                    self._function(str(name), fn, provider)
        self._step_functions()
        data: dict[str, Any] = {"Transform": "AWS::Serverless-2016-10-31", "Resources": self.resources}
        for key in ("Conditions", "Mappings", "Parameters"):
            section = self.get(("resources", key))
            if isinstance(section, dict):
                data[key] = section
                self.copy(("resources", key), (key,))
        self.out.data = data
        return self.out

    def _check_keys(self, base: Path_, block: dict[str, Any], known: frozenset[str]) -> None:
        lowered = {k.lower(): k for k in known}
        for key in block:
            if key in known:
                continue
            close = lowered.get(str(key).lower()) or next(
                iter(difflib.get_close_matches(str(key), known, n=1, cutoff=0.85)), None
            )
            if close:
                self.notes.append(
                    Note(
                        "IMP009",
                        "",
                        self.loc((*base, key), key=True),
                        {"key": f"{'.'.join(map(str, base))}.{key}", "hint": f" (did you mean {close!r}?)"},
                    )
                )

    def _copy_resources(self) -> None:
        resources = self.get(("resources", "Resources"))
        if not isinstance(resources, dict):
            return
        for lid, res in resources.items():
            self.resources[lid] = res
            self.copy(("resources", "Resources", lid), ("Resources", lid))

    def _function(self, name: str, fn: dict[str, Any], provider: dict[str, Any]) -> None:
        base: Path_ = ("functions", name)
        self._check_keys(
            base, self.raw["functions"][name] if isinstance(self.raw["functions"][name], dict) else {}, FUNCTION_KEYS
        )
        lid = f"{normalize(name)}LambdaFunction"
        self.renames[lid] = name
        props: dict[str, Any] = {}
        self.add(lid, "AWS::Serverless::Function", props, base)
        image = fn.get("image") is not None
        if image:
            props["PackageType"] = "Image"
            self.point((*base, "image"), ("Resources", lid, "Properties", "PackageType"))
        else:
            self.prop(lid, props, "Runtime", [(*base, "runtime"), ("provider", "runtime")])
            props["CodeUri"] = "."
        self.prop(lid, props, "MemorySize", [(*base, "memorySize"), ("provider", "memorySize")])
        props.setdefault("MemorySize", DEFAULT_MEMORY_MB)
        self.prop(lid, props, "Timeout", [(*base, "timeout"), ("provider", "timeout")])
        props.setdefault("Timeout", DEFAULT_TIMEOUT_S)
        self.prop(lid, props, "Architectures", [(*base, "architecture"), ("provider", "architecture")], lambda v: [v])
        env: dict[str, Any] = {}
        for origin in (("provider", "environment"), (*base, "environment")):
            value = self.get(origin)
            if isinstance(value, dict):
                env.update(value)
                self.copy(origin, ("Resources", lid, "Properties", "Environment", "Variables"))
        if env:
            props["Environment"] = {"Variables": env}
        self.prop(lid, props, "Layers", [(*base, "layers"), ("provider", "layers")])
        vpc = self.get((*base, "vpc")) or provider.get("vpc")
        origin_vpc = (*base, "vpc") if self.get((*base, "vpc")) is not None else ("provider", "vpc")
        if isinstance(vpc, dict):
            props["VpcConfig"] = {"SubnetIds": vpc.get("subnetIds"), "SecurityGroupIds": vpc.get("securityGroupIds")}
            self.point(origin_vpc, ("Resources", lid, "Properties", "VpcConfig"))
        self.prop(lid, props, "ReservedConcurrentExecutions", [(*base, "reservedConcurrency")])
        pc = self.get((*base, "provisionedConcurrency"))
        if pc is not None:
            props["ProvisionedConcurrencyConfig"] = {"ProvisionedConcurrentExecutions": pc}
            self.point(
                (*base, "provisionedConcurrency"), ("Resources", lid, "Properties", "ProvisionedConcurrencyConfig")
            )
        self.prop(lid, props, "EphemeralStorage", [(*base, "ephemeralStorageSize")], lambda v: {"Size": v})
        if self.get((*base, "snapStart")) is True:
            props["SnapStart"] = {"ApplyOn": "PublishedVersions"}
            self.point((*base, "snapStart"), ("Resources", lid, "Properties", "SnapStart"))
        tracing = self.get((*base, "tracing"))
        lambda_tracing = (
            provider.get("tracing", {}).get("lambda") if isinstance(provider.get("tracing"), dict) else None
        )
        if tracing in ("Active", "active", True) or (tracing is None and lambda_tracing in (True, "Active", "active")):
            props["Tracing"] = "Active"
            self.point(
                (*base, "tracing") if tracing is not None else ("provider", "tracing", "lambda"),
                ("Resources", lid, "Properties", "Tracing"),
            )
        url = self.get((*base, "url"))
        if url:
            props["FunctionUrlConfig"] = {
                "InvokeMode": url.get("invokeMode", "BUFFERED") if isinstance(url, dict) else "BUFFERED"
            }
            self.point((*base, "url"), ("Resources", lid, "Properties", "FunctionUrlConfig"))
        on_error = self.get((*base, "onError"))
        if on_error is not None:
            props["DeadLetterQueue"] = {"Type": "SQS", "TargetArn": on_error}
            self.copy((*base, "onError"), ("Resources", lid, "Properties", "DeadLetterQueue", "TargetArn"))
        destinations = self.get((*base, "destinations"))
        if isinstance(destinations, dict):
            config: dict[str, Any] = {}
            for key, cfn in (("onSuccess", "OnSuccess"), ("onFailure", "OnFailure")):
                target = destinations.get(key)
                if isinstance(target, dict):
                    target = target.get("arn")
                if isinstance(target, str) and not target.startswith("arn:"):
                    target = {"Fn::GetAtt": [f"{normalize(target)}LambdaFunction", "Arn"]}
                if target is not None:
                    config[cfn] = {"Destination": target}
                    self.point(
                        (*base, "destinations", key),
                        ("Resources", lid, "Properties", "EventInvokeConfig", "DestinationConfig", cfn),
                    )
            if config:
                props["EventInvokeConfig"] = {"DestinationConfig": config}
        for src, dst in (
            ("maximumEventAge", "MaximumEventAgeInSeconds"),
            ("maximumRetryAttempts", "MaximumRetryAttempts"),
        ):
            value = self.get((*base, src))
            if value is not None:
                props.setdefault("EventInvokeConfig", {})[dst] = value
                self.point((*base, src), ("Resources", lid, "Properties", "EventInvokeConfig", dst))
        statements = []
        for origin in (
            ("provider", "iam", "role", "statements"),
            ("provider", "iamRoleStatements"),
            (*base, "iamRoleStatements"),
        ):
            value = self.get(origin)
            if isinstance(value, list):
                statements.extend(value)
        if statements:
            props["Policies"] = [{"Statement": statements}]
            self.point(
                ("provider", "iam") if self.get(("provider", "iam")) is not None else base,
                ("Resources", lid, "Properties", "Policies", 0),
            )
        events = self.raw["functions"][name].get("events") if isinstance(self.raw["functions"][name], dict) else None
        sam_events: dict[str, Any] = {}
        for i, event in enumerate(events if isinstance(events, list) else []):
            if isinstance(event, dict) and len(event) == 1:
                kind, value = next(iter(event.items()))
                self._event(lid, name, i, str(kind), self.resolver.value(value), sam_events)
        if sam_events:
            props["Events"] = sam_events

    def _event_at(
        self,
        lid: str,
        fname: str,
        i: int,
        kind: str,
        event_id: str,
        sam: dict[str, Any],
        sam_type: str,
        eprops: dict[str, Any],
    ) -> None:
        sam[event_id] = {"Type": sam_type, "Properties": eprops}
        origin = ("functions", fname, "events", i, kind)
        target = ("Resources", lid, "Properties", "Events", event_id)
        self.point(("functions", fname, "events", i), target)
        self.copy(origin, (*target, "Properties"))

    def _implicit(self, lid: str, cfn_type: str, props: dict[str, Any], origin: Path_) -> str:
        if lid not in self.resources:
            self.add(lid, cfn_type, props, origin)
        return lid

    def _event(self, lid: str, fname: str, i: int, kind: str, value: Any, sam: dict[str, Any]) -> None:
        origin = ("functions", fname, "events", i, kind)
        eid = f"{kind}{i}"
        conf = value if isinstance(value, dict) else {}
        if kind == "http":
            api = self._implicit("ApiGatewayRestApi", "AWS::Serverless::Api", {}, origin)
            self._event_at(lid, fname, i, kind, eid, sam, "Api", {"RestApiId": {"Ref": api}})
            endpoint = self.get(("provider", "endpointType"))
            if isinstance(endpoint, str):
                self.resources[api]["Properties"]["EndpointConfiguration"] = endpoint.upper()
                self.point(("provider", "endpointType"), ("Resources", api, "Properties", "EndpointConfiguration"))
            if conf.get("authorizer") is not None:
                self._api_auth(api, conf["authorizer"])
        elif kind == "httpApi":
            api = self._implicit("HttpApi", "AWS::Serverless::HttpApi", {}, origin)
            self._event_at(lid, fname, i, kind, eid, sam, "HttpApi", {"ApiId": {"Ref": api}})
        elif kind == "websocket":
            api = self._implicit("WebsocketsApi", "AWS::ApiGatewayV2::Api", {"ProtocolType": "WEBSOCKET"}, origin)
            integ = f"{normalize(fname)}WebsocketsIntegration"
            self.add(
                integ,
                "AWS::ApiGatewayV2::Integration",
                {"ApiId": {"Ref": api}, "IntegrationUri": {"Fn::GetAtt": [lid, "Arn"]}},
                origin,
            )
        elif kind == "sqs":
            arn = conf.get("arn") if conf else value
            eprops: dict[str, Any] = {"Queue": self._by_arn(arn, "AWS::SQS::Queue", "QueueName")}
            for src, dst in (("batchSize", "BatchSize"), ("maximumBatchingWindow", "MaximumBatchingWindowInSeconds")):
                if src in conf:
                    eprops[dst] = conf[src]
            if "maximumConcurrency" in conf:
                eprops["ScalingConfig"] = {"MaximumConcurrency": conf["maximumConcurrency"]}
            self._event_at(lid, fname, i, kind, eid, sam, "SQS", eprops)
            for src, dst in (
                ("batchSize", "BatchSize"),
                ("maximumBatchingWindow", "MaximumBatchingWindowInSeconds"),
                ("maximumConcurrency", "ScalingConfig"),
            ):
                if src in conf:
                    self.point((*origin, src), ("Resources", lid, "Properties", "Events", eid, "Properties", dst))
        elif kind == "sns":
            arn = conf.get("arn") if conf else (value if isinstance(value, str) and value.startswith("arn:") else None)
            topic_name = (
                conf.get("topicName")
                if conf
                else (value if isinstance(value, str) and not value.startswith("arn:") else None)
            )
            if arn is not None:
                topic = self._by_arn(arn, "AWS::SNS::Topic", "TopicName")
            elif isinstance(topic_name, str):
                tid = "SNSTopic" + re.sub(r"[^A-Za-z0-9]", "", normalize(topic_name))
                topic = {"Ref": self._implicit(tid, "AWS::SNS::Topic", {"TopicName": topic_name}, origin)}
                self.renames.setdefault(tid, topic_name)
            else:
                topic = None
            self._event_at(lid, fname, i, kind, eid, sam, "SNS", {"Topic": topic})
        elif kind == "stream":
            arn = conf.get("arn") if conf else value
            stream_type = conf.get("type") if conf else None
            text = str(arn)
            if stream_type == "kinesis" or ":kinesis:" in text or ("Kinesis" in text and "StreamArn" not in text):
                self._event_at(lid, fname, i, kind, eid, sam, "Kinesis", {"Stream": arn})
            else:
                stream = arn
                if isinstance(arn, str):
                    stream = self._by_arn(arn.split("/stream/")[0], "AWS::DynamoDB::Table", "TableName")
                self._event_at(lid, fname, i, kind, eid, sam, "DynamoDB", {"Stream": stream})
        elif kind == "s3":
            bucket = conf.get("bucket") if conf else value
            if conf.get("existing") is True:
                self._event_at(
                    lid,
                    fname,
                    i,
                    kind,
                    eid,
                    sam,
                    "S3",
                    {"Bucket": self._by_arn(bucket, "AWS::S3::Bucket", "BucketName")},
                )
            elif isinstance(bucket, str):
                bid = "S3Bucket" + re.sub(r"[^A-Za-z0-9]", "", normalize(bucket))
                self._implicit(bid, "AWS::S3::Bucket", {"BucketName": bucket}, origin)
                self.renames.setdefault(bid, bucket)
                self._event_at(lid, fname, i, kind, eid, sam, "S3", {"Bucket": {"Ref": bid}})
            else:
                self._event_at(lid, fname, i, kind, eid, sam, "S3", {"Bucket": bucket})
        elif kind == "cognitoUserPool":
            pool = conf.get("pool")
            if conf.get("existing") is True or not isinstance(pool, str):
                self._event_at(
                    lid,
                    fname,
                    i,
                    kind,
                    eid,
                    sam,
                    "Cognito",
                    {"UserPool": self._by_arn(pool, "AWS::Cognito::UserPool", "UserPoolName")},
                )
            else:
                pid = "CognitoUserPool" + re.sub(r"[^A-Za-z0-9]", "", normalize(pool))
                self._implicit(pid, "AWS::Cognito::UserPool", {"UserPoolName": pool}, origin)
                self.renames.setdefault(pid, pool)
                self._event_at(lid, fname, i, kind, eid, sam, "Cognito", {"UserPool": {"Ref": pid}})
        else:
            sam_type = {
                "schedule": "Schedule",
                "eventBridge": "EventBridgeRule",
                "cloudwatchEvent": "CloudWatchEvent",
                "cloudwatchLog": "CloudWatchLogs",
                "iot": "IoTRule",
                "alexaSkill": "AlexaSkill",
                "kafka": "SelfManagedKafka",
                "msk": "MSK",
                "activemq": "MQ",
                "rabbitmq": "MQ",
                "alexaSmartHome": "AlexaSkill",
            }.get(kind)
            if kind == "schedule":
                rate = conf.get("rate") if conf else value
                rate = rate[0] if isinstance(rate, list) and rate else rate
                scheduler = conf.get("method") == "scheduler"
                sam_type, key = ("ScheduleV2", "ScheduleExpression") if scheduler else ("Schedule", "Schedule")
                self._event_at(lid, fname, i, kind, eid, sam, sam_type, {key: rate} if isinstance(rate, str) else {})
            elif kind == "eventBridge":
                bus = conf.get("eventBus")
                rule: dict[str, Any] = {"Pattern": conf.get("pattern")}
                if isinstance(bus, str) and bus != "default":
                    if bus.startswith("arn:"):
                        rule["EventBusName"] = bus
                    else:  # the framework creates a bus named so
                        bid = "EventBridgeBus" + re.sub(r"[^A-Za-z0-9]", "", normalize(bus))
                        self._implicit(bid, "AWS::Events::EventBus", {"Name": bus}, origin)
                        rule["EventBusName"] = {"Ref": bid}
                elif isinstance(bus, dict):
                    rule["EventBusName"] = bus
                self._event_at(lid, fname, i, kind, eid, sam, "EventBridgeRule", rule)
            elif sam_type:
                self._event_at(lid, fname, i, kind, eid, sam, sam_type, {})
            else:
                source = {"alb": "Application Load Balancer"}.get(kind, f"a {kind} event")
                self.notes.append(Note("IMP003", lid, self.loc(origin, key=True), {"source": source}))

    def _api_auth(self, api: str, auth: Any) -> None:
        """An http event's authorizer as the SAM Auth of the implicit REST API."""
        props = self.resources[api]["Properties"]
        if "Auth" in props:
            return
        kind = auth.get("type") if isinstance(auth, dict) else None
        arn = auth.get("arn") if isinstance(auth, dict) else auth
        if auth == "aws_iam" or (isinstance(kind, str) and kind.lower() == "aws_iam"):
            props["Auth"] = {"DefaultAuthorizer": "AWS_IAM"}
        elif (isinstance(kind, str) and kind.upper() == "COGNITO_USER_POOLS") or ":cognito-idp:" in str(arn):
            props["Auth"] = {"DefaultAuthorizer": "A", "Authorizers": {"A": {"UserPoolArn": arn}}}
        elif isinstance(auth, dict) and auth.get("name"):
            target = {"Fn::GetAtt": [f"{normalize(str(auth['name']))}LambdaFunction", "Arn"]}
            props["Auth"] = {"DefaultAuthorizer": "A", "Authorizers": {"A": _lambda_authorizer(target, auth)}}
        elif isinstance(auth, str) and not auth.startswith("arn:"):
            target = {"Fn::GetAtt": [f"{normalize(auth)}LambdaFunction", "Arn"]}
            props["Auth"] = {"DefaultAuthorizer": "A", "Authorizers": {"A": {"FunctionArn": target}}}
        else:
            props["Auth"] = {"DefaultAuthorizer": "A", "Authorizers": {"A": _lambda_authorizer(arn, auth)}}

    def _by_arn(self, arn: Any, cfn_type: str, name_key: str) -> Any:
        """An ARN naming a resource of `resources` by its physical name becomes a Ref to it."""
        if isinstance(arn, dict):
            return arn
        if isinstance(arn, str):
            name = arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
            for lid, res in self.resources.items():
                if isinstance(res, dict) and res.get("Type") == cfn_type:
                    found = res.get("Properties")
                    props: dict[str, Any] = found if isinstance(found, dict) else {}
                    if self.resolver.value(props.get(name_key)) == name:
                        return {"Ref": lid}
        return arn

    def _step_functions(self) -> None:
        machines = self.get(("stepFunctions", "stateMachines"))
        if not isinstance(machines, dict):
            return
        for name, machine in machines.items():
            if not isinstance(machine, dict):
                continue
            origin = ("stepFunctions", "stateMachines", name)
            given = machine.get("name")
            lid = given if isinstance(given, str) else f"{normalize(str(name))}StepFunctionsStateMachine"
            lid = re.sub(r"[^A-Za-z0-9]", "", lid) or "StateMachine"
            self.renames[lid] = str(name)
            props: dict[str, Any] = {}
            kind = machine.get("type")
            if isinstance(kind, str):
                props["Type"] = kind.upper()
                self.point((*origin, "type"), ("Resources", lid, "Properties", "Type"))
            definition = machine.get("definition")
            if isinstance(definition, dict):
                props["Definition"] = _sls_refs(definition)
                self.copy((*origin, "definition"), ("Resources", lid, "Properties", "Definition"))
            self.add(lid, "AWS::Serverless::StateMachine", props, origin)


def _sls_refs(node: Any) -> Any:
    """serverless-step-functions' `Fn::GetAtt: [hello, Arn]` names a function by its key."""
    if isinstance(node, dict):
        if set(node) == {"Fn::GetAtt"} and isinstance(node["Fn::GetAtt"], list) and node["Fn::GetAtt"]:
            head = str(node["Fn::GetAtt"][0])
            if not head.endswith("LambdaFunction"):
                return {"Fn::GetAtt": [f"{normalize(head)}LambdaFunction", *node["Fn::GetAtt"][1:]]}
        return {k: _sls_refs(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_sls_refs(v) for v in node]
    return node


def to_template(
    doc: Document, parameters: dict[str, Any]
) -> tuple[Document, list[Note], str | None, dict[str, str], dict[str, str]]:
    """(the SAM template, notes, the provider's Region when static, aliases, preferred service ids)."""
    builder = _Builder(doc, parameters)
    out = builder.build()
    region = builder.get(("provider", "region"))
    return (
        out,
        builder.notes,
        region if isinstance(region, str) and "${" not in region else None,
        builder.aliases,
        builder.renames,
    )


def _lambda_authorizer(function_arn: Any, auth: Any) -> dict[str, Any]:
    """A serverless.yml Lambda authorizer as a SAM one: `resultTtlInSeconds` is SAM's ReauthorizeEvery."""
    entry: dict[str, Any] = {"FunctionArn": function_arn}
    ttl = auth.get("resultTtlInSeconds") if isinstance(auth, dict) else None
    if isinstance(ttl, int) and not isinstance(ttl, bool):
        entry["Identity"] = {"ReauthorizeEvery": ttl}
    return entry
