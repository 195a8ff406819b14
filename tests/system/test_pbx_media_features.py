"""Music on hold, call recording and message waiting in the real daemon, with audio
proved: what the far end hears, what the WAV holds, what the phone's lamp shows.

The hold test gives the office a music file made of DTMF bursts, so the PSTN subscriber's
own receiver can say that it really heard the music (the built-in tune avoids DTMF pairs
on purpose)."""

from __future__ import annotations

import json
import time

from firmware.media import dtmf, wav
from tests.system.boxprocs import run_ctl, start_daemon, stop, wait_for_api
from tests.system.test_pbx import ctl_json, phone, wait_for

CALLER = "0301112222"


def heard(box_paths, *who: str) -> str:
    return ctl_json(box_paths, *who, "heard")["heard"]


def caller_talks_to_21(box_paths) -> str:
    run_ctl(box_paths, "sim-call", CALLER, "5551021")
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "21 rings")
    ctl_json(box_paths, "phone", "21", "answer")
    (call,) = wait_for(lambda: [c for c in ctl_json(box_paths, "calls")
                                if c["state"] == "connected"], "connected")
    return call["call"]


def test_a_held_caller_hears_the_offices_music_until_retrieved(box_paths):
    music = DtmfMusic("9753")
    (box_paths.data_dir / "moh").mkdir(parents=True)
    wav.write(box_paths.data_dir / "moh" / "office.wav", wav.pcm_of(music.samples))
    proc = start_daemon(box_paths)
    try:
        wait_for_api(box_paths, proc)
        caller_talks_to_21(box_paths)
        ctl_json(box_paths, "phone", "21", "hold")
        wait_for(lambda: phone(box_paths, "21")["held"], "21 holds the caller")
        wait_for(lambda: "97539753" in heard(box_paths, "subscriber", CALLER),
                 "the held caller hears the music, looped", timeout=15)
        ctl_json(box_paths, "phone", "21", "retrieve")
        wait_for(lambda: not phone(box_paths, "21")["held"], "retrieved")
        before = heard(box_paths, "subscriber", CALLER)
        ctl_json(box_paths, "phone", "21", "dtmf", "0")  # the phone talks again ...
        wait_for(lambda: heard(box_paths, "subscriber", CALLER).endswith("0"),
                 "the caller hears 21 again")
        after = heard(box_paths, "subscriber", CALLER)
        assert after == before + "0"  # ... and the music is gone
    finally:
        assert stop(proc) == 0


class DtmfMusic:
    """A music file whose notes are DTMF digits."""

    def __init__(self, digits: str) -> None:
        gen = dtmf.DtmfGenerator(level_dbm0=-10, on_ms=80, off_ms=80)
        gen.put(digits)
        self.samples = wav.samples(gen.read_all())


def test_an_extension_with_record_on_leaves_a_stereo_wav_of_both_sides(daemon, box_paths):
    config = ctl_json(box_paths, "call", "pbx.config")
    config["extensions"][0]["record"] = True
    assert run_ctl(box_paths, "call", "pbx.configure",
                   json.dumps({"config": config})).returncode == 0
    caller_talks_to_21(box_paths)
    wait_for(lambda: ctl_json(box_paths, "recordings"), "recording going on")
    run_ctl(box_paths, "subscriber", CALLER, "dtmf", "258")
    wait_for(lambda: heard(box_paths, "phone", "21") == "258", "21 hears 258")
    ctl_json(box_paths, "phone", "21", "dtmf", "14")
    wait_for(lambda: heard(box_paths, "subscriber", CALLER) == "14", "caller hears 14")
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")
    [rec] = wait_for(lambda: [r for r in ctl_json(box_paths, "recordings")
                              if not r.get("recording")], "the recording is finished")
    path = next((box_paths.data_dir / "recordings").glob("*.wav"))
    recorded = wav.read(path)
    assert (recorded.rate, recorded.channels) == (8000, 2)
    pcm = wav.samples(recorded.pcm)
    left, right = wav.pcm_of(pcm[0::2]), wav.pcm_of(pcm[1::2])
    keys = {"".join(d for _, d in dtmf.detect(side)) for side in (left, right)}
    assert keys == {"258", "14"}, keys  # caller on one side, 21 on the other
    assert rec["seconds"] > 0.5


def test_ctl_record_starts_and_stops_a_recording_of_only_that_stretch(daemon, box_paths):
    call = caller_talks_to_21(box_paths)
    refused = run_ctl(box_paths, "record", "c99", "start")
    assert refused.returncode != 0 and "c99" in refused.stderr
    run_ctl(box_paths, "subscriber", CALLER, "dtmf", "7")  # before: not recorded
    wait_for(lambda: heard(box_paths, "phone", "21") == "7", "21 hears 7")
    started = run_ctl(box_paths, "record", call, "start")
    assert started.returncode == 0 and f"{call}: recording" in started.stdout, started.stderr
    again = run_ctl(box_paths, "record", call, "start")
    assert again.returncode != 0 and "already being recorded" in again.stderr
    run_ctl(box_paths, "subscriber", CALLER, "dtmf", "369")
    wait_for(lambda: heard(box_paths, "phone", "21") == "7369", "21 hears 369")
    stopped = run_ctl(box_paths, "record", call, "stop")
    assert stopped.returncode == 0 and f"{call}: recorded" in stopped.stdout, stopped.stderr
    run_ctl(box_paths, "subscriber", CALLER, "dtmf", "0")  # after: not recorded either
    wait_for(lambda: heard(box_paths, "phone", "21") == "73690", "21 hears 0")
    assert phone(box_paths, "21")["state"] == "connected"  # the call goes on
    [rec] = ctl_json(box_paths, "recordings")
    assert not rec["recording"]
    recorded = wav.read(box_paths.data_dir / "recordings" / rec["file"])
    pcm = wav.samples(recorded.pcm)
    keys = ["".join(d for _, d in dtmf.detect(wav.pcm_of(pcm[side::2]))) for side in (0, 1)]
    assert sorted(keys) == ["", "369"], keys  # the caller's side, and only while on
    ctl_json(box_paths, "phone", "21", "hangup")


