"""The BRI limit on the simulated box: the trunk has two B-channels, and a third call
meets cause 34 (no circuit/channel available, Q.850) in both directions, with a CDR row
and no call placed."""

from __future__ import annotations

import pytest

from firmware.api.pbx_commands import originate
from firmware.api.protocol import ApiError
from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.legs import OriginateHooks
from firmware.sim.phones import CONNECTED, IDLE
from tests.unit.pbx_box import Box


@pytest.fixture
def box(tmp_path):
    return Box(tmp_path)


def fill_the_trunk(box: Box) -> None:
    """B1: a PSTN caller talks to 21; B2: a bare call from the box to a subscriber."""
    box.exchange.call_box("5551021", "0301112222")
    box.run(0.5)
    box.phone1.answer()
    box.lines["trunk"].dial("0301234567")
    box.run(2)
    assert box.phone1.state == CONNECTED
    assert box.lines["trunk"].free_channels() == 0


def test_third_incoming_call_is_refused_with_cause_34(box):
    fill_the_trunk(box)
    call = box.exchange.call_box("5551022", "0307770000")
    box.run(0.5)
    assert box.phone2.state == IDLE  # nothing rang inside
    box.run(6)  # P-MP: the exchange waits for other terminals until T312
    assert box.exchange.causes[call] == CauseValue.NO_CIRCUIT_AVAILABLE
    (row,) = box.cdrs()
    assert (row["direction"], row["src"], row["msn"], row["disposition"], row["cause"]) == \
        ("in", "0307770000", "5551022", "FAILED", "34")
    assert "refused" in box.states()


def test_third_outgoing_call_from_a_phone_gets_34_and_nothing_is_dialled(box):
    fill_the_trunk(box)
    routed = box.exchange.routed
    box.phone2.dial("00307654321")
    box.run(1)
    assert box.phone2.state == IDLE
    assert box.phone2.last_cause == CauseValue.NO_CIRCUIT_AVAILABLE
    assert box.exchange.routed == routed  # no SETUP reached the exchange
    (row,) = box.cdrs()
    assert (row["direction"], row["src"], row["dst"], row["cause"]) == \
        ("out", "22", "00307654321", "34")


def test_dial_through_the_api_on_a_full_trunk_is_a_clear_error(box):
    fill_the_trunk(box)
    with pytest.raises(ApiError, match="cause 34"):
        originate(box.pbx, "22", "00307654321")
    assert box.phone2.state == IDLE and box.cdrs() == []


def test_the_callback_services_originate_fails_in_the_call_instead(box):
    """It is not refused up front: the call ends with 34 and the service retries."""
    fill_the_trunk(box)
    ended = []
    call = box.pbx.originate(["22"], "00307654321", hooks=OriginateHooks(ended=ended.append))
    box.run(0.5)
    box.phone2.answer()
    box.run(1)
    assert ended == [call] and call.stage == 2
    assert call.failure_cause == CauseValue.NO_CIRCUIT_AVAILABLE


def test_a_channel_frees_up_and_the_next_call_goes_through(box):
    fill_the_trunk(box)
    box.phone1.hangup()
    box.run(1)
    assert box.lines["trunk"].free_channels() == 1
    box.phone2.dial("00301234567")
    box.run(2)
    assert box.phone2.state == CONNECTED
