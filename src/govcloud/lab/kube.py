"""Talking to a lab cluster: a client per kubeconfig context, readiness probes, server-side apply."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from kubernetes import client, config
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import ResourceNotFoundError

FIELD_MANAGER = "govcloud"


def api_client(kubeconfig: Path, context: str) -> client.ApiClient:
    api: client.ApiClient = config.new_client_from_config(config_file=str(kubeconfig), context=context)
    return api


def probe(url: str, ca: Path, cert: Path, key: Path, timeout: float = 2.0) -> bool:
    """GET url with a client cert (the admin one, or the apiserver's etcd client cert); True on HTTP 200."""
    ctx = ssl.create_default_context(cafile=str(ca))
    ctx.load_cert_chain(str(cert), str(key))
    try:
        with urllib.request.urlopen(url, context=ctx, timeout=timeout) as r:
            status: int = r.status
            return status == 200
    except (urllib.error.URLError, OSError, ssl.SSLError):
        return False


class Applier:
    """Server-side apply of plain dict objects to one cluster (field manager `govcloud`)."""

    def __init__(self, api: client.ApiClient) -> None:
        self.api = api
        self.dyn = DynamicClient(api)

    def resource(self, obj: dict[str, Any]) -> Any:
        return self.dyn.resources.get(api_version=obj["apiVersion"], kind=obj["kind"])

    def apply(self, obj: dict[str, Any]) -> tuple[Any, bool]:
        """Apply one object; returns (live object, changed?)."""
        res = self.resource(obj)
        meta = obj["metadata"]
        ns = meta.get("namespace") if res.namespaced else None
        before = None
        try:
            before = res.get(name=meta["name"], namespace=ns)
        except client.exceptions.ApiException as e:
            if e.status != 404:
                raise
        live = res.server_side_apply(
            body=obj, name=meta["name"], namespace=ns, field_manager=FIELD_MANAGER, force_conflicts=True
        )
        changed = before is None or before.metadata.resourceVersion != live.metadata.resourceVersion
        return live, changed

    def create_if_missing(self, obj: dict[str, Any]) -> bool:
        """Create (keeping status, which apply would drop); leave an existing object alone."""
        res = self.resource(obj)
        meta = obj["metadata"]
        ns = meta.get("namespace") if res.namespaced else None
        try:
            res.get(name=meta["name"], namespace=ns)
            return False
        except client.exceptions.ApiException as e:
            if e.status != 404:
                raise
        res.create(body=obj, namespace=ns)
        return True


__all__ = ["FIELD_MANAGER", "Applier", "ResourceNotFoundError", "api_client", "probe"]
