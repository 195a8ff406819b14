"""SMS through the simulated GSM modem on a real pty: the AT dialogue, both codings, the
SIM PIN, network errors, and the simulator's own answers to a raw terminal."""

from __future__ import annotations

import time

import pytest
import serial

from firmware.notify import NotifyError, SmsSettings, send_sms
from firmware.sim.gsm_modem import GsmModemSim, read_log

NUMBER = "+420601234567"


@pytest.fixture
def modem():
    with GsmModemSim() as m:
        yield m


def settings(device: str, **kw) -> SmsSettings:
    kw.setdefault("timeout", 2.0)
    kw.setdefault("send_timeout", 2.0)
    kw.setdefault("register_timeout", 1.0)
    return SmsSettings(device=device, **kw)


class Terminal:
    """A person typing at the modem: raw bytes in, everything the modem says out."""

    def __init__(self, device: str) -> None:
        self.port = serial.Serial(device, 115200, timeout=0.05)

    def chat(self, data: bytes, until: bytes = b"OK\r\n", timeout: float = 2.0) -> bytes:
        self.port.write(data)
        seen = b""
        deadline = time.monotonic() + timeout
        while until not in seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {until!r} in {seen!r}")
            seen += self.port.read(self.port.in_waiting or 1)
        return seen

    def close(self) -> None:
        self.port.close()


@pytest.fixture
def terminal(modem):
    term = Terminal(modem.device)
    yield term
    term.close()


# --- the sender against the simulator -------------------------------------------------------


def test_gsm_text_goes_through_the_standard_dialogue(modem):
    refs = send_sms(settings(modem.device), "+420 601 234 567", "Missed callback: Jürgen @ 10:30")
    (sms,) = modem.wait_for_messages(1)
    assert (sms.number, sms.text, sms.coding) == (NUMBER, "Missed callback: Jürgen @ 10:30", "GSM")
    assert refs == [sms.reference]
    assert modem.commands == [
        "AT", "ATE0", "AT+CMEE=1", "AT+CPIN?", "AT+CREG?", "AT+CMGF=1", 'AT+CSCS="GSM"',
        "AT+CSMP=17,167,0,0", f'AT+CMGS="{NUMBER}"']


@pytest.mark.parametrize("text", ["Zmeškaný hovor od Jany Novákové, volejte zpět.",
                                  "Пропущенный звонок от Ивана Петрова.",
                                  "Nieodebrane połączenie: Łukasz, 10€"])
def test_text_outside_the_gsm_alphabet_goes_as_ucs2(modem, text):
    send_sms(settings(modem.device), NUMBER, text)
    (sms,) = modem.wait_for_messages(1)
    assert (sms.number, sms.text, sms.coding) == (NUMBER, text, "UCS2")
    assert 'AT+CSCS="UCS2"' in modem.commands
    assert "AT+CSMP=17,167,0,8" in modem.commands
    # With +CSCS="UCS2" the number is a string parameter too: hex UTF-16.
    assert modem.commands[-1] == 'AT+CMGS="' + NUMBER.encode("utf-16-be").hex().upper() + '"'


def test_a_long_text_arrives_as_numbered_parts(modem):
    text = "Rückruf verpasst. " * 15  # 270 characters
    refs = send_sms(settings(modem.device, max_parts=3), NUMBER, text)
    got = modem.wait_for_messages(2)
    assert len(got) == 2 and refs == [m.reference for m in got]
    assert [m.text[:6] for m in got] == ["(1/2) ", "(2/2) "]
    assert " ".join(m.text[6:] for m in got) == text.strip()


def test_a_pin_protected_sim_is_unlocked_once():
    with GsmModemSim(pin="4711") as modem:
        send_sms(settings(modem.device, pin="4711"), NUMBER, "first")
        send_sms(settings(modem.device, pin="4711"), NUMBER, "second")
        assert [m.text for m in modem.wait_for_messages(2)] == ["first", "second"]
        assert modem.commands.count('AT+CPIN="****"') == 1
        assert "4711" not in " ".join(modem.commands)


def test_a_sim_pin_without_a_configured_pin_is_permanent():
    with GsmModemSim(pin="4711") as modem:
        with pytest.raises(NotifyError, match="asks for a PIN and none is configured") as err:
            send_sms(settings(modem.device), NUMBER, "x")
        assert err.value.permanent and modem.messages == []


