"""The simulated S0 bus behaves as copper does, as far as layer 2 can tell."""

import pytest

from firmware.clock import VirtualClock
from firmware.ports.base import (
    BDataInd,
    BProtocol,
    L1State,
    PhActivateInd,
    PhDataInd,
    PhDeactivateInd,
    PortError,
)
from firmware.ports.sim import ACTIVATION_DELAY, SimBus
from firmware.system.board import PortSpec


def bus_with(n_te: int = 2):
    clock = VirtualClock()
    bus = SimBus("s0", clock)
    nt = bus.attach(PortSpec("nt", "bri", "nt", "ptmp", "sim"))
    tes = [bus.attach(PortSpec(f"te{i}", "bri", "te", "ptmp", "sim")) for i in range(n_te)]
    seen: dict[str, list] = {p.name: [] for p in [nt, *tes]}
    for p in [nt, *tes]:
        p.bind(seen[p.name].append)
    return clock, bus, nt, tes, seen


def test_activation_takes_the_i430_exchange_and_tells_every_end():
    clock, bus, nt, tes, seen = bus_with()
    tes[0].ph_activate_req()
    assert nt.l1_state is L1State.ACTIVATING
    clock.advance(ACTIVATION_DELAY / 2)
    assert all(not s for s in seen.values())
    clock.advance(ACTIVATION_DELAY)
    assert nt.l1_state is L1State.ACTIVATED
    assert all(s == [PhActivateInd(name)] for name, s in seen.items())


def test_nt_frames_reach_every_te_and_te_frames_reach_the_nt_only():
    clock, bus, nt, tes, seen = bus_with()
    nt.ph_activate_req()
    clock.advance(0.01)
    nt.ph_data_req(b"\x02\xff\x03\x08")
    tes[1].ph_data_req(b"\x00\x81\x7f")
    clock.run_pending()
    assert seen["te0"][-1] == PhDataInd("te0", b"\x02\xff\x03\x08")
    assert seen["te1"][-1] == PhDataInd("te1", b"\x02\xff\x03\x08")
    assert seen["nt"][-1] == PhDataInd("nt", b"\x00\x81\x7f")
    assert nt.counters["d_tx"] == 1 and nt.counters["d_rx"] == 1


def test_delivery_is_later_never_inside_the_senders_call_and_keeps_order():
    clock, bus, nt, tes, seen = bus_with(1)
    nt.ph_activate_req()
    clock.advance(0.01)
    for i in range(5):
        nt.ph_data_req(bytes([i]))
    assert len(seen["te0"]) == 1  # only the activation so far
    clock.run_pending()
    assert [e.frame for e in seen["te0"][1:]] == [bytes([i]) for i in range(5)]


def test_frames_on_a_dead_bus_are_dropped_and_counted():
    clock, bus, nt, tes, seen = bus_with(1)
    tes[0].ph_data_req(b"\x00\x01")
    clock.run_pending()
    assert seen["nt"] == [] and tes[0].counters["d_tx_dropped"] == 1


def test_only_the_nt_can_deactivate():
    clock, bus, nt, tes, seen = bus_with(1)
    nt.ph_activate_req()
    clock.advance(0.01)
    tes[0].ph_deactivate_req()
    clock.run_pending()
    assert bus.state is L1State.ACTIVATED
    nt.ph_deactivate_req()
    clock.run_pending()
    assert bus.state is L1State.DEACTIVATED
    assert seen["te0"][-1] == PhDeactivateInd("te0")


def test_unplugged_cable_stays_down_until_plugged_back():
    clock, bus, nt, tes, seen = bus_with(1)
    nt.ph_activate_req()
    clock.advance(0.01)
    bus.unplug()
    clock.run_pending()
    assert seen["nt"][-1] == PhDeactivateInd("nt")
    tes[0].ph_activate_req()
    clock.advance(1)
    assert bus.state is L1State.DEACTIVATED
    bus.plug()
    tes[0].ph_activate_req()
    clock.advance(0.01)
    assert bus.state is L1State.ACTIVATED


def test_b_channel_data_reaches_the_ends_that_opened_the_channel():
    clock, bus, nt, tes, seen = bus_with(2)
    nt.ph_activate_req()
    clock.advance(0.01)
    nt.b_open(1, BProtocol.RAW)
    tes[1].b_open(1, BProtocol.RAW)
    nt.b_data_req(1, b"\xd5" * 160)
    clock.run_pending()
    assert seen["te1"][-1] == BDataInd("te1", 1, b"\xd5" * 160)
    assert not any(isinstance(e, BDataInd) for e in seen["te0"])
    assert nt.status()["b_channels"] == {"1": "raw"}


def test_b_channel_misuse_is_a_clear_error():
    clock, bus, nt, tes, seen = bus_with(1)
    with pytest.raises(PortError, match="no B-channel 3"):
        nt.b_open(3, BProtocol.RAW)
    with pytest.raises(PortError, match="B2 is not open"):
        nt.b_data_req(2, b"x")


def test_a_bus_has_one_nt():
    clock, bus, nt, tes, seen = bus_with(1)
    with pytest.raises(PortError, match="already has an NT"):
        bus.attach(PortSpec("nt2", "bri", "nt", "ptmp", "sim"))
