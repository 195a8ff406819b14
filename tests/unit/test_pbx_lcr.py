"""Least-cost routing on a box with two trunk lines (each to its own virtual exchange):
outside numbers go out on the lines of the LCR rule with the longest matching prefix,
the next line is taken when one is full or answers with congestion."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.switch import PbxError
from firmware.sim.exchange import VirtualExchange
from firmware.sim.phones import CONNECTED, IDLE
from firmware.sim.pstn import DIRECTORY, Pstn, Subscriber
from tests.unit.pbx_box import OFFICE, Box

SIM_BOARD = Path(__file__).parents[2] / "board" / "sim" / "board.toml"
SECOND_TRUNK = """
[[ports]]
name = "trunk2"
kind = "bri"
role = "te"
mode = "ptmp"
backend = "sim"
[ports.sim]
far_end = "exchange"
"""


@pytest.fixture
def two_trunks(tmp_path) -> str:
    board = tmp_path / "board.toml"
    board.write_text(SIM_BOARD.read_text() + SECOND_TRUNK)
    return str(board)


def lcr_box(tmp_path, board: str, rules: list[dict]) -> Box:
    doc = copy.deepcopy(OFFICE) | {"lcr": rules}
    return Box(tmp_path, doc, board=board)


def exchange_of(box: Box, port: str) -> VirtualExchange:
    return next(p for p in box.world.peers
                if isinstance(p, VirtualExchange) and p.port.spec.name == f"{port}.exchange")


def called_on(box: Box, port: str) -> list[str]:
    return [c.called for c in box.lines[port].cc.calls.values()]


def test_the_longest_prefix_picks_the_line(tmp_path, two_trunks):
    box = lcr_box(tmp_path, two_trunks, [{"prefix": "0", "lines": ["trunk"]},
                                         {"prefix": "0301", "lines": ["trunk2", "trunk"]}])
    box.phone1.dial("00301234567")
    box.phone2.dial("00307654321")
    box.run(0.5)
    assert called_on(box, "trunk2") == ["0301234567"]
    assert called_on(box, "trunk") == ["0307654321"]
    box.run(2)
    assert box.phone1.state == CONNECTED


def test_a_full_line_is_skipped(tmp_path, two_trunks):
    box = lcr_box(tmp_path, two_trunks, [{"prefix": "", "lines": ["trunk2", "trunk"]}])
    box.lines["trunk2"].dial("0301234567")
    box.lines["trunk2"].dial("0301234567")
    box.run(2)
    assert box.lines["trunk2"].free_channels() == 0
    box.phone1.dial("00307654321")
    box.run(0.5)
    assert called_on(box, "trunk") == ["0307654321"]


def test_congestion_falls_back_to_the_next_line(tmp_path, two_trunks):
    box = lcr_box(tmp_path, two_trunks, [{"prefix": "", "lines": ["trunk2", "trunk"]}])
    exchange_of(box, "trunk2").pstn = Pstn(
        (Subscriber("0301234567", "congested", "congested"),))
    box.phone1.dial("00301234567")
    box.run(2)
    assert exchange_of(box, "trunk2").routed == 1
    assert called_on(box, "trunk") == ["0301234567"] and box.phone1.state == CONNECTED


def test_every_line_congested_or_full(tmp_path, two_trunks):
    box = lcr_box(tmp_path, two_trunks, [{"prefix": "", "lines": ["trunk2"]}])
    congested = Pstn((*DIRECTORY, Subscriber("0301230000", "congested", "congested")))
    exchange_of(box, "trunk2").pstn = congested
    box.phone1.dial("00301230000")
    box.run(1)
    assert box.phone1.state == IDLE
    assert box.phone1.last_cause == CauseValue.SWITCHING_EQUIPMENT_CONGESTION
    box.lines["trunk2"].dial("0301234567")
    box.lines["trunk2"].dial("0301234567")
    box.run(2)
    with pytest.raises(PbxError, match="cause 34"):
        box.pbx.check_lines(["21", "00301234567"], caller="21")