def test_a_wrong_pin_is_tried_once_and_is_permanent():
    with GsmModemSim(pin="4711") as modem:
        with pytest.raises(NotifyError) as err:
            send_sms(settings(modem.device, pin="1234"), NUMBER, "x")
        assert err.value.permanent
        assert "refused the PIN" in str(err.value)
        assert "+CME ERROR: 16 (incorrect password)" in str(err.value)
        assert modem.commands.count('AT+CPIN="****"') == 1
        # Two tries are left: the right PIN still works.
        send_sms(settings(modem.device, pin="4711"), NUMBER, "x")
        assert len(modem.wait_for_messages(1)) == 1


def test_a_locked_sim_needs_its_puk():
    with GsmModemSim(pin="4711") as locked:
        term = Terminal(locked.device)
        try:
            term.chat(b"ATE0\rAT+CMEE=1\r")
            for _ in range(3):
                assert term.chat(b'AT+CPIN="0000"\r', until=b"ERROR: 16\r\n").endswith(
                    b"\r\n+CME ERROR: 16\r\n")
            assert b"+CPIN: SIM PUK" in term.chat(b"AT+CPIN?\r")
        finally:
            term.close()
        with pytest.raises(NotifyError, match="locked and needs its PUK") as err:
            send_sms(settings(locked.device, pin="4711"), NUMBER, "x")
        assert err.value.permanent


def test_network_out_of_order_is_a_retryable_error(modem):
    modem.fail_next(38)
    with pytest.raises(NotifyError) as err:
        send_sms(settings(modem.device), NUMBER, "x")
    assert not err.value.permanent
    assert 'AT+CMGS="+420601234567" failed: +CMS ERROR: 38 (network out of order)' \
        in str(err.value)
    assert modem.messages == []
    send_sms(settings(modem.device), NUMBER, "x")
    assert len(modem.wait_for_messages(1)) == 1


def test_an_unassigned_number_is_permanent(modem):
    modem.fail_next(1)
    with pytest.raises(NotifyError, match=r"CMS ERROR: 1 \(unassigned") as err:
        send_sms(settings(modem.device), NUMBER, "x")
    assert err.value.permanent


def test_a_failure_half_way_reports_progress_and_a_retry_sends_only_the_rest(modem):
    text = " ".join(f"part{n:03d}" for n in range(45))  # three parts
    modem.fail_next(42, after=1)
    with pytest.raises(NotifyError, match="congestion") as err:
        send_sms(settings(modem.device), NUMBER, text)
    assert err.value.progress == 1
    send_sms(settings(modem.device), NUMBER, text, first_part=err.value.progress)
    got = modem.wait_for_messages(3)
    assert [m.text[:6] for m in got] == ["(1/3) ", "(2/3) ", "(3/3) "]


def test_a_silent_modem_is_reported(modem):
    modem.silent = True
    start = time.monotonic()
    with pytest.raises(NotifyError, match="does not answer AT") as err:
        send_sms(settings(modem.device, timeout=0.2), NUMBER, "x")
    assert not err.value.permanent
    assert time.monotonic() - start < 2


def test_no_network_is_reported():
    with GsmModemSim(registered=False) as modem:
        with pytest.raises(NotifyError, match=r"not on a network \(\+CREG stat 2: not "
                                              r"registered, searching\)"):
            send_sms(settings(modem.device, register_timeout=0.3), NUMBER, "x")


def test_a_missing_device_is_reported():
    with pytest.raises(NotifyError, match="cannot open the GSM modem at /dev/nonexistent"):
        send_sms(settings("/dev/nonexistent"), NUMBER, "x")


def test_a_port_in_use_by_another_program_is_not_shared(modem):
    holder = serial.Serial(modem.device, exclusive=True)
    try:
        with pytest.raises(NotifyError, match="cannot open the GSM modem") as err:
            send_sms(settings(modem.device), NUMBER, "x")
        assert not err.value.permanent
    finally:
        holder.close()


