"""A client for Toxiproxy's HTTP API (the lab's fault proxy), with the standard library only.

Only ever pointed at the lab's own server on the loopback address (`API`); the drills cut and heal
links through it. Errors become `ToxiproxyError` (a usage error: exit code 2, no traceback).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from govcloud.diagnostics import RuntimeFailure

API_HOST = "127.0.0.1"
API_PORT = 8474


class ToxiproxyError(RuntimeFailure):
    pass


@dataclass(frozen=True, slots=True)
class Toxiproxy:
    host: str = API_HOST
    port: int = API_PORT
    timeout: float = 5.0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _call(self, method: str, path: str, body: object | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace").strip()
            raise ToxiproxyError(f"toxiproxy {method} {path}: HTTP {e.code} {detail[:200]}") from e
        except (urllib.error.URLError, OSError) as e:
            raise ToxiproxyError(f"toxiproxy at {self.url} is not answering ({e}); run `govcloud lab hosts up`") from e
        return json.loads(raw) if raw.strip() else None

    def alive(self) -> bool:
        try:
            self._call("GET", "/version")
        except ToxiproxyError:
            return False
        return True

    def proxies(self) -> dict[str, dict[str, Any]]:
        return dict(self._call("GET", "/proxies") or {})

    def populate(self, proxies: list[dict[str, object]]) -> None:
        """Create or update proxies by name (Toxiproxy leaves an unchanged one and its connections alone)."""
        self._call("POST", "/populate", proxies)

    def set_enabled(self, name: str, enabled: bool) -> None:
        """A disabled proxy closes its listener and every connection through it: the link is cut."""
        self._call("POST", f"/proxies/{name}", {"enabled": enabled})

    def set_latency(self, name: str, stream: str, latency_ms: int) -> None:
        """One latency toxic per direction (`upstream` towards the target, `downstream` back), kept in step."""
        toxic = f"latency_{stream}"
        existing = {t["name"]: t for t in self.proxies().get(name, {}).get("toxics", [])}
        attrs = {"latency": latency_ms, "jitter": 0}
        if toxic in existing:
            if existing[toxic].get("attributes") != attrs:
                self._call("POST", f"/proxies/{name}/toxics/{toxic}", {"attributes": attrs})
            return
        body = {"name": toxic, "type": "latency", "stream": stream, "toxicity": 1.0, "attributes": attrs}
        self._call("POST", f"/proxies/{name}/toxics", body)
