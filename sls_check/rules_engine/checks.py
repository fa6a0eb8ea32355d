"""Named check functions: the few rules that need arithmetic over several keys.

A check gets the binding (the service, and the peer and edge for per-peer rules) and
the rule's `args`; it returns one dict of template variables per violation (empty
list: no violation). A dict may carry `at` (a key path of the service) to say where.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sls_check.rules_engine.conditions import Binding, CheckFn

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
    return [{"env_bytes": size, "env_limit_bytes": int(limit), "env_over_bytes": int(size - limit),
             "env_count": len(env)}]


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
    return [{"unzipped_total_mb": round(total, 2), "code_mb": float(code or 0), "layers_mb": round(layers_mb, 2),
             "unzipped_limit_mb": limit, "unzipped_over_mb": round(total - limit, 2),
             "at": "package.unzipped_mb" if code is not None else "package.layers"}]
