"""`govcloud explain RULE`: why a rule exists and where it comes from."""

from __future__ import annotations

import click

from govcloud.cli.options import output_option
from govcloud.console import echo, print_json
from govcloud.diagnostics import UsageError
from govcloud.rules import REGISTRY


@click.command("explain")
@click.argument("rule", required=False)
@output_option("text", "json")
def command(rule: str | None, output: str) -> None:
    """Explain RULE (e.g. GC034), or list every rule."""
    if rule is None:
        rows: list[dict[str, str]] = [
            {"id": r.id, "name": r.name, "severity": str(r.severity), "category": r.category, "title": r.title}
            for r in REGISTRY.values()
        ]
        if output == "json":
            print_json(rows)
        else:
            for row in rows:
                echo(f"{row['id']}  {row['severity']:<7} {row['category']:<10} {row['name']:<28} {row['title']}")
        return
    key = rule.upper()
    r = REGISTRY.get(key) or next((x for x in REGISTRY.values() if x.name == rule), None)
    if r is None:
        raise UsageError(f"no rule {rule!r}; `govcloud explain` lists them")
    if output == "json":
        print_json(
            {
                "id": r.id,
                "name": r.name,
                "severity": str(r.severity),
                "category": r.category,
                "title": r.title,
                "rationale": r.rationale,
                "source": r.source,
            }
        )
        return
    echo(f"{r.id} {r.name} ({r.severity}, {r.category})\n{r.title}\n\n{r.rationale}\n\nSource: {r.source}")
