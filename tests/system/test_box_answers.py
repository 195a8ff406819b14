"""What the box answers itself, through the control API and ctl of the real daemon:
voicemail (mailboxes set in the PBX settings, listed, marked and emptied through ctl)
and IVR menus (their text is spoken as soon as they are set; a caller's key takes them
on to the option's extension)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from firmware.media import dtmf, speech, wav
from tests.system.boxprocs import SHARED_PROMPTS, run_ctl
from tests.system.test_pbx import ctl_json, phone, wait_for


def configure_mailbox(box_paths, number="21", **extra):
    config = json.loads(run_ctl(box_paths, "--json", "call", "pbx.config").stdout)
    for ext in config["extensions"]:
        if ext["number"] == number:
            ext.update(voicemail=True, **extra)
    out = run_ctl(box_paths, "call", "pbx.configure", json.dumps({"config": config}))
    assert out.returncode == 0, out.stderr


def test_a_mailbox_is_listed_and_a_phone_without_one_is_told(daemon, box_paths):
    configure_mailbox(box_paths, forward_no_reply="voicemail")
    out = run_ctl(box_paths, "voicemail", "21")
    assert out.returncode == 0 and out.stdout.strip() == "mailbox 21: 0 new of 0"
    out = run_ctl(box_paths, "voicemail", "22")
    assert out.returncode == 1 and "no extension 22 with a mailbox" in out.stderr
    out = run_ctl(box_paths, "voicemail", "21", "--delete", "0001")
    assert out.returncode == 1 and "mailbox 21 has no message 0001" in out.stderr


def test_forwarding_to_voicemail_without_a_mailbox_is_refused_by_field(daemon, box_paths):
    config = json.loads(run_ctl(box_paths, "--json", "call", "pbx.config").stdout)
    config["extensions"][0]["forward_busy"] = "voicemail"
    out = run_ctl(box_paths, "--json", "call", "pbx.configure", json.dumps({"config": config}))
    assert out.returncode == 1
    assert "extensions[0].forward_busy: the extension has no mailbox" in out.stderr


@pytest.mark.skipif(not speech.available(), reason="espeak-ng not installed")
def test_a_menus_text_is_spoken_as_soon_as_the_menu_is_set(daemon, box_paths):
    text = f"Press 1 for Anna. Test {time.time()}."  # new text: nothing cached
    config = json.loads(run_ctl(box_paths, "--json", "call", "pbx.config").stdout)
    config["menus"] = [{"name": "main", "text": text, "options": {"1": "21"}}]
    config["routes"].append({"number": "5551099", "target": "ivr:main"})
    out = run_ctl(box_paths, "call", "pbx.configure", json.dumps({"config": config}))
    assert out.returncode == 0, out.stderr
    name = hashlib.sha1(f"de:{text}".encode()).hexdigest()[:16]
    path = SHARED_PROMPTS / "said" / "de" / f"{name}.wav"
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.exists()
    path.unlink()


def test_a_caller_nobody_answers_leaves_a_message_the_box_really_recorded(daemon,
                                                                          box_paths):
    configure_mailbox(box_paths, forward_no_reply="voicemail", no_reply_seconds=5,
                      voicemail_email="Anna <anna@office.example>")
    greeting = box_paths.data_dir / "voicemail" / "21" / "greeting.wav"
    greeting.parent.mkdir(parents=True, exist_ok=True)
    wav.write(greeting, wav.pcm_of([0] * 4000))  # half a second: the test's own greeting
    run_ctl(box_paths, "phone", "22", "dial", "21")
    wait_for(lambda: any(c["to"] == "voicemail:21" for c in ctl_json(box_paths, "calls")),
             "no reply: the box answers for 21's mailbox", timeout=10)
    assert phone(box_paths, "21")["state"] == "idle"
    time.sleep(1.5)  # greeting and beep
    ctl_json(box_paths, "phone", "22", "dtmf", "2468")
    time.sleep(1.0)
    ctl_json(box_paths, "phone", "22", "dtmf", "#")  # ends the message: goodbye, hang-up
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "the box hangs up", timeout=10)
    box = ctl_json(box_paths, "voicemail", "21")
    assert box["waiting"] == 1
    [message] = box["messages"]
    assert message["caller"] == "22" and 1.0 < message["seconds"] < 4.0
    recorded = wav.read(message["path"])
    assert (recorded.rate, recorded.encoding) == (8000, wav.ALAW)
    assert "".join(d for _, d in dtmf.detect(recorded.pcm)).startswith("2468")
    mail = Path(message["path"]).with_suffix(".eml").read_text()
    assert "To: Anna <anna@office.example>" in mail and "msg0001.wav" in mail
    run_ctl(box_paths, "voicemail", "21", "--heard", "0001")
    assert ctl_json(box_paths, "voicemail", "21")["waiting"] == 0


def test_an_outside_caller_keys_1_in_the_menu_and_reaches_21_with_audio(daemon, box_paths):
    config = json.loads(run_ctl(box_paths, "--json", "call", "pbx.config").stdout)
    config["menus"] = [{"name": "main", "text": "Press 1 for Anna, 2 for Ben.",
                        "options": {"1": "21", "2": "22"}}]
    config["routes"].append({"number": "5551098", "target": "ivr:main"})
    out = run_ctl(box_paths, "call", "pbx.configure", json.dumps({"config": config}))
    assert out.returncode == 0, out.stderr
    caller = "0301112222"
    run_ctl(box_paths, "sim-call", caller, "5551098")
    wait_for(lambda: any(c["to"] == "ivr:main" for c in ctl_json(box_paths, "calls")),
             "the menu answers the caller")
    assert phone(box_paths, "21")["state"] == "idle"
    assert run_ctl(box_paths, "subscriber", caller, "dtmf", "1").returncode == 0
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "key 1 rings Anna (21)")
    assert phone(box_paths, "22")["state"] == "idle"
    ctl_json(box_paths, "phone", "21", "answer")
    wait_for(lambda: [c for c in ctl_json(box_paths, "calls") if c["state"] == "connected"
                      and c["to"] == "21"], "the caller talks to 21")
    ctl_json(box_paths, "phone", "21", "dtmf", "73")  # 21's voice reaches the caller
    wait_for(lambda: ctl_json(box_paths, "subscriber", caller, "heard")["heard"]
             .endswith("73"), "the caller hears 21")
    assert run_ctl(box_paths, "subscriber", caller, "hangup").returncode == 0
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "the call clears")
    row = ctl_json(box_paths, "cdr")["rows"][0]
    assert (row["src"], row["dst"], row["msn"], row["disposition"]) == \
        (caller, "21", "5551098", "ANSWERED")
