"""The pricing engine: price tables (pricing/*.yaml), a cost model per service type, the bill."""

from sls_check.pricing.engine import FREE_TIER_MODES, CostReport, PricingErrors, money, price_graph
from sls_check.pricing.tables import PriceMissing, PricingError, load_table

__all__ = [
    "FREE_TIER_MODES",
    "CostReport",
    "PriceMissing",
    "PricingError",
    "PricingErrors",
    "load_table",
    "money",
    "price_graph",
]
