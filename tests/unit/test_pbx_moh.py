"""Music on hold: the built-in tune, the office's own file, and a held party really
hearing it down the line (in virtual time, through the media engine)."""

from __future__ import annotations

import pytest

from firmware.media import dtmf, wav
from firmware.pbx.config import FieldError, MohSettings, PbxConfig
from firmware.pbx.moh import MusicOnHold, default_tune
from tests.unit.pbx_box import OFFICE
from tests.unit.test_pbx_media import CALLER, MediaBox


def test_the_built_in_tune_is_a_few_seconds_of_quiet_notes_and_no_dtmf() -> None:
    pcm = default_tune()
    values = wav.samples(pcm)
    assert 4 <= len(values) / 8000 <= 10
    assert max(abs(v) for v in values) < 32767 * 0.15  # about -18 dBFS
    assert dtmf.detect(pcm) == []  # a far end's DTMF receiver never takes it for keys
    assert default_tune() is pcm  # made once


def test_the_offices_own_file_is_read_at_any_rate_and_mixed_to_mono(tmp_path) -> None:
    moh = MusicOnHold(tmp_path)
    assert moh.load(MohSettings()) is default_tune()  # no file: the built-in tune
    assert moh.source(MohSettings()) == "built-in"
    # 16 kHz stereo, one second: comes out as one second at 8 kHz, mono
    frames = wav.pcm_of([1000, -1000] * 16000)
    blob = bytearray(wav.encode(frames, wav.PCM16, 16000))
    blob[22:24] = (2).to_bytes(2, "little")  # channels
    blob[28:32] = (16000 * 4).to_bytes(4, "little")  # byte rate
    blob[32:34] = (4).to_bytes(2, "little")  # block align
    (tmp_path / "office.wav").write_bytes(bytes(blob))
    pcm = moh.load(MohSettings(file="office.wav"))
    assert abs(len(pcm) // 2 - 8000) <= 2
    assert max(abs(v) for v in wav.samples(pcm)) < 50  # left and right cancel out
    assert moh.source(MohSettings()) == "office.wav"  # the first WAV in the folder
    assert moh.load(MohSettings(file="gone.wav")) is default_tune()
    (tmp_path / "bad.wav").write_bytes(b"RIFF junk")
    assert moh.load(MohSettings(file="bad.wav")) is default_tune()
    assert moh.load(MohSettings(enabled=False)) is None and moh.current is None


def test_moh_settings_are_validated_by_field() -> None:
    for moh, field in (({"file": "../etc/x.wav"}, "moh.file"), ({"file": "a.mp3"}, "moh.file"),
                       ({"enabled": "yes"}, "moh.enabled"), ({"volume": 3}, "moh")):
        with pytest.raises(FieldError) as e:
            PbxConfig.from_doc({**OFFICE, "moh": moh})
        assert [f for f, _ in e.value.problems] == [field]
    cfg = PbxConfig.from_doc({**OFFICE, "moh": {"enabled": False, "file": "jazz.wav"}})
    assert cfg.moh == MohSettings(False, "jazz.wav")
    assert PbxConfig.from_doc(cfg.to_doc()) == cfg


def test_a_held_caller_hears_the_music_in_a_loop_and_it_stops_on_retrieve(tmp_path) -> None:
    box = MediaBox(tmp_path)
    music = dtmf.generate("47") + bytes(1600)  # a "tune" a DTMF receiver can prove
    box.bridge.moh = lambda: music
    call = box.connected_call()
    box.pbx.hold(call.id)
    box.run(1.6)  # about four times round the 0.38 s loop
    heard = box.exchange.subscriber_heard(CALLER)
    # joined where the loop is now (shared by every held leg), then round and round
    assert len(heard) >= 6 and set(heard) == {"4", "7"}
    assert all(a != b for a, b in zip(heard, heard[1:], strict=False))
    box.exchange.subscriber_dtmf(CALLER, "5")
    box.run(0.5)
    assert box.phone.heard == ""  # the holder hears silence, not the music nor the caller
    box.pbx.retrieve(call.id)
    box.run(0.5)
    before = box.exchange.subscriber_heard(CALLER)
    box.run(1.0)
    assert box.exchange.subscriber_heard(CALLER) == before  # the music has stopped
    box.phone.send_dtmf("9")
    box.exchange.subscriber_dtmf(CALLER, "8")
    box.run(0.6)
    assert box.exchange.subscriber_heard(CALLER) == before + "9"
    assert box.phone.heard == "8"
    assert box.bridge.moh_status() == {"playing": []}


def test_a_phone_holding_frees_its_channel_and_the_caller_gets_music(tmp_path) -> None:
    box = MediaBox(tmp_path)
    box.bridge.moh = lambda: dtmf.generate("3") + bytes(2400)
    box.connected_call()
    box.phone.hold()  # DSS1 HOLD: the phone's B-channel goes; the caller is held
    box.run(1.2)
    assert box.exchange.subscriber_heard(CALLER).startswith("33")
    box.phone.retrieve()
    box.run(0.5)
    box.phone.send_dtmf("1")
    box.run(0.6)
    assert box.exchange.subscriber_heard(CALLER).endswith("1")
