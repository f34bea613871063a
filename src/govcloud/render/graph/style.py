"""Colours and shapes shared by the DOT and Mermaid diagrams, so a cloud looks the same everywhere."""

from govcloud.model.topology import CentreRole, CloudKind, HostRole, ZoneKind
from govcloud.render.graph.dot import Attrs

CLOUD_COLOUR = {CloudKind.PROVINCIAL: "#1f4e8c", CloudKind.CITY: "#2a8c82", CloudKind.INDUSTRY: "#c0661c"}
CLOUD_FILL = {CloudKind.PROVINCIAL: "#dce8f7", CloudKind.CITY: "#dcf2ef", CloudKind.INDUSTRY: "#fbe8d6"}
ROLE_SHAPE = {CentreRole.PRODUCTION: "box", CentreRole.ACTIVE_ACTIVE: "box", CentreRole.REMOTE_DR: "box3d"}
ZONE_FILL = {
    ZoneKind.INTERNET: "#fdecea",
    ZoneKind.EXTRANET: "#e8f1fb",
    ZoneKind.DEDICATED: "#e9f7ec",
    ZoneKind.MANAGEMENT: "#f1f1f1",
}
HOST_SHAPE = {HostRole.DATABASE: "cylinder", HostRole.BACKUP: "folder", HostRole.GATEWAY: "hexagon"}
LINK_STYLE: dict[str, Attrs] = {
    "same-city": {"color": "#1f4e8c", "penwidth": 2.5, "style": "solid"},
    "remote-dr": {"color": "#7a3fa0", "penwidth": 2.0, "style": "solid"},
    "backup-partner": {"color": "#6b7785", "penwidth": 1.2, "style": "dashed"},
}
