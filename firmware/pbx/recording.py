"""Call recording: a call of an extension or group with ``record: true``, or one the
API starts, is written to ``data_dir/recordings/`` as a stereo WAV, 16-bit 8 kHz.

Stereo, not a mix: the left channel is the A leg (the caller), the right what the A leg
hears (the callee; in a conference the others' mix; on hold the music). Kept apart, each
side can be heard (or searched for keys) on its own, and a mix is one step away; a mix
cannot be taken apart again. The tap is a ring on the A leg's slot in the engine's
``stereo`` mode: each half, as it fills, is reported (RECORD_FULL) and appended to the
file, so a call of any length needs only the ring (2 s, 64 KiB).

A recording ends with its call segment: a transfer ends the segment (and its CDR row),
so each segment is its own file, and the new segment is recorded if its own parties say
so. When the A leg's B-channel goes and comes back (a phone holding on DSS1 and
retrieving), the tap moves to the new slot and the same file carries on.

The name says when, which call and who: ``20261205-134501_c7_0301112222_21.wav``.
The CDR's ``userfield`` carries it.
"""

from __future__ import annotations

import re
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from firmware.clock import Clock
from firmware.events import EventBus
from firmware.log import get_logger
from firmware.media.engine import EngineError, MediaEngine, Recording
from firmware.media.wav_stream import HEADER, WavWriter

log = get_logger("pbx.recording")

SAMPLE_RATE = 8000
RING_FRAMES = 2 * SAMPLE_RATE  # two seconds of stereo frames: halves of one second
_UNSAFE = re.compile(r"[^0-9A-Za-z+*#-]")


class RecordingError(Exception):
    """A request the recorder cannot carry out; the message says why."""


@dataclass
class CallRecording:
    call_id: str
    path: Path
    reason: str  # "extension 21", "group 30", "api"
    started: float
    writer: WavWriter
    slot: int = -1
    tap: Recording | None = None
    next_value: int = 0  # the first int16 of the ring not yet written
    taps: list[int] = field(default_factory=list)  # the slots it has tapped

    def status(self) -> dict[str, Any]:
        return {"call": self.call_id, "file": self.path.name, "path": str(self.path),
                "reason": self.reason, "started": self.started,
                "seconds": round(self.writer.seconds, 2), "bytes": HEADER +
                self.writer.data_bytes, "recording": True}


class CallRecorder:
    def __init__(self, engine: MediaEngine, directory: str | Path, clock: Clock,
                 events: EventBus | None = None) -> None:
        self.engine = engine
        self.directory = Path(directory)
        self.clock = clock
        self.events = events
        self._active: dict[str, CallRecording] = {}

    def active(self, call_id: str) -> CallRecording | None:
        return self._active.get(call_id)

    def start(self, call_id: str, parties: tuple[str, str], slot: int, reason: str
              ) -> CallRecording:
        if call_id in self._active:
            raise RecordingError(f"call {call_id} is already being recorded")
        self.directory.mkdir(parents=True, exist_ok=True)
        name = _name(self.clock.wall(), call_id, parties)
        path, n = self.directory / name, 1
        while path.exists():  # started again within the second
            n += 1
            path = self.directory / name.replace(".wav", f"-{n}.wav")
        rec = CallRecording(call_id, path, reason, self.clock.wall(), WavWriter(path, 2))
        try:
            self._tap(rec, slot)
        except EngineError as e:
            rec.writer.close().unlink(missing_ok=True)
            raise RecordingError(f"call {call_id} has no audio to record: {e}") from None
        self._active[call_id] = rec
        log.info("recording_started", call=call_id, file=path.name, reason=reason)
        self._publish("started", rec)
        return rec

    def follow(self, call_id: str, slot: int | None) -> None:
        """The A leg's slot now (None: no B-channel): move the tap if it changed."""
        rec = self._active.get(call_id)
        if rec is None or slot is None or (slot == rec.slot and rec.tap is not None
                                           and not rec.tap.done):
            return
        self._drain(rec)
        try:
            self._tap(rec, slot)
        except EngineError as e:
            log.error("recording_tap_lost", call=call_id, slot=slot, error=str(e))

    def half_filled(self, slot: int, value: int) -> bool:
        """RECORD_FULL of a ring: write the half that filled. False: not one of ours."""
        rec = next((r for r in self._active.values() if r.slot == slot and r.tap is not None
                    and not r.tap.done), None)
        if rec is None:
            return False
        half = len(rec.tap.data) // 2
        rec.writer.write(rec.tap.data[value:value + half])
        rec.next_value = (value + half) % len(rec.tap.data)
        return True

    def stop(self, call_id: str, why: str = "stopped") -> CallRecording | None:
        rec = self._active.pop(call_id, None)
        if rec is None:
            return None
        if rec.tap is not None and not rec.tap.done and self.engine.is_open(rec.slot):
            self.engine.record_stop(rec.slot)
        self._drain(rec)
        rec.writer.close()
        log.info("recording_stopped", call=call_id, file=rec.path.name, why=why,
                 seconds=round(rec.writer.seconds, 2))
        self._publish("stopped", rec, why=why, seconds=round(rec.writer.seconds, 2))
        return rec

    def listing(self) -> list[dict[str, Any]]:
        """Finished recordings (newest first) and the ones going on."""
        going = {r.path.name for r in self._active.values()}
        done = []
        for path in sorted(self.directory.glob("*.wav"), reverse=True) \
                if self.directory.is_dir() else ():
            if path.name in going:
                continue
            try:
                size = path.stat().st_size
                with open(path, "rb") as f:
                    head = f.read(HEADER)
            except OSError:
                continue
            channels = struct.unpack_from("<H", head, 22)[0] if len(head) >= HEADER else 0
            data = struct.unpack_from("<I", head, 40)[0] if len(head) >= HEADER else 0
            done.append({"file": path.name, "path": str(path), "bytes": size,
                         "seconds": round(data / (2 * (channels or 1) * SAMPLE_RATE), 2),
                         "recording": False})
        return [r.status() for r in self._active.values()] + done

    # helpers ----------------------------------------------------------------------
    def _tap(self, rec: CallRecording, slot: int) -> None:
        rec.tap = self.engine.record(slot, RING_FRAMES, "stereo", ring=True)
        rec.slot, rec.next_value = slot, 0
        rec.taps.append(slot)

    def _drain(self, rec: CallRecording) -> None:
        """What the ring holds past its last reported half (the tap has ended)."""
        tap = rec.tap
        if tap is None:
            return
        if not tap.done and self.engine.is_open(rec.slot):
            self.engine.record_stop(rec.slot)
        end = tap.position if tap.done else rec.next_value
        end -= end % 2  # whole stereo frames
        if end > rec.next_value:
            rec.writer.write(tap.data[rec.next_value:end])
        rec.tap = None

    def _publish(self, state: str, rec: CallRecording, **extra: Any) -> None:
        if self.events is not None:
            self.events.publish("pbx.recording", state=state, call=rec.call_id,
                                file=rec.path.name, reason=rec.reason, **extra)


def _name(epoch: float, call_id: str, parties: tuple[str, str]) -> str:
    when = time.strftime("%Y%m%d-%H%M%S", time.localtime(epoch))
    who = "_".join(_UNSAFE.sub("", p)[:24] or "unknown" for p in parties)
    return f"{when}_{_UNSAFE.sub('', call_id)}_{who}.wav"
