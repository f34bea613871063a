"""Reports: machine formats for findings (SARIF), plan summaries for people."""