def test_a_text_entry_left_open_by_a_crash_is_cancelled_first(modem, terminal):
    # Echo is on (nobody sent ATE0): the half-typed text comes back after the prompt.
    assert terminal.chat(b'AT+CMGF=1\rAT+CMGS="+4930123"\rhalf a mess',
                         until=b"mess").endswith(b"\r\n> half a mess")
    terminal.close()
    send_sms(settings(modem.device), NUMBER, "whole")
    assert [m.text for m in modem.wait_for_messages(1)] == ["whole"]


def test_the_log_file_lets_another_process_read_what_arrived(tmp_path):
    log = tmp_path / "sms.jsonl"
    with GsmModemSim(log_path=log) as modem:
        send_sms(settings(modem.device), NUMBER, "eins")
        send_sms(settings(modem.device), "+79161234567", "Привет")
    got = read_log(log)
    assert [(m.number, m.text, m.coding) for m in got] == [
        (NUMBER, "eins", "GSM"), ("+79161234567", "Привет", "UCS2")]


# --- the simulator, as a terminal sees it ------------------------------------------------


def test_echo_until_ate0_and_unknown_commands_are_errors(terminal):
    assert terminal.chat(b"AT\r") == b"AT\r\r\nOK\r\n"
    assert terminal.chat(b"ATE0\r") == b"ATE0\r\r\nOK\r\n"
    assert terminal.chat(b"AT\r") == b"\r\nOK\r\n"
    assert terminal.chat(b"AT+FOO\r", until=b"ERROR\r\n") == b"\r\nERROR\r\n"
    assert terminal.chat(b"ATI\r") == b"\r\nRingback GSM modem simulator\r\n\r\nOK\r\n"
    assert terminal.chat(b"AT+CSCT\x08S?\r") == b'\r\n+CSCS: "IRA"\r\n\r\nOK\r\n'


def test_error_reports_follow_cmee(terminal):
    terminal.chat(b"ATE0\r")
    assert terminal.chat(b'AT+CMGS="123"\r', until=b"ERROR\r\n") == b"\r\nERROR\r\n"
    assert terminal.chat(b"AT+CMEE=1\r") == b"\r\nOK\r\n"
    assert terminal.chat(b'AT+CMGS="123"\r', until=b"304\r\n") == b"\r\n+CMS ERROR: 304\r\n"
    assert terminal.chat(b"AT+CMEE=2\r") == b"\r\nOK\r\n"
    assert terminal.chat(b'AT+CMGS="123"\r', until=b"parameter\r\n") == \
        b"\r\n+CMS ERROR: invalid PDU mode parameter\r\n"


def test_text_entry_prompt_cr_backspace_escape_and_ctrl_z(modem, terminal):
    terminal.chat(b'ATE0\rAT+CMGF=1\rAT+CSCS="GSM"\r')
    time.sleep(0.1)
    terminal.port.reset_input_buffer()
    assert terminal.chat(b'AT+CMGS="+4930123"\r', until=b"> ") == b"\r\n> "
    assert terminal.chat(b"never sent\x1b") == b"\r\nOK\r\n"
    assert modem.messages == []
    terminal.chat(b'AT+CMGS="+4930123"\r', until=b"> ")
    assert terminal.chat(b"line one\rline tw", until=b"> ") == b"\r\n> "
    assert terminal.chat(b"X\x08o\x00\x02\x1a", until=b"OK\r\n") == b"\r\n+CMGS: 1\r\n\r\nOK\r\n"
    assert modem.wait_for_messages(1)[0].text == "line one\rline two@$"


def test_a_cmgs_in_ucs2_with_a_bad_hex_text_is_refused(modem, terminal):
    terminal.chat(b'ATE0\rAT+CMEE=1\rAT+CMGF=1\rAT+CSCS="UCS2"\rAT+CSMP=17,167,0,8\r')
    time.sleep(0.1)
    terminal.port.reset_input_buffer()
    terminal.chat(b'AT+CMGS="0031003200330034"\r', until=b"> ")
    assert terminal.chat(b"00Z1\x1a", until=b"305\r\n") == b"\r\n+CMS ERROR: 305\r\n"
    terminal.chat(b'AT+CMGS="0031003200330034"\r', until=b"> ")
    terminal.chat("Ahoj".encode("utf-16-be").hex().encode() + b"\x1a", until=b"OK\r\n")
    sms = modem.wait_for_messages(1)[0]
    assert (sms.number, sms.text, sms.coding) == ("1234", "Ahoj", "UCS2")
