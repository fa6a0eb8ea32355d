"""All demand models over one graph: the limits rows, worst first."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from sls_check.graph import ServiceGraph
from sls_check.limits.catalog import Catalog, load_catalog
from sls_check.limits.compute import lambda_rows
from sls_check.limits.data import aurora_rows, dynamodb_rows, s3_rows
from sls_check.limits.edge_api import api_gateway_rows, cloudfront_rows
from sls_check.limits.events import eventbridge_rows
from sls_check.limits.messaging import cognito_rows, firehose_rows, sns_rows, sqs_rows, step_functions_rows
from sls_check.limits.payloads import payload_rows
from sls_check.limits.rows import Context, Row, sort_rows
from sls_check.model import TooLarge

MODELS: tuple[Callable[[Context], list[Row]], ...] = (
    lambda_rows,
    api_gateway_rows,
    cloudfront_rows,
    dynamodb_rows,
    s3_rows,
    aurora_rows,
    sqs_rows,
    sns_rows,
    firehose_rows,
    eventbridge_rows,
    step_functions_rows,
    cognito_rows,
    payload_rows,
)


def account_of(graph: ServiceGraph) -> Mapping[str, Any]:
    return getattr(graph, "account", None) or {}


def rows_for(
    graph: ServiceGraph, *, account: Mapping[str, Any] | None = None, catalog: Catalog | None = None
) -> list[Row]:
    """One row per (service, quota) at the graph's traffic, worst first. Raises TooLarge on an overflow."""
    ctx = Context(graph, catalog or load_catalog(), account if account is not None else account_of(graph))
    rows: list[Row] = []
    for model in MODELS:
        try:
            rows += model(ctx)
        except OverflowError:  # math.ceil(inf) and the like
            raise TooLarge.demand() from None
        except ValueError as exc:  # math.ceil(nan)
            if "NaN" not in str(exc):
                raise
            raise TooLarge.demand() from None
    for row in rows:
        if not (math.isfinite(row.needed) and math.isfinite(row.limit)):
            raise TooLarge.demand(row.service, row.quota)
    return sort_rows(rows)
