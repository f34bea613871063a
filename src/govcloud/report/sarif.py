"""SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, VS Code SARIF viewer)."""

from __future__ import annotations

from typing import Any

from govcloud import __version__
from govcloud.diagnostics import Diagnostic, Severity
from govcloud.rules import REGISTRY

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(diags: list[Diagnostic]) -> dict[str, Any]:
    used = sorted({d.rule for d in diags})
    rules = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.rationale},
            "help": {"text": f"{r.rationale} Source: {r.source}"},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
        }
        for r in (REGISTRY[i] for i in used if i in REGISTRY)
    ]
    results = []
    for d in diags:
        res: dict[str, Any] = {
            "ruleId": d.rule,
            "level": _LEVEL[d.severity],
            "message": {"text": f"{d.message}" + (f" — {d.hint}" if d.hint else "")},
        }
        if d.location:
            res["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.location.file},
                        "region": {"startLine": d.location.line, "startColumn": d.location.column},
                    }
                }
            ]
        results.append(res)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "govcloud",
                        "version": __version__,
                        "informationUri": "https://govcloud.dev",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
