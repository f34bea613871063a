"""Options several commands share."""

from collections.abc import Callable

import click
from click.decorators import FC

from govcloud.pipeline import DEFAULT_TOPOLOGY

topology_argument = click.argument(
    "topology", default=DEFAULT_TOPOLOGY, metavar="[FILE]", type=click.Path(dir_okay=True, path_type=str)
)


def output_option(*choices: str) -> Callable[[FC], FC]:
    return click.option(
        "--output", "-o", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format."
    )
