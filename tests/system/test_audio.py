"""Audio proved, not assumed, in the real daemon on the simulated line: keys pressed on
a simulated phone travel as DTMF tones through the box's media engine (bridged B-
channels, G.711 both ways) and are decoded at the other end."""

from __future__ import annotations

from tests.system.test_pbx import ctl_json, phone, wait_for


def test_keys_go_out_on_the_trunk_and_come_back_from_an_echoing_subscriber(daemon,
                                                                             box_paths):
    ctl_json(box_paths, "phone", "21", "dial", "00301234567")  # answers, echoes audio
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected", "the call connects")
    ctl_json(box_paths, "phone", "21", "dtmf", "159#")
    wait_for(lambda: phone(box_paths, "21")["heard"] == "159#", "the keys come back")


def test_keys_cross_an_internal_call_both_ways(daemon, box_paths):
    idle = ctl_json(box_paths, "call", "media")["open"]  # the FXS port's line slot
    ctl_json(box_paths, "phone", "22", "dial", "21")
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "21 rings")
    ctl_json(box_paths, "phone", "21", "answer")
    wait_for(lambda: phone(box_paths, "22")["state"] == "connected", "22 is connected")
    ctl_json(box_paths, "phone", "22", "dtmf", "4711")
    ctl_json(box_paths, "phone", "21", "dtmf", "*0")
    wait_for(lambda: phone(box_paths, "21")["heard"] == "4711", "21 hears 22's keys")
    wait_for(lambda: phone(box_paths, "22")["heard"] == "*0", "22 hears 21's keys")
    media = ctl_json(box_paths, "call", "media")
    assert media["open"] - idle == 2 and media["clock"]["ticks"] > 0  # the two B-channels
