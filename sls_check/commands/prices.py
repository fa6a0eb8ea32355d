"""`slscheck prices update|status`: refresh the price tables from the AWS Price List.

Exit codes: 0 updated (or the status printed); 2 nothing was written (no network, a cut
download, a Region without an offer file, a dimension the map cannot find), each problem on
its own line. The importer (sls_check.pricelist) is imported only here, inside the commands.
"""

from __future__ import annotations

import typer

from sls_check.commands.common import check_format, region_option
from sls_check.model import InputError, Problem

prices_app = typer.Typer(
    name="prices",
    help="Refresh price tables from the AWS Price List (user cache, or pricing/ with --maintainer).",
    no_args_is_help=True,
)


def _fail(problems: list[str]) -> InputError:
    from sls_check.model import Location

    out: list[Problem] = []
    for line in problems:
        if line.startswith("<command line>:1:1: "):
            out.append(Problem(Location("<command line>", 1, 1), line.removeprefix("<command line>:1:1: ")))
        else:
            out.append(Problem(Location("prices update", 1, 1), line))
    return InputError(out)


@prices_app.command("update")
def update(
    region: list[str] = typer.Option(
        [], "--region", "-r", help="A Region to fetch (repeat; default: the ten of the map)."
    ),
    service: list[str] = typer.Option(
        [],
        "--service",
        "-s",
        help="A price table (lambda, dynamodb, ...) or offer code to fetch (repeat; default: all).",
    ),
    source: str | None = typer.Option(
        None,
        "--source",
        help="Where the Price List is: an http(s) address serving its paths or a folder laid out the same "
        "(default https://pricing.us-east-1.amazonaws.com).",
    ),
    maintainer: bool = typer.Option(
        False, "--maintainer", help="Rewrite pricing/ of this checkout instead of the user cache."
    ),
    form: str = typer.Option("json", "--form", help="Offer file form to download: json or csv."),
) -> None:
    """Download the offer files, map them to price dimensions and write the tables (all or nothing)."""
    from sls_check.pricelist.update import UpdateError
    from sls_check.pricelist.update import update as run

    form = check_format(form, ("json", "csv"), "--form")
    regions = [r for r in (region_option(r) for r in region) if r]
    try:
        done = run(regions=regions or None, services=service or None, source=source, maintainer=maintainer, form=form)
    except UpdateError as exc:
        raise _fail(exc.problems) from None
    for f in done.fetched:
        typer.echo(
            f"{f.table} {f.region}: {f.dimensions} dimensions from {f.offer_code} version {f.version} "
            f"(published {f.published})" + (f"; not offered there: {', '.join(f.absent)}" if f.absent else "")
        )
    typer.echo(f"wrote {len(done.files)} files to {done.folder}")
    raise typer.Exit(0)


@prices_app.command("status")
def status() -> None:
    """What the user price cache holds: table, Region, offer version, publication date, date written."""
    from sls_check.pricelist.status import cached

    rows, folder = cached()
    if folder is None:
        typer.echo("the user price cache is turned off (SLSCHECK_PRICES_DIR is empty)")
    elif not rows:
        typer.echo(f"the user price cache is empty ({folder}); `slscheck cost` uses the packaged tables")
    else:
        typer.echo(f"user price cache: {folder} (preferred by `slscheck cost`, file by file)")
        for row in rows:
            typer.echo(f"  {row}")
    raise typer.Exit(0)


def register(app: typer.Typer) -> None:
    app.add_typer(prices_app, name="prices")
