"""The files `govcloud report` writes: one KPI document as JSON, Markdown and a self-contained HTML page."""

from __future__ import annotations

import json
from typing import Any

from govcloud.report.kpi_html import render_html
from govcloud.report.kpi_markdown import render_markdown

MARKER = ".govcloud-report.json"
JSON, MARKDOWN, HTML = "kpis.json", "kpis.md", "kpis.html"


def report_files(doc: dict[str, Any]) -> dict[str, str]:
    """File name → content; byte-identical for the same plan (sorted keys, no timestamps)."""
    files = {
        JSON: json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        MARKDOWN: render_markdown(doc),
        HTML: render_html(doc),
    }
    return files
