"""Mermaid helpers: node ids and label text that survive Mermaid's parser."""


def node_id(name: str) -> str:
    """Names are DNS labels; Mermaid keywords (`end`, `graph`) must not be ids, so prefix them."""
    return "n_" + name.replace("-", "_").replace("/", "__")


def text(label: str) -> str:
    return label.replace('"', "#quot;")
