"""Rules enforced while reading the file (loader and decoder); listed so `explain` knows them."""

from govcloud.diagnostics import Severity
from govcloud.rules.base import Rule

IO = Rule(
    "GC000",
    "readable-file",
    Severity.ERROR,
    "The topology file can be read",
    "govcloud reads one UTF-8 text file of at most 8 MiB. A missing or unreadable path, a directory, "
    "a device, a FIFO or a socket, a binary or non-UTF-8 file stops everything before any rule runs "
    "(nothing is read from what is not a regular file). A command that reads the topology "
    "(`govcloud validate`, `plan`, `render`, …) then exits with 2, a usage or I/O error, not 1: "
    "what it was given is not a design with errors but no design at all.",
    "govcloud's exit codes: 0 ok, 1 design errors, 2 usage or I/O errors, 3 a bug in govcloud, 4 a runtime "
    "failure (README, `govcloud --help`)",
    category="syntax",
)
YAML = Rule(
    "GC001",
    "yaml-syntax",
    Severity.ERROR,
    "The file is one well-formed YAML document",
    "Every node keeps its file, line and column so later findings can point at it. Duplicate keys are "
    "refused (PyYAML would silently keep the last one); so are merge keys, several documents, tags "
    "other than YAML's core scalars, nesting deeper than 64 levels, more than 250,000 nodes (counting "
    "what aliases expand to: alias bombs) and aliases that contain themselves, which no topology needs. "
    "A scalar YAML cannot build (`!!int xyz`, `2024-13-45`, a 5,000-digit number) is reported where "
    "it is written.",
    "YAML 1.1; yamllint's key-duplicates rule",
    category="syntax",
)
SCHEMA = Rule(
    "GC002",
    "schema",
    Severity.ERROR,
    "Every field is known and of the right type",
    "The model is strict: an unknown field is a typo until proven otherwise, and a wrong type is "
    "reported where it was written. `govcloud schema` prints the JSON Schema editors use to complete "
    "and check the file as you type.",
    "govcloud topology schema (docs/topology-reference.md)",
    category="syntax",
)
VERSION = Rule(
    "GC003",
    "api-version",
    Severity.ERROR,
    "apiVersion and kind name this format",
    "The header is checked before the rest is decoded, so a file written for another version gets one "
    "clear message instead of a hundred field errors.",
    "kind's versioned configuration; govcloud.dev/v1alpha1",
    category="syntax",
)

RULES = (IO, YAML, SCHEMA, VERSION)
