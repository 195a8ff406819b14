"""A short fuzz run of the whole ISDN stack (`make fuzz` runs a million inputs)."""

import pytest

from tests.fuzz.stack import run


@pytest.mark.parametrize("ptp", [False, True], ids=["ptmp", "ptp"])
def test_mutated_frames_raise_nothing_and_calls_still_complete(ptp):
    result = run(15_000, seed=7, ptp=ptp)
    assert result.total == 15_000
    assert result.calls_after == [True, True]
