"""Voicemail boxes: messages kept as A-law WAVs with their facts, counted for message
waiting, heard and deleted, and mailed as a ready .eml with the recording attached."""

import email
import email.policy

import pytest

from firmware.clock import VirtualClock
from firmware.media import wav
from firmware.media.wav import pcm_of, samples
from firmware.pbx.voicemail import Mailbox, Voicemail, VoicemailError

SPEECH = pcm_of([(i * 37) % 2000 - 1000 for i in range(8000 * 3)])  # 3 s, not silence


@pytest.fixture
def vm(tmp_path):
    return Voicemail(tmp_path, VirtualClock())


def test_a_message_is_kept_listed_and_waiting(vm):
    box = Mailbox("21")
    msg = vm.deposit(box, "+4930123456", SPEECH)
    assert (msg.id, msg.caller, msg.seconds, msg.heard) == ("0001", "+4930123456", 3.0, False)
    got = wav.read(vm.wav_path("21", "0001"))
    assert (got.rate, got.encoding, got.frames) == (8000, wav.ALAW, 24000)
    # A-law keeps these samples within its quantisation step
    assert max(abs(a - b) for a, b in zip(samples(got.pcm), samples(SPEECH), strict=True)) <= 32
    assert vm.messages("21") == [msg] and vm.waiting("21") == 1
    assert not vm.eml_path("21", "0001").exists()  # no address, no mail


def test_heard_and_deleted_messages(vm):
    box = Mailbox("21")
    for _ in range(3):
        vm.deposit(box, "", SPEECH)
    vm.mark_heard("21", "0002")
    assert vm.waiting("21") == 2
    vm.delete("21", "0001")
    assert [m.id for m in vm.messages("21")] == ["0002", "0003"]
    assert vm.deposit(box, "", SPEECH).id == "0004"  # numbers are never reused
    with pytest.raises(VoicemailError, match="no message 0001"):
        vm.delete("21", "0001")


def test_a_hang_up_at_the_tone_is_no_message_and_a_full_box_refuses(vm):
    box = Mailbox("22", max_messages=1, max_seconds=2)
    assert vm.deposit(box, "", SPEECH[:8000]) is None  # half a second
    assert vm.deposit(box, "", SPEECH).seconds == 2.0  # cut at max_seconds
    with pytest.raises(VoicemailError, match="full"):
        vm.deposit(box, "", SPEECH)


def test_the_mail_is_ready_to_send_with_the_recording(vm):
    box = Mailbox("21", email="Jana Nováková <jana@office.example>")
    vm.deposit(box, "+420601123456", SPEECH, company="Acme s.r.o.")
    mail = email.message_from_bytes(vm.eml_path("21", "0001").read_bytes(),
                                    policy=email.policy.default)
    assert mail["To"] == "Jana Nováková <jana@office.example>"
    assert mail["Subject"] == "Voicemail from +420601123456 (3 s)"
    body = mail.get_body(("plain",)).get_content()
    assert "New voicemail for 21 from +420601123456" in body and "Acme s.r.o." in body
    [part] = list(mail.iter_attachments())
    assert part.get_filename() == "msg0001.wav"
    assert part.get_content() == vm.wav_path("21", "0001").read_bytes()


def test_a_wav_cut_off_from_its_sidecar_still_lists(vm):
    vm.deposit(Mailbox("21"), "+4930123456", SPEECH)
    vm.wav_path("21", "0001").with_suffix(".json").unlink()
    [msg] = vm.messages("21")
    assert (msg.caller, msg.seconds, msg.heard) == ("", 3.0, False)


def test_mailbox_names_cannot_walk_the_filesystem(vm):
    with pytest.raises(VoicemailError, match="not a mailbox number"):
        vm.messages("../etc")
