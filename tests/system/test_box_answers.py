"""What the box answers itself, through the control API and ctl of the real daemon:
voicemail (mailboxes set in the PBX settings, listed, marked and emptied through ctl)
and IVR menus (their text is spoken as soon as they are set)."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from firmware.media import speech
from tests.system.boxprocs import SHARED_PROMPTS, run_ctl


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
