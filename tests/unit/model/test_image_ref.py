"""Image references are read as the container runtime reads them (the distribution reference grammar)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from govcloud.model.types import ImageRef

IMAGE = TypeAdapter(ImageRef)


@pytest.mark.parametrize(
    "ref",
    [
        "registry.k8s.io/pause:3.10",
        "pause",
        "localhost:5000/gc/app_x:v1_2.3-rc",
        "gc/backup@sha256:" + "ab" * 32,
        "reg.example:443/a/b:tag@sha256:" + "0f" * 32,
    ],
)
def test_references_the_runtime_reads_are_accepted(ref: str) -> None:
    assert IMAGE.validate_python(ref) == ref


@pytest.mark.parametrize(
    "ref",
    [
        "pause:版本1",  # Go's \w is ASCII: a tag is [0-9A-Za-z_][0-9A-Za-z_.-]*
        "pause:ｖ1",  # a full-width letter
        "registry:٥٠٠٠/pause:1",  # a port in Arabic-Indic digits
        "pause:.hidden",
        "Pause:1",
        "pause:" + "a" * 129,
    ],
)
def test_references_the_runtime_refuses_are_refused(ref: str) -> None:
    with pytest.raises(ValidationError):
        IMAGE.validate_python(ref)
