"""The HA clusters' DCS (the lab's etcd, one member per centre) as a declared disaster and its
failback need it, from the controller: Patroni's keys and the membership through etcd's v2 API (the
one Patroni's client speaks, see roles/patroni/tasks/etcd.yml; etcd's v3 JSON gateway is off when
etcd reads a config file that does not enable it).

The controller reaches each member's client port on its centre network directly, as it does
Patroni's REST API; nothing here goes through the fault proxy.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from govcloud.diagnostics import RuntimeFailure
from govcloud.plan.ha import ETCD_CLIENT_PORT, ETCD_PEER_PORT, Member, ha_name

NAMESPACE = "govcloud"  # patroni_namespace in roles/patroni/defaults/main.yml, without its slashes


class DcsError(RuntimeFailure):
    pass


def client_url(member: Member) -> str:
    return f"http://{member.ipv4}:{ETCD_CLIENT_PORT}"


def peer_url(member: Member) -> str:
    """The peer URL members advertise (roles/patroni/templates/etcd.yml.j2): names every centre
    resolves to its fault-proxy address, so peer traffic crosses the links the drills cut."""
    return f"http://{ha_name(member.host)}:{ETCD_PEER_PORT}"


def _call(url: str, *, method: str = "GET", data: bytes | None = None, form: bool = False, timeout: float = 3.0) -> Any:
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded" if form else "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        body = e.read().decode(errors="replace")
        if e.code == 404:
            return None
        raise DcsError(f"etcd {method} {url}: HTTP {e.code} {body[:200]}") from e
    except (urllib.error.URLError, OSError, json.JSONDecodeError) as e:
        raise DcsError(f"etcd at {url} is not answering: {e}") from e


def healthy(member: Member) -> bool:
    try:
        body = _call(client_url(member) + "/health", timeout=1.0)
    except DcsError:
        return False
    return isinstance(body, dict) and str(body.get("health")) == "true"


def members(member: Member) -> list[dict[str, Any]]:
    """The cluster's members as `member` sees them: name ('' while unstarted), id, peer URLs."""
    body = _call(client_url(member) + "/v2/members")
    return list((body or {}).get("members") or [])


def add_member(member: Member, new: Member) -> None:
    body = json.dumps({"peerURLs": [peer_url(new)]}).encode()
    _call(client_url(member) + "/v2/members", method="POST", data=body)


def _key(scope: str, name: str = "") -> str:
    return f"/v2/keys/{NAMESPACE}/{urllib.parse.quote(scope)}" + (f"/{name}" if name else "")


def get_config(member: Member, scope: str) -> dict[str, Any] | None:
    """Patroni's dynamic configuration of `scope`, as stored in the DCS (None: no such key)."""
    body = _call(client_url(member) + _key(scope, "config"))
    if not body:
        return None
    value = json.loads(body["node"]["value"])
    return value if isinstance(value, dict) else None


def delete_scope(member: Member, scope: str) -> bool:
    """Every key of a Patroni cluster (leader, members, initialize, history, config…); False: none."""
    url = client_url(member) + _key(scope) + "?recursive=true&dir=true"
    return _call(url, method="DELETE") is not None


def put_config(member: Member, scope: str, config: dict[str, Any]) -> None:
    data = urllib.parse.urlencode({"value": json.dumps(config, separators=(",", ":"))}).encode()
    _call(client_url(member) + _key(scope, "config"), method="PUT", data=data, form=True)
