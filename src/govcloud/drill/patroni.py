"""Patroni's REST API, read from the controller. Only ever explains a drill: the checker judges."""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from typing import Any

from govcloud.diagnostics import RuntimeFailure


class PatroniError(RuntimeFailure):
    pass


def get(api: str, path: str, timeout: float = 1.0) -> tuple[int, Any]:
    """(status, decoded body); status 0 when the member does not answer."""
    try:
        with urllib.request.urlopen(api + path, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:  # 503 from a health endpoint still carries the member's state
        try:
            return e.code, json.loads(e.read() or b"null")
        except json.JSONDecodeError:
            return e.code, None
    except (urllib.error.URLError, OSError, json.JSONDecodeError):
        return 0, None


def post(
    api: str, path: str, body: dict[str, Any], user: str, password: str, timeout: float = 30.0, method: str = "POST"
) -> tuple[int, str]:
    req = urllib.request.Request(api + path, data=json.dumps(body).encode(), method=method)
    req.add_header("Content-Type", "application/json")
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as e:
        raise PatroniError(f"Patroni at {api} is not answering: {e}") from e


def cluster(api: str) -> dict[str, Any] | None:
    status, body = get(api, "/cluster")
    return body if status == 200 and isinstance(body, dict) else None


def leader_of(view: dict[str, Any] | None) -> str | None:
    for m in (view or {}).get("members", []):
        if m.get("role") in ("leader", "master", "primary") and m.get("state") == "running":
            return str(m["name"])
    return None


def history(api: str) -> list[dict[str, Any]]:
    """Patroni's timeline history: one entry per promotion, with the time the new timeline began."""
    status, body = get(api, "/history", timeout=2.0)
    out = []
    for row in body if status == 200 and isinstance(body, list) else []:
        if isinstance(row, list) and len(row) >= 4:
            try:
                at = datetime.fromisoformat(str(row[3])).timestamp()
            except ValueError:
                continue
            out.append({"timeline": row[0] + 1, "at": at, "reason": row[2], "leader": row[4] if len(row) > 4 else None})
    return out


LOCK_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO: "
    r"(promoted self to leader by acquiring session lock|acquired session lock as a leader)"
)


def lock_times(log_text: str, utc_offset: timedelta) -> list[float]:
    """When this member took the leader lock, from its Patroni log (local wall-clock lines)."""
    out = []
    for line in log_text.splitlines():
        m = LOCK_LINE.match(line)
        if m:
            local = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f")
            out.append(local.replace(tzinfo=timezone(utc_offset)).timestamp())
    return out
