"""How fast `slscheck validate` is as a whole process (what a pre-commit hook feels).

    python benchmarks/bench_validate.py [--runs 15]

Measures, as separate processes (interpreter start-up included), the best and median wall
time and the peak RSS of each case (benchmarks/harness.py) of: the import of the CLI; one
sample; all samples at once; generated specs of 200 and 2,000 services. Targets: a sample in <= 0.5 s (about a tenth
of a
second is Python and typer starting), 2,000 services in <= 2 s. With CFN_LINT=/path/to/cfn-lint
it also times cfn-lint on a real SAM template of ../shared/corpus for comparison (on the
machine of 2026-11-26, 2 CPUs, fresh venv: cfn-lint 1.58.0 2.2-2.6 s and 138 MB for one template;
slscheck 0.49 s and 24 MB for a sample, 1.2 s and 40 MB for 2,000 services). 2026-12-02, same
machine, load average about 2.4, `--runs 9`, median, before / after runtimes/lambda.yaml moved to
libyaml's CSafeLoader: import 0.213 / 0.186 s, one sample 0.351 / 0.302 s, all samples
0.360 / 0.335 s, 200 services 0.394 / 0.341 s, 2,000 services 1.354 / 1.095 s (bytecode compiled).
Prints a table (targets judged on the best run); --record DIR writes it as a dated JSON file;
--strict exits 1 when a target is missed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

ROOT = harness.ROOT
generated = harness.chain  # the spec of "200 services" and "2,000 services"


def main() -> int:
    args = harness.parser(__doc__.splitlines()[0], runs=15).parse_args()
    slscheck = harness.SLSCHECK
    samples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples").glob("*.yaml"))
    table = harness.Table("bench_validate")
    with tempfile.TemporaryDirectory() as tmp:
        big = {}
        for n in (200, 2000):
            path = Path(tmp) / f"gen{n}.yaml"
            path.write_text(generated(n))
            big[n] = str(path)
        cases = [
            ("import only (python -c 'import sls_check.cli')", [sys.executable, "-c", "import sls_check.cli"], 0.35),
            ("validate samples/web-api.yaml", [*slscheck, "validate", "samples/web-api.yaml"], 0.5),
            (f"validate all {len(samples)} samples", [*slscheck, "validate", *samples], 0.6),
            ("validate 200 services", [*slscheck, "validate", big[200]], 0.75),
            ("validate 2,000 services", [*slscheck, "validate", big[2000]], 2.0),
        ]
        corpus = sorted((ROOT.parent / "shared" / "corpus").glob("serverless-patterns/*/template.yaml"))
        if os.environ.get("CFN_LINT") and corpus:
            cases.append(
                (f"for comparison: cfn-lint {corpus[0].parent.name}", [os.environ["CFN_LINT"], str(corpus[0])], None)
            )
        for name, cmd, target in cases:
            runs = args.runs if "2,000" not in name else max(3, args.runs // 5)
            table.add(name, harness.process(cmd, runs, cold=args.cold), target)
    return table.finish(args)


if __name__ == "__main__":
    sys.exit(main())
