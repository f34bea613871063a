"""govcloud: a provincial government cloud and network, from one topology file.

The flow: load → model → rules → plan → renderers → deployers → lab → verification.
Each stage is a module of this package; nothing downstream reaches back upstream.
"""

__version__ = "0.1.0"
