"""The limits calculator: demand per service against AWS quotas, and the ceiling.

rows_for(graph)         -> [Row]      one row per (service, quota), worst first
findings_for(graph)     -> [Finding]  warn/over rows as findings for validate
find_ceiling(graph_at)  -> Ceiling    highest entry rps before the first quota
"""

from sls_check.limits.catalog import Catalog, Check, Quota, load_catalog
from sls_check.limits.ceiling import Ceiling, Wall, find_ceiling
from sls_check.limits.engine import rows_for
from sls_check.limits.findings import findings_for
from sls_check.limits.rows import Row

__all__ = [
    "Catalog",
    "Ceiling",
    "Check",
    "Quota",
    "Row",
    "Wall",
    "find_ceiling",
    "findings_for",
    "load_catalog",
    "rows_for",
]
