"""Hypothesis profiles of the fuzzing harness.

ci (the default): derandomized, a fixed number of examples, so the normal test run is short and the
same every time. long: for maintainers, random and many examples (docs/fuzzing.md):

    HYPOTHESIS_PROFILE=long python -m pytest tests/fuzz -p no:randomly
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=int(os.environ.get("SLSCHECK_FUZZ_EXAMPLES", "60")),
    deadline=timedelta(seconds=30),  # bounded time per example (several commands, each twice), on a busy 2-core CI
    suppress_health_check=SLOW_OK,
    print_blob=True,
    database=None,
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("SLSCHECK_FUZZ_EXAMPLES", "100000")),
    deadline=timedelta(seconds=10),
    suppress_health_check=SLOW_OK,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
