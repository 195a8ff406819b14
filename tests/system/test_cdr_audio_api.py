"""What the web admin's call list asks the real daemon: filtered CDRs, the CSV export,
and voicemail/recording audio through `audio` with its path checks."""

from __future__ import annotations

import base64
import csv
import io
import os

import pytest

from firmware.api.client import ApiClient
from firmware.api.protocol import ApiError
from firmware.media import wav
from firmware.pbx.cdr import COLUMNS
from firmware.store.schema import STORE_FILE
from tests.system.boxprocs import run_ctl
from tests.system.test_pbx import phone, wait_for


@pytest.fixture
def api(daemon, box_paths):
    with ApiClient(box_paths.socket, timeout=5.0) as client:
        yield client


def test_cdr_filters_and_the_csv_export(api, box_paths):
    api.call("sim.phone", name="21", action="dial", number="00301234567")  # answers in 1 s
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected", "21 is connected")
    api.call("sim.phone", name="21", action="hangup")
    api.call("sim.phone", name="22", action="dial", number="00309999999")  # busy
    wait_for(lambda: api.call("cdr")["total"] == 2, "two CDRs")
    answered = api.call("cdr", disposition="answered")
    assert answered["total"] == 1 and answered["rows"][0]["dst"] == "00301234567"
    missed = api.call("cdr", disposition="missed", direction="out", number="22")
    assert missed["total"] == 1 and missed["rows"][0]["disposition"] == "BUSY"
    assert api.call("cdr", direction="in")["total"] == 0
    assert api.call("cdr", since="2000-01-01", until="2000-01-02")["total"] == 0
    with pytest.raises(ApiError) as e:
        api.call("cdr", direction="sideways", since="soon")
    assert set(e.value.fields) == {"direction", "since"}

    out = run_ctl(box_paths, "cdr", "--csv", "--disposition", "missed")
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == COLUMNS and len(rows) == 2
    assert rows[1][COLUMNS.index("disposition")] == "BUSY"


def with_mailbox(api, number: str = "21") -> None:
    config = api.call("pbx.config")
    for ext in config["extensions"]:
        if ext["number"] == number:
            ext["voicemail"] = True
    api.call("pbx.configure", config=config)


def test_audio_serves_a_mailboxs_message_in_chunks(api, box_paths):
    with_mailbox(api)
    folder = box_paths.data_dir / "voicemail" / "21"
    folder.mkdir(parents=True, exist_ok=True)
    pcm = wav.pcm_of([(i * 37) % 2000 - 1000 for i in range(8000 * 70)])  # 70 s
    wav.write(folder / "msg0001.wav", pcm, wav.ALAW)
    blob = (folder / "msg0001.wav").read_bytes()
    assert len(blob) > 512 * 1024  # more than one chunk
    got, offset = b"", 0
    while True:
        part = api.call("audio", mailbox="21", message="0001", offset=offset)
        assert part["content_type"] == "audio/wav" and part["size"] == len(blob)
        data = base64.b64decode(part["data"])
        got += data
        offset += len(data)
        if offset >= part["size"]:
            break
    assert got == blob


def test_audio_reads_nothing_outside_its_two_folders(api, box_paths):
    with_mailbox(api)
    secret = box_paths.data_dir / STORE_FILE
    assert secret.exists()
    recordings = box_paths.data_dir / "recordings"
    recordings.mkdir(exist_ok=True)
    os.symlink(secret, recordings / "leak.wav")
    wav.write(recordings / "2026-12-05_1200_c1_21-22.wav", wav.pcm_of([0] * 800))
    part = api.call("audio", recording="2026-12-05_1200_c1_21-22.wav")
    assert base64.b64decode(part["data"])[:4] == b"RIFF"
    for args, code in (({"recording": "../ringback.json"}, "bad_args"),
                       ({"recording": "../../etc/passwd.wav"}, "bad_args"),
                       ({"recording": ".hidden.wav"}, "bad_args"),
                       ({"recording": "leak.wav"}, "not_found"),  # a link out of the folder
                       ({"recording": "none.wav"}, "not_found"),
                       ({"mailbox": "21", "message": "../../ringback"}, "bad_args"),
                       ({"mailbox": "..", "message": "0001"}, "not_found"),
                       ({"mailbox": "22", "message": "0001"}, "not_found"),  # no mailbox
                       ({"mailbox": "21", "message": "0009"}, "not_found"),
                       ({"mailbox": "21"}, "bad_args"),
                       ({"mailbox": "21", "message": "0001", "recording": "x.wav"},
                        "bad_args")):
        with pytest.raises(ApiError) as e:
            api.call("audio", **args)
        assert e.value.code == code, (args, e.value.message)
