"""Model stage: the topology as typed, strict pydantic v2 objects."""

from govcloud.model.decode import decode
from govcloud.model.topology import API_VERSION, KIND, Topology

__all__ = ["API_VERSION", "KIND", "Topology", "decode"]
