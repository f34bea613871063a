"""The checker's verdict from acknowledgements and surviving rows (pure: no database)."""

from __future__ import annotations

from collections import Counter

from govcloud.drill.checker import Write, judge

A, B = "172.29.0.10", "172.29.1.10"
NAMES = {A: "prod", B: "aa"}


def writes(*spec: tuple[int, float, str | None]) -> list[Write]:
    return [Write(seq, t - 0.01, t if node else None, node, None if node else "timeout") for seq, t, node in spec]


def test_nothing_lost_when_every_acknowledged_seq_survives() -> None:
    w = writes((1, 1.0, A), (2, 2.0, A), (3, 5.0, None), (4, 9.0, B))
    v = judge(w, Counter({1: 1, 2: 1, 4: 1}), fault_at=2.5, name=NAMES)
    assert (v.lost, v.duplicates, v.split_brain) == ([], [], False)
    assert (v.old_primary, v.new_primary) == ("prod", "aa")
    assert v.rto_s == 6.5
    assert v.longest_gap_s == 7.0


def test_an_acknowledged_write_missing_on_the_survivor_is_lost_with_its_span() -> None:
    w = writes((1, 1.0, A), (2, 2.0, A), (3, 2.4, A), (4, 9.0, B))
    v = judge(w, Counter({1: 1, 4: 1}), fault_at=2.5, name=NAMES)
    assert v.lost == [2, 3]
    assert abs(v.lost_seconds - 1.4) < 1e-9  # from the last surviving write (1.0) to the last lost (2.4)


def test_unacknowledged_rows_that_survive_are_not_losses_and_a_seq_twice_is_a_duplicate() -> None:
    w = writes((1, 1.0, A), (2, 5.0, None), (3, 9.0, B))
    v = judge(w, Counter({1: 1, 2: 1, 3: 2}), fault_at=2.0, name=NAMES)
    assert v.lost == []
    assert v.duplicates == [3]


def test_two_primaries_acknowledging_in_overlapping_time_is_split_brain() -> None:
    w = writes((1, 1.0, A), (2, 3.0, B), (3, 4.0, A), (4, 5.0, B))
    v = judge(w, Counter({1: 1, 2: 1, 3: 1, 4: 1}), fault_at=2.0, name=NAMES)
    assert v.split_brain
    assert "prod" in v.split_brain_detail and "aa" in v.split_brain_detail


def test_no_write_on_a_new_primary_means_no_rto() -> None:
    w = writes((1, 1.0, A), (2, 4.0, A))
    v = judge(w, Counter({1: 1, 2: 1}), fault_at=2.0, name=NAMES)
    assert v.rto_s is None and v.new_primary is None
