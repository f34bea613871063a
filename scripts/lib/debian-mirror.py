#!/usr/bin/python3
"""Print the Debian mirror apt already uses on this machine for SUITE's `main` (the first one).

Usage: scripts/lib/debian-mirror.py SUITE. Exit 1 if no apt source has it. Read by the image
builds (images/*/build.sh), which debootstrap from the same mirror apt reaches. Both source
formats are read: one-line `deb [options] uri suite components` and deb822 `.sources` stanzas.
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterator

Entry = tuple[str, list[str], list[str]]


def lines(path: str) -> list[str]:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.readlines()


def one_line(path: str) -> Iterator[Entry]:
    for line in lines(path):
        f = line.split("#", 1)[0].split()
        if len(f) >= 4 and f[0] == "deb":
            if f[1].startswith("["):  # options: deb [arch=… signed-by=…] uri suite comps
                while len(f) > 1 and not f[1].endswith("]"):
                    del f[1]
                del f[1]
            if len(f) >= 4:
                yield f[1], [f[2]], f[3:]


def deb822(path: str) -> Iterator[Entry]:
    stanza: dict[str, str] = {}
    for line in [*lines(path), ""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if stanza and stanza.get("enabled", "yes").lower() != "no" and "deb" in stanza.get("types", "").split():
                for uri in stanza.get("uris", "").split():
                    yield uri, stanza.get("suites", "").split(), stanza.get("components", "").split()
            stanza = {}
            continue
        if ":" in line and not line[0].isspace():
            k, v = line.split(":", 1)
            stanza[k.strip().lower()] = v.strip()


def main(suite: str) -> int:
    files = [
        "/etc/apt/sources.list",
        *sorted(glob.glob("/etc/apt/sources.list.d/*.list")),
        *sorted(glob.glob("/etc/apt/sources.list.d/*.sources")),
    ]
    for path in files:
        try:
            entries = list(deb822(path) if path.endswith(".sources") else one_line(path))
        except OSError:
            continue
        for uri, suites, comps in entries:
            if suite in suites and "main" in comps:
                print(uri.rstrip("/"))
                return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
