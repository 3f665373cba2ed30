"""`stames-sf`: one command per stage. Each verb is a thin layer over a typed service.

Heavy libraries (dlt, dbt, Great Expectations) are imported inside the commands that need them,
so `stames-sf --help` stays fast.
"""

from __future__ import annotations

import warnings

import typer

from stames_sf.commands import (
    dataset,
    delta,
    demo,
    discover,
    extract,
    handoff,
    load,
    mapping,
    reconcile,
    rollback,
    run,
    salesforce,
    schema,
    stames,
    transform,
    users,
    validate,
)

# PySpark warns about pandas 3 when it is imported, by the Spark transform or by Great
# Expectations finding it installed; neither uses PySpark's pandas bridge.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)

app = typer.Typer(
    name="stames-sf",
    help="Migrate a Stames helpdesk into Salesforce Service Cloud.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(stames.app, name="stames", help="The local Stames API server.")
app.add_typer(dataset.app, name="dataset", help="Stames dataset folders (§3b format).")
app.add_typer(salesforce.app, name="salesforce", help="The local Salesforce org emulator.")
app.add_typer(schema.app, name="schema", help="The Salesforce metadata the mapping needs, and the preflight.")
app.command(name="extract")(extract.extract)
app.command(name="discover")(discover.discover)
app.add_typer(mapping.app, name="map", help="Propose, review and confirm the Stames → Salesforce mapping.")
app.command(name="transform")(transform.transform)
app.command(name="validate")(validate.validate)
app.command(name="users")(users.users)
app.command(name="load")(load.load)
app.command(name="reconcile")(reconcile.reconcile)
app.command(name="rollback")(rollback.rollback)
app.command(name="delta")(delta.delta)
app.command(name="handoff")(handoff.handoff)
app.command(name="demo")(demo.demo)
app.command(name="run")(run.run)

if __name__ == "__main__":
    app()
