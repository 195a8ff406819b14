"""The console's line editor: what a dumb serial terminal sends, what it gets back."""

from __future__ import annotations

import random

from firmware.console.lineedit import BELL, ERASE, Echo, Line, LineEditor


def lines(items):
    return [i for i in items if isinstance(i, Line)]


def echoed(items):
    return b"".join(i.data for i in items if isinstance(i, Echo))


def test_cr_lf_and_crlf_each_end_exactly_one_line():
    ed = LineEditor()
    out = ed.feed(b"status\rports\nping\r\ncalls\r")
    assert [ln.text for ln in lines(out)] == ["status", "ports", "ping", "calls"]


def test_backspace_and_delete_erase_one_character_on_screen_and_in_the_line():
    ed = LineEditor()
    out = ed.feed(b"stx\x08atus") + ed.feed(b"s\x7f\r")
    assert [ln.text for ln in lines(out)] == ["status"]
    assert echoed(out).count(ERASE) == 2


def test_ctrl_u_clears_and_ctrl_c_abandons_the_line():
    ed = LineEditor()
    assert [ln.text for ln in lines(ed.feed(b"garbage\x15ping\r"))] == ["ping"]
    out = ed.feed(b"reboot\x03")
    assert lines(out) == [Line("", cancelled=True)]
    assert ed.text == ""


def test_arrow_keys_are_swallowed_whole():
    ed = LineEditor()
    out = ed.feed(b"pi\x1b[Ang\x1b[D\r")
    assert [ln.text for ln in lines(out)] == ["ping"]


def test_a_utf8_character_split_across_reads_survives_and_bad_bytes_are_dropped():
    ed = LineEditor()
    word = "Pöhl".encode()
    out = ed.feed(word[:2]) + ed.feed(word[2:] + b"\xff\xfe\r")
    assert [ln.text for ln in lines(out)] == ["Pöhl"]


def test_an_overlong_line_rings_the_bell_instead_of_growing():
    ed = LineEditor(max_len=8)
    out = ed.feed(b"x" * 12)
    assert ed.text == "x" * 8
    assert echoed(out).count(BELL) == 4


def test_line_noise_never_raises():
    rnd = random.Random(7)
    ed = LineEditor()
    for _ in range(2000):
        ed.feed(bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 16))))
