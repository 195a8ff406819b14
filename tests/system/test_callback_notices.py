"""A visitor who never answers is reported by email and SMS, through real peers: an SMTP
server process (aiosmtpd, writing a Maildir) and the GSM modem simulator process on a
pty, both configured in the real daemon through its API."""

from __future__ import annotations

import email
import email.policy
import json
import mailbox
import re
import socket
import subprocess
import sys
import time

import pytest

from firmware.sim.gsm_modem import read_log
from tests.system.boxprocs import REPO, free_port, run_ctl, stop
from tests.system.test_callback import ctl_json, request, staff_press, wait_for
from tests.system.test_gsm_modem_process import start_modem


@pytest.fixture
def smtp_server(tmp_path):
    port, maildir = free_port(), tmp_path / "maildir"
    proc = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l",
                             f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox",
                             str(maildir)], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # listening once a connection is taken
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port, maildir
    stop(proc)


@pytest.fixture
def modem(tmp_path):
    log = tmp_path / "sms.jsonl"
    proc, device = start_modem("--log", str(log), "--pin", "2468")
    yield device, log
    stop(proc)


def mails(maildir):
    if not (maildir / "new").exists():
        return []
    return [email.message_from_bytes(m.as_bytes(), policy=email.policy.default)
            for m in mailbox.Maildir(maildir, create=False)]


def test_a_visitor_who_never_answers_is_reported_by_email_and_sms(daemon, box_paths,
                                                                  smtp_server, modem):
    port, maildir = smtp_server
    device, sms_log = modem
    notify = {"email": {"host": "127.0.0.1", "port": port,
                        "sender": "Ringback <box@office.example>"},
              "sms": {"device": device, "pin": "2468", "timeout": 5}}
    out = run_ctl(box_paths, "call", "notify.configure", json.dumps({"config": notify}))
    assert out.returncode == 0, out.stderr
    assert ctl_json(box_paths, "call", "notify.config")["sms"]["pin"] == "********"
    settings = ctl_json(box_paths, "call", "callback.config")
    settings["links"][0].update(visitor_retries=0, visitor_ring_seconds=5, announce=False,
                                notify_email="staff@office.example",
                                notify_sms="+4915112345678")
    out = run_ctl(box_paths, "call", "callback.configure", json.dumps({"config": settings}))
    assert out.returncode == 0, out.stderr

    # 0305555555 never answers
    filed = ctl_json(box_paths, "call", "callback", json.dumps(
        {"link": "office", "number": "030 5555555", "name": "Jana Nováková",
         "email": "jana@example.com", "page_url": "https://office.example/prices"}))
    wait_for(lambda: ctl_json(box_paths, "status")["sim"]["peers"][1]["state"] == "ringing",
             "staff phone 21 rings")
    ctl_json(box_paths, "phone", "21", "answer")
    staff_press(box_paths, "21", "1", filed["id"])
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "failed",
             "the visitor rings out", timeout=20)

    wait_for(lambda: len(mails(maildir)) == 2, "two mails arrive", timeout=20)
    by_to = {m["To"]: m for m in mails(maildir)}
    visitor = by_to["jana@example.com"]
    assert visitor["Subject"] == "Our office: we could not reach you"
    body = visitor.get_body(("plain",)).get_content()
    assert "Hello Jana Nováková" in body and "+49305555555" in body
    assert "https://office.example/prices" in body and "did not answer" in body, body
    staff = by_to["staff@office.example"]
    assert staff["Subject"] == "Missed callback: +49305555555"
    assert f"Request: {filed['id']}" in staff.get_body(("plain",)).get_content()

    wait_for(lambda: read_log(sms_log), "the SMS arrives at the modem", timeout=20)
    # the name's accents make it UCS-2 (70 characters a part): two parts, numbered
    wait_for(lambda: len(read_log(sms_log)) == 2, "both parts arrive", timeout=20)
    parts = read_log(sms_log)
    assert {p.number for p in parts} == {"+4915112345678"}
    text = " ".join(re.sub(r"^\(\d/\d\) ", "", p.text) for p in parts)
    assert text == ("Missed callback\n+49305555555 (Jana Nováková): visitor did not "
                    f"answer. Request {filed['id']}.")
    assert ctl_json(box_paths, "outbox")["pending"] == []