def send_21s_calls_to_its_mailbox(box_paths) -> None:
    config = ctl_json(box_paths, "call", "pbx.config")
    config["extensions"][0].update(voicemail=True, forward_always="voicemail")
    assert run_ctl(box_paths, "call", "pbx.configure",
                   json.dumps({"config": config})).returncode == 0


def leave_a_message_for_21(box_paths, keys: str) -> None:
    """Phone 22 calls 21, whose calls all go to its mailbox, and keys ``keys`` as the
    message (DTMF, so what is played back later can be checked by ear)."""
    send_21s_calls_to_its_mailbox(box_paths)
    greeting = box_paths.data_dir / "voicemail" / "21" / "greeting.wav"
    greeting.parent.mkdir(parents=True, exist_ok=True)
    wav.write(greeting, wav.pcm_of([0] * 4000))  # half a second: the test's own greeting
    ctl_json(box_paths, "phone", "22", "dial", "21")
    wait_for(lambda: any(c["to"] == "voicemail:21" for c in ctl_json(box_paths, "calls")),
             "the mailbox answers")
    time.sleep(1.5)  # greeting and beep
    ctl_json(box_paths, "phone", "22", "dtmf", keys)  # the message
    time.sleep(1.0)
    ctl_json(box_paths, "phone", "22", "dtmf", "#")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "the box hangs up")


def test_a_new_voicemail_lights_the_phones_lamp_and_hearing_it_puts_it_out(daemon,
                                                                          box_paths):
    assert phone(box_paths, "21")["mwi"] == {"lamp": False, "messages": 0}
    leave_a_message_for_21(box_paths, "2468")
    wait_for(lambda: phone(box_paths, "21")["mwi"] == {"lamp": True, "messages": 1},
             "21's lamp is on with one message")
    [message] = ctl_json(box_paths, "voicemail", "21")["messages"]
    run_ctl(box_paths, "voicemail", "21", "--heard", message["id"])
    wait_for(lambda: phone(box_paths, "21")["mwi"]["lamp"] is False, "the lamp goes out")


def test_an_extension_dials_its_mailbox_hears_the_message_and_keeps_it(daemon, box_paths):
    leave_a_message_for_21(box_paths, "1357")
    wait_for(lambda: phone(box_paths, "21")["mwi"]["lamp"], "21's lamp is on")
    ctl_json(box_paths, "phone", "21", "dial", "*98")
    wait_for(lambda: any(c["to"] == "mailbox:21" for c in ctl_json(box_paths, "calls")),
             "the box answers 21 with its mailbox")
    wait_for(lambda: heard(box_paths, "phone", "21").startswith("1357"),
             "21 hears the message 22 left", timeout=15)
    ctl_json(box_paths, "phone", "21", "dtmf", "9")  # keep it
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "nothing more: goodbye, hang-up",
             timeout=15)
    box = ctl_json(box_paths, "voicemail", "21")
    assert box["waiting"] == 0 and len(box["messages"]) == 1  # heard, and kept
    wait_for(lambda: phone(box_paths, "21")["mwi"]["lamp"] is False, "the lamp goes out")


def test_an_extension_records_its_greeting_and_the_next_caller_hears_it(daemon, box_paths):
    send_21s_calls_to_its_mailbox(box_paths)
    ctl_json(box_paths, "phone", "21", "dial", "*97")
    wait_for(lambda: any(c["to"] == "greeting:21" for c in ctl_json(box_paths, "calls")),
             "the box answers 21 to record its greeting")
    wait_for(lambda: [c["app_step"] for c in ctl_json(box_paths, "calls")] == ["recording"],
             "the instructions and the beep are over", timeout=20)
    ctl_json(box_paths, "phone", "21", "dtmf", "369")  # the greeting, in keys to hear
    time.sleep(1.0)
    ctl_json(box_paths, "phone", "21", "dtmf", "#")
    wait_for(lambda: heard(box_paths, "phone", "21").endswith("369"),
             "21 hears its new greeting played back", timeout=15)
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "goodbye, hang-up", timeout=15)
    assert ctl_json(box_paths, "voicemail", "21")["greeting"] is True
    assert "(own greeting)" in run_ctl(box_paths, "voicemail", "21").stdout

    ctl_json(box_paths, "phone", "22", "dial", "21")
    wait_for(lambda: any(c["to"] == "voicemail:21" for c in ctl_json(box_paths, "calls")),
             "21's mailbox answers 22")
    wait_for(lambda: heard(box_paths, "phone", "22").startswith("369"),
             "22 hears 21's own greeting", timeout=15)
    ctl_json(box_paths, "phone", "22", "hangup")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "22 hangs up")
