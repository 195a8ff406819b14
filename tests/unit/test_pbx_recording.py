"""Call recording in virtual time: the settings (extension, group) or the API start it,
a ring tap on the A leg writes a stereo WAV in halves as the call goes on, and the file
is closed, listed and named in the CDR when the call ends."""

from __future__ import annotations

import struct

import pytest

from firmware.media import dtmf, wav
from firmware.media.wav_stream import WavWriter, part_path, recover
from firmware.pbx.cdr import CdrLog
from firmware.pbx.config import FieldError, PbxConfig
from firmware.pbx.legs import PbxError
from firmware.pbx.recording import CallRecorder
from tests.unit.pbx_box import OFFICE
from tests.unit.test_pbx_media import CALLER, MediaBox


def recording_box(tmp_path, office: dict) -> MediaBox:
    box = MediaBox(tmp_path, office)
    box.pbx.cdr = CdrLog(tmp_path / "cdr.csv")
    box.bridge.recorder = CallRecorder(box.media, tmp_path / "recordings", box.clock,
                                       box.events)
    box.bridge.recording_reason = box.pbx.recording_reason
    box.recording_events = []
    box.events.subscribe(lambda e: box.recording_events.append(e.data), ("pbx.recording",))
    return box


def channels(path) -> tuple[bytes, bytes, int]:
    """(left, right) as mono PCM, and the channel count in the header."""
    got = wav.read(path)
    values = wav.samples(got.pcm)
    return wav.pcm_of(values[0::2]), wav.pcm_of(values[1::2]), got.channels


def keys(pcm: bytes) -> str:
    return "".join(d for _, d in dtmf.detect(pcm))


def with_record(number: str, where: str = "extensions") -> dict:
    items = [dict(i, record=True) if i["number"] == number else i for i in OFFICE[where]]
    return {**OFFICE, where: items}


def test_the_wav_writer_grows_a_file_and_recover_mends_a_cut_one(tmp_path) -> None:
    w = WavWriter(tmp_path / "a.wav", channels=2)
    w.write(wav.pcm_of([1, 2, 3, 4]))
    assert not (tmp_path / "a.wav").exists() and part_path(tmp_path / "a.wav").exists()
    w.close()
    got = wav.read(tmp_path / "a.wav")
    assert (got.channels, got.frames, list(wav.samples(got.pcm))) == (2, 2, [1, 2, 3, 4])
    cut = WavWriter(tmp_path / "b.wav", channels=2)
    cut.write(wav.pcm_of(list(range(8))))
    cut._file.flush()  # noqa: SLF001 - the power goes here, before close
    mended = recover(part_path(tmp_path / "b.wav"))
    assert wav.read(mended).frames == 4
    with pytest.raises(ValueError):
        w.write(b"\0\0")  # half a stereo frame


def test_an_extension_with_record_gets_a_stereo_file_caller_left_callee_right(tmp_path):
    box = recording_box(tmp_path, with_record("21"))
    call = box.connected_call()
    box.exchange.subscriber_dtmf(CALLER, "12")
    box.run(3.1)  # past the first ring's two halves: written as the call goes on
    (going,) = box.bridge.recorder.listing()
    assert going["recording"] and going["seconds"] >= 2.0
    box.phone.send_dtmf("34")
    box.run(1.0)
    box.phone.hangup()
    box.run(2)
    assert not box.pbx.calls
    (done,) = box.bridge.recorder.listing()
    assert not done["recording"] and 4.0 <= done["seconds"] <= 5.5
    name = done["file"]
    assert f"_{call.id}_{CALLER}_21.wav" in name and name[:8].isdigit()
    left, right, n = channels(tmp_path / "recordings" / name)
    assert n == 2 and keys(left) == "12" and keys(right) == "34"
    assert done["bytes"] == (tmp_path / "recordings" / name).stat().st_size
    (row,) = box.pbx.cdr.rows()
    assert row["userfield"] == name
    assert [(e["state"], e["reason"]) for e in box.recording_events] == \
        [("started", "extension 21"), ("stopped", "extension 21")]


def test_a_long_call_is_written_in_halves_without_losing_a_key(tmp_path) -> None:
    box = recording_box(tmp_path, with_record("21"))
    box.connected_call()
    for digit in "1357":  # one key every 2.5 s, across many ring turns
        box.exchange.subscriber_dtmf(CALLER, digit)
        box.run(2.5)
    rec = next(iter(box.bridge.recorder._active.values()))  # noqa: SLF001
    assert len(rec.tap.data) == 2 * 16000  # the ring stays two seconds
    box.exchange.subscriber_hangup(CALLER)
    box.run(2)
    (done,) = box.bridge.recorder.listing()
    left, _, _ = channels(tmp_path / "recordings" / done["file"])
    assert keys(left) == "1357" and 9.5 <= done["seconds"] <= 11


def test_a_group_with_record_records_the_calls_it_takes(tmp_path) -> None:
    box = recording_box(tmp_path, with_record("30", "groups"))
    box.exchange.call_box("5551000", CALLER)
    box.run(1)
    box.world.phone("22").answer()
    box.run(1)
    assert [e["reason"] for e in box.recording_events] == ["group 30"]
    box.exchange.subscriber_hangup(CALLER)
    box.run(2)
    assert box.bridge.recorder.listing()[0]["file"].endswith(f"_{CALLER}_22.wav")


def test_the_api_starts_and_stops_a_recording_and_bad_requests_say_why(tmp_path) -> None:
    box = recording_box(tmp_path, OFFICE)
    call = box.connected_call()
    assert box.recording_events == []  # nobody has record: nothing by itself
    rec = box.bridge.record_call(call.id)
    with pytest.raises(PbxError, match="already being recorded"):
        box.bridge.record_call(call.id)
    box.exchange.subscriber_dtmf(CALLER, "6")
    box.run(1)
    box.bridge.stop_call_recording(call.id)
    with pytest.raises(PbxError, match="not being recorded"):
        box.bridge.stop_call_recording(call.id)
    with pytest.raises(PbxError, match="no call c99"):
        box.bridge.record_call("c99")
    box.exchange.subscriber_dtmf(CALLER, "7")  # after the stop: not in the file
    box.run(1)
    left, _, _ = channels(rec.path)
    assert keys(left) == "6"
    head = rec.path.read_bytes()[:44]
    assert struct.unpack_from("<HHI", head, 20) == (1, 2, 8000)  # PCM, stereo, 8 kHz
    assert box.recording_events[-1]["why"] == "api"


def test_group_record_is_validated() -> None:
    doc = {**OFFICE, "groups": [dict(OFFICE["groups"][0], record="yes")]}
    with pytest.raises(FieldError) as e:
        PbxConfig.from_doc(doc)
    assert [f for f, _ in e.value.problems] == ["groups[0].record"]
