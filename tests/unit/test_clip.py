"""Caller ID (firmware.media.clip): message bytes against hand-computed frames, checksum
errors, the burst's layout, DT-AS, decoding through A-law, noise and random offsets,
and a cross-check with spandsp's adsi_tx / adsi_rx."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from firmware.media import clip, fsk, g711
from tests.spandsp import refs
from tests.unit.tone_model import PEAK_0DBM0, fit_sines

# --- messages ---------------------------------------------------------------------------

# Computed by hand from EN 300 659-3 §5 (type, length, parameters, checksum = two's
# complement of the byte sum) and, for the SDMF, the classic GR-30 example.
HAND_COMPUTED = [
    # 24 Dec 18:30, number 1234: 80+10 + 01+08 + "12241830" (0x195) + 02+04 + "1234"
    # (0xCA) = 0x2FE, so the checksum is 0x100 - 0xFE = 0x02
    (
        lambda: clip.call_setup(when="12241830", number="1234"),
        "80 10 01 08 31 32 32 34 31 38 33 30 02 04 31 32 33 34 02",
    ),
    # number withheld: 80+03+04+01+50 = 0xD8 -> 0x28
    (lambda: clip.call_setup(absence=clip.PRIVATE), "80 03 04 01 50 28"),
    # message waiting on: 82+03+0B+01+FF = 0x190 -> 0x70
    (lambda: clip.message_waiting(True), "82 03 0b 01 ff 70"),
    # message waiting off with 0 messages: 82+06+0B+01+00+13+01+00 = 0xA8 -> 0x58
    (lambda: clip.message_waiting(False, count=0), "82 06 0b 01 00 13 01 00 58"),
    # GR-30 SDMF: 30 Sep 12:24, 609-555-1212: 04+12 + 0x195 + 0x204 = 0x3AF -> 0x51
    (
        lambda: clip.sdmf_call_setup("09301224", number="6095551212"),
        "04 12 30 39 33 30 31 32 32 34 36 30 39 35 35 35 31 32 31 32 51",
    ),
    # GR-30 SDMF message waiting on: 06+03+42+42+42 = 0xCF -> 0x31
    (lambda: clip.sdmf_message_waiting(True), "06 03 42 42 42 31"),
]


@pytest.mark.parametrize("build,hex_bytes", HAND_COMPUTED)
def test_messages_match_hand_computed_bytes(build, hex_bytes):
    data = build()
    assert data.hex(" ") == hex_bytes
    assert sum(data) % 256 == 0


def test_call_setup_with_every_field_round_trips():
    data = clip.call_setup(
        when=datetime(2024, 3, 5, 7, 9),
        number="+49301234567",
        name="Zoë Müller",
        called="0301111",
        redirecting="0302222",
        call_type=clip.VOICE_CALL,
    )
    msg = clip.parse(data)
    assert msg.ok and msg.type == clip.CALL_SETUP
    assert [t for t, _ in msg.params()] == [
        clip.CALL_TYPE, clip.DATE_TIME, clip.CALLING_NUMBER, clip.CALLED_NUMBER,
        clip.NAME, clip.REDIRECTING_NUMBER,
    ]
    assert msg.fields() == {
        "call_type": 1,
        "date_time": "03050709",
        "number": "+49301234567",
        "called": "0301111",
        "name": "Zoë Müller",
        "redirecting": "0302222",
    }


def test_reasons_for_absence():
    msg = clip.parse(clip.call_setup(absence=clip.UNAVAILABLE, name_absence=clip.PRIVATE))
    assert msg.fields() == {"absence": "O", "name_absence": "P"}
    sdmf = clip.parse(clip.sdmf_call_setup("01010000", absence="P"))
    assert sdmf.fields() == {"date_time": "01010000", "absence": "P"}


def test_message_waiting_fields():
    msg = clip.parse(clip.message_waiting(True, count=3, when="11301945"))
    assert msg.fields() == {"date_time": "11301945", "message_waiting": True, "message_count": 3}
    assert clip.parse(clip.sdmf_message_waiting(False)).fields() == {"message_waiting": False}


def test_every_corrupted_byte_fails_the_checksum():
    data = clip.call_setup(when="12241830", number="1234", name="Anna")
    for i in range(len(data)):
        for bit in range(8):
            bad = bytearray(data)
            bad[i] ^= 1 << bit
            if i == 1:  # a changed length field makes a different frame
                continue
            assert not clip.parse(bytes(bad)).checksum_ok, (i, bit)


def test_truncated_frames_and_parameters_are_errors():
    with pytest.raises(ValueError):
        clip.parse(bytes.fromhex("80 10 01 08 31"))
    broken = clip.frame(clip.CALL_SETUP, bytes.fromhex("02 09 31 32"))  # 9 bytes claimed
    with pytest.raises(ValueError, match="runs past"):
        clip.parse(broken).params()


@pytest.mark.parametrize(
    "call",
    [
        lambda: clip.call_setup(),
        lambda: clip.call_setup(number="1", absence="P"),
        lambda: clip.call_setup(name="a", name_absence="O"),
        lambda: clip.call_setup(absence="X"),
        lambda: clip.call_setup(number="1" * 21),
        lambda: clip.call_setup(name="n" * 51),
        lambda: clip.call_setup(number="12\n3"),
        lambda: clip.call_setup(when="2412183"),
        lambda: clip.call_setup(when="24121830x"),
        lambda: clip.call_setup(call_type=256),
        lambda: clip.message_waiting(True, count=300),
        lambda: clip.sdmf_call_setup("01010000"),
        lambda: clip.frame(0x80, bytes(256)),
    ],
)
def test_bad_fields_are_refused(call):
    with pytest.raises(ValueError):
        call()


# --- on the line ------------------------------------------------------------------------


def arr(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


def on_line(pcm: bytes, offset: int, snr_db: float | None, rng: np.random.Generator) -> bytes:
    x = np.concatenate([rng.normal(0, 3, offset), arr(pcm), np.zeros(400)])
    if snr_db is not None:
        power = np.mean(arr(pcm) ** 2)
        x = x + rng.normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), len(x))
    pcm16 = np.clip(np.round(x), -32768, 32767).astype("<i2").tobytes()
    return g711.alaw_decode(g711.alaw_encode(pcm16))


def test_burst_is_seizure_marks_message_marks():
    data = clip.call_setup(when="12241830", number="1234")
    pcm = clip.burst(data)
    bits = 300 + 180 + 10 * len(data) + clip.TRAILING_MARKS
    assert len(pcm) == 2 * -(-20 * bits // 3)
    mod = fsk.Modulator(fsk.V23, clip.FSK_LEVEL)
    assert pcm == mod.seizure(300, 180) + mod.async_bytes(data) + mod.seizure(0, 5)


def test_dt_as_is_2130_and_2750_hz_for_100_ms():
    pcm = clip.dt_as()
    assert len(pcm) == 2 * 800
    amps, residual = fit_sines(arr(pcm), clip.DT_AS_FREQS)
    for amp in amps:
        assert 20 * np.log10(amp / PEAK_0DBM0) == pytest.approx(clip.DT_AS_LEVEL, abs=0.01)
    assert residual < 0.5


MESSAGES = [
    clip.call_setup(when="12241830", number="0301234567", name="Anna Schmidt"),
    clip.call_setup(absence=clip.PRIVATE, name_absence=clip.PRIVATE, call_type=1),
    clip.message_waiting(True, count=2),
]


@pytest.mark.parametrize("standard", [clip.ETSI, clip.BELL])
@pytest.mark.parametrize("level", [-10.0, -20.0, -30.0])
@pytest.mark.parametrize("snr_db", [None, 20.0])
def test_decode_round_trip(standard, level, snr_db):
    rng = np.random.default_rng(int(-level * 10 + (snr_db or 0)) + len(standard))
    extra = [clip.sdmf_call_setup("09301224", number="6095551212")] if standard == clip.BELL else []
    for data in MESSAGES + extra:
        for _ in range(3):
            pcm = on_line(clip.burst(data, standard, level_dbm0=level),
                          int(rng.integers(0, 4000)), snr_db, rng)
            msg = clip.decode(pcm, standard)
            assert msg is not None and msg.ok
            assert clip.frame(msg.type, msg.body) == data


def test_decode_after_dt_as_and_a_pause():
    data = MESSAGES[0]
    pcm = clip.dt_as() + bytes(2 * 8 * 100) + clip.burst(data)
    msg = clip.decode(pcm)
    assert msg is not None and msg.ok and msg.fields()["name"] == "Anna Schmidt"


def test_decode_flags_a_bad_checksum():
    data = bytearray(MESSAGES[0])
    data[-1] ^= 0x01
    msg = clip.decode(clip.burst(bytes(data)))
    assert msg is not None and not msg.checksum_ok and msg.framing_ok
    assert clip.frame(msg.type, msg.body)[:-1] == bytes(data[:-1])


def test_decode_finds_nothing_in_silence_or_a_cut_burst():
    assert clip.decode(bytes(16_000)) is None
    pcm = clip.burst(MESSAGES[0])
    assert clip.decode(pcm[: len(pcm) // 2]) is None


def test_unknown_standard_is_refused():
    with pytest.raises(ValueError, match="etsi, bell"):
        clip.burst(MESSAGES[0], "jclip")


# --- spandsp ------------------------------------------------------------------------------

SPANDSP_CASES = [
    ("etsi", clip.call_setup(when="12241830", number="0301234567", name="Anna Schmidt")),
    ("etsi", clip.call_setup(absence=clip.UNAVAILABLE, name="Sixteen chars ok")),
    ("etsi", clip.message_waiting(True, count=5)),
    ("bell", clip.call_setup(when="09301224", number="6095551212", name="DOE JOHN")),
    ("bell", clip.sdmf_call_setup("09301224", number="6095551212")),
]
STANDARD = {"etsi": refs.CLIP_ETSI, "bell": refs.CLIP_BELL}


def fields_for_spandsp(data: bytes) -> list[tuple[int, bytes]]:
    msg = clip.parse(data)
    return msg.params() if msg.is_mdmf else [(0, msg.body)]


@pytest.mark.parametrize("standard,data", SPANDSP_CASES)
def test_we_decode_spandsp_bursts(standard, data):
    fields = fields_for_spandsp(data)
    if any(len(v) == 16 for _, v in fields):
        pytest.skip("spandsp's adsi_add_field writes a 16-byte field's length twice")
    pcm = refs.clip_tx(STANDARD[standard], data[0], fields)
    msg = clip.decode(g711.alaw_decode(g711.alaw_encode(pcm)), standard)
    assert msg is not None and msg.ok
    assert clip.frame(msg.type, msg.body) == data


def test_spandsp_80_bit_default_mark_run_decodes_too():
    data = SPANDSP_CASES[0][1]
    pcm = refs.clip_tx(refs.CLIP_ETSI, data[0], fields_for_spandsp(data), mark_bits=-1)
    msg = clip.decode(pcm)
    assert msg is not None and msg.ok and clip.frame(msg.type, msg.body) == data


@pytest.mark.parametrize("standard,data", SPANDSP_CASES)
def test_spandsp_decodes_our_bursts(standard, data):
    pcm = g711.alaw_decode(g711.alaw_encode(clip.burst(data, standard)))
    assert refs.clip_rx(STANDARD[standard], pcm) == data[:-1]  # adsi_rx drops the checksum
