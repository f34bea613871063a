"""Backup schedules are read as Kubernetes reads them; the plain forms are checked without croniter,
and that check never accepts what croniter refuses."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from croniter import croniter
from pydantic import TypeAdapter, ValidationError

from govcloud.model.types import CronSchedule, plainly_valid

SCHEDULE = TypeAdapter(CronSchedule)
ROOT = Path(__file__).resolve().parents[3]
FIELDS = ("minute", "hour", "day-of-month", "month", "day-of-week")


@pytest.mark.parametrize(
    "text", ["0 2 * * *", "*/15 * * * *", "0 */4 * * *", "0 0 31 12 7", "5 4 ? * sun", "0 0 1-15/2 jan-jun *", "@daily"]
)
def test_schedules_kubernetes_reads_are_accepted(text: str) -> None:
    assert SCHEDULE.validate_python(text) == text


@pytest.mark.parametrize(
    "text",
    ["60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "0 2 * *", "0 0 L * *"],
)
def test_schedules_out_of_range_or_not_kubernetes_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        SCHEDULE.validate_python(text)


def _forms() -> list[str]:
    numbers = [str(n) for n in range(100)] + [f"0{n}" for n in range(10)]
    return ["*", *numbers, *(f"*/{n}" for n in numbers), "**", "*/", "1-5", "1,2", "mon", "٣"]


@pytest.mark.parametrize("field", range(5), ids=FIELDS)
def test_the_plain_check_accepts_a_field_only_where_croniter_does(field: int) -> None:
    for form in _forms():
        fields = ["*"] * 5
        fields[field] = form
        if plainly_valid(fields):
            assert croniter.is_valid(" ".join(fields)), fields


def test_the_plain_check_accepts_a_combination_only_where_croniter_does() -> None:
    # each field's edges and its widest step, in every combination (out-of-range forms are the per-field test's)
    per_field = [["*", str(lo), str(hi), f"*/{hi - lo + 1}"] for lo, hi in ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))]
    for fields in itertools.product(*per_field):
        if plainly_valid(list(fields)):
            assert croniter.is_valid(" ".join(fields)), fields


def test_every_schedule_of_the_reference_province_is_checked_without_croniter() -> None:
    schedules = set(re.findall(r'backup_schedule: "([^"]+)"', (ROOT / "topology.yaml").read_text()))
    assert schedules and all(plainly_valid(s.split()) for s in schedules)
