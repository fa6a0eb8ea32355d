"""Regenerate every generated section of the docs, or check that none has drifted.

    python scripts/gen_docs.py            # rewrite what changed, name each file
    python scripts/gen_docs.py --check    # exit 1 naming every stale section, write nothing
    python scripts/gen_docs.py --check --skip quickstart   # without running the README's commands

Each generator owns the text between two markers of one file and computes it from the data or the
code (rule packs, the schema, quotas/, price tables, importer mapping data, the CLI's own output).
A generator with a script of its own (price_coverage.py) is called through that script's functions.
tests/test_gen_docs.py runs the check; the older per-section drift tests stay as well.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


@dataclass(frozen=True)
class Generator:
    name: str
    path: str  # relative to the repository root
    update: Callable[[str], str]  # the file's text in, the text with its generated sections rewritten out


def _between(text: str, begin: str, end: str, body: str, path: str) -> str:
    """Replace what lies between the markers (kept) with body."""
    if begin not in text or end not in text:
        raise SystemExit(f"{path} lacks the markers {begin} / {end}")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + begin + body + end + tail


def _rules(text: str) -> str:
    import update_readme_rules

    from sls_check.rules_engine.packs import load_rules

    return update_readme_rules.updated(text, load_rules())


def _spec(text: str) -> str:
    from sls_check.spec_reference import BEGIN, END, section

    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"docs/spec.md has no {BEGIN} ... {END} section")
    return pattern.sub(lambda _m: section(), text)


def _quotas(text: str) -> str:
    from sls_check.limits.catalog import load_catalog
    from sls_check.reporters.limits import quota_table_markdown

    return _between(
        text, "<!-- quotas:begin -->\n", "<!-- quotas:end -->", quota_table_markdown(load_catalog()), "docs/limits.md"
    )


def _unconfirmed(text: str) -> str:
    from sls_check.pricing.tables import BEGIN_UNCONFIRMED, END_UNCONFIRMED, unconfirmed_markdown

    pattern = re.compile(re.escape(BEGIN_UNCONFIRMED) + ".*?" + re.escape(END_UNCONFIRMED), re.S)
    if not pattern.search(text):
        raise SystemExit("docs/cost.md has no unconfirmed-prices section")
    return pattern.sub(lambda _m: unconfirmed_markdown(), text)


def _import(text: str) -> str:
    from sls_check.importers.mapping import events_table, markdown_table

    for name, table in (("events", events_table()), ("mapping", markdown_table())):
        text = _between(text, f"<!-- {name}:start -->\n", f"<!-- {name}:end -->", table, "docs/import.md")
    return text


def _coverage(text: str) -> str:
    import price_coverage

    return price_coverage.updated(text, price_coverage.markdown())


def _quickstart(text: str) -> str:
    import update_readme_quickstart

    return update_readme_quickstart.updated(text)


GENERATORS = (
    Generator("rules", "docs/rules.md", _rules),
    Generator("spec", "docs/spec.md", _spec),
    Generator("quotas", "docs/limits.md", _quotas),
    Generator("unconfirmed", "docs/cost.md", _unconfirmed),
    Generator("import", "docs/import.md", _import),
    Generator("coverage", "docs/pricing-coverage.md", _coverage),
    Generator("quickstart", "README.md", _quickstart),
)


def stale(skip: frozenset[str] = frozenset(), root: Path = ROOT) -> list[tuple[Generator, str]]:
    """(generator, regenerated text) for every file whose generated sections differ from the data."""
    out: list[tuple[Generator, str]] = []
    for gen in GENERATORS:
        if gen.name in skip:
            continue
        text = (root / gen.path).read_text(encoding="utf-8")
        new = gen.update(text)
        if new != text:
            out.append((gen, new))
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    skip = frozenset(argv[argv.index("--skip") + 1].split(",")) if "--skip" in argv else frozenset()
    unknown = skip - {g.name for g in GENERATORS}
    if unknown:
        print(f"unknown generator(s): {', '.join(sorted(unknown))}; known: {', '.join(g.name for g in GENERATORS)}")
        return 2
    changed = stale(skip)
    for gen, new in changed:
        if check:
            print(f"{gen.path}: the {gen.name} section is out of date: run python scripts/gen_docs.py")
        else:
            (ROOT / gen.path).write_text(new, encoding="utf-8")
            print(f"{gen.path}: {gen.name} section regenerated")
    return 1 if check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
