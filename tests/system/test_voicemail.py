"""Voicemail through the control API and ctl of the real daemon: mailboxes are set in
the PBX settings and listed, marked and emptied through ctl."""

from __future__ import annotations

import json

from tests.system.boxprocs import run_ctl


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
