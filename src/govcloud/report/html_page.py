"""What every self-contained HTML page of govcloud shares (the KPI report, the drill report): the
Content-Security-Policy that forbids fetching anything, the base styles, escaping and the page shell.
Styles inline, no scripts, fonts or images fetched, so a page opens the same from a mail attachment,
a USB stick or an air-gapped network."""

from __future__ import annotations

from html import escape

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

BASE_STYLE = """
:root { --ok: #1b7f3b; --bad: #b42318; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --bg: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
       color: var(--ink); background: var(--bg); }
header { background: #102a43; color: #fff; padding: 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: #bcccdc; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 40px 48px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px 24px; margin: 20px 0; }
h2 { font-size: 19px; margin: 4px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 13px; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 13px; color: #fff; }
.met { background: var(--ok); } .below { background: var(--bad); }
code { font-size: 13px; }
footer { color: var(--muted); font-size: 13px; }
"""


def e(text: object) -> str:
    """Text (or an attribute value) escaped for HTML."""
    return escape(str(text), quote=True)


def page(title: str, style: str, header: str, body: str, footer: str) -> str:
    """A whole page: `title` is plain text (escaped here); `header`, `body` and `footer` are HTML."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{BASE_STYLE}{style}</style>\n</head>\n<body>\n"
        f"<header>{header}</header>\n<main>\n{body}\n<footer>{footer}</footer>\n</main>\n</body>\n</html>\n"
    )
