"""The GSM modem simulator as its own process (`python -m firmware.sim.gsm_modem`), driven
by the SMS sender and the outbox; what arrived is read back from its --log file."""

from __future__ import annotations

import subprocess
import sys

import pytest

from firmware.clock import VirtualClock
from firmware.notify import NotifyError, Outbox, SmsChannel, SmsSettings, send_sms
from firmware.sim.gsm_modem import read_log
from tests.system.boxprocs import REPO, stop


def start_modem(*args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "firmware.sim.gsm_modem", *args], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    device = proc.stdout.readline().strip()
    if not device.startswith("/dev/"):
        stop(proc)
        raise AssertionError(f"no device path from the modem: {proc.stderr.read()}")
    return proc, device


@pytest.fixture
def modem_process(tmp_path):
    log = tmp_path / "arrived.jsonl"
    proc, device = start_modem("--log", str(log), "--pin", "2468", "--fail", "38")
    yield device, log
    assert stop(proc) == 0


def settings(device: str) -> SmsSettings:
    return SmsSettings(device=device, pin="2468", timeout=3, send_timeout=3, register_timeout=2)


def test_the_sender_drives_the_modem_process(modem_process):
    device, log = modem_process
    with pytest.raises(NotifyError, match=r"\+CMS ERROR: 38 \(network out of order\)"):
        send_sms(settings(device), "+420601234567", "first try")  # --fail 38, once
    assert read_log(log) == []
    send_sms(settings(device), "+420601234567", "Zmeškaný hovor od Petra")
    send_sms(settings(device), "+4930123456", "Missed callback @ 10:30")
    got = [(m.number, m.text, m.coding) for m in read_log(log)]
    assert got == [("+420601234567", "Zmeškaný hovor od Petra", "UCS2"),
                   ("+4930123456", "Missed callback @ 10:30", "GSM")]


def test_the_outbox_retries_into_the_modem_process(modem_process, tmp_path):
    device, log = modem_process
    clock = VirtualClock()
    outbox = Outbox(tmp_path / "outbox.jsonl", {"sms": SmsChannel(settings(device))}, clock)
    outbox.start()
    outbox.enqueue("sms", "+420601234567", "Missed callback", "Пропущенный звонок")
    clock.run_pending()
    assert "network out of order" in outbox.pending()[0].last_error
    clock.advance(60)
    assert outbox.pending() == []
    assert [m.text for m in read_log(log)] == ["Missed callback\nПропущенный звонок"]
    outbox.close()


def test_a_bad_pin_option_is_refused():
    proc = subprocess.run([sys.executable, "-m", "firmware.sim.gsm_modem", "--pin", "12"],
                          cwd=REPO, capture_output=True, text=True, timeout=20)
    assert proc.returncode == 2
    assert "--pin must be 4 to 8 digits" in proc.stderr
