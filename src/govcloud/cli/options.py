"""Options several commands share."""

import click

from govcloud.pipeline import DEFAULT_TOPOLOGY

topology_argument = click.argument(
    "topology", default=DEFAULT_TOPOLOGY, metavar="[FILE]", type=click.Path(dir_okay=True, path_type=str)
)


def output_option(*choices: str) -> "click.decorators.FC":  # type: ignore[name-defined]
    return click.option(
        "--output", "-o", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format."
    )
