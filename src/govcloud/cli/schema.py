"""`govcloud schema`: the JSON Schema of the topology file, for editors and CI."""

from __future__ import annotations

import click

from govcloud.console import print_json
from govcloud.model.schema import topology_schema


@click.command("schema")
def command() -> None:
    """Print the topology file's JSON Schema (editors complete and check against it)."""
    print_json(topology_schema())
