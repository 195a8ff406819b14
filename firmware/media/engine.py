"""The media engine: the Python face of ext/engine.c.

A table of channel slots in C, one per B-channel, processed all at once by ``tick()``
(every 10 or 20 ms): decode, DTMF detection, bridge and conference sums, tone, prompt
and DTMF playout, recording taps, encode. Python only changes the wiring between ticks
and reads the batch of events a tick returns.

Port drivers move line audio through ``rx(slot)`` and ``tx(slot)``: memoryviews on the
engine's own buffers (one tick of G.711 bytes each), written and read in place with no
per-tick copies or allocations. All memory is allocated once, here, at construction.

Prompts, tone descriptions and recording buffers stay referenced by this object while
the C side uses them, so the caller may drop its own references.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any, TypeAlias

from firmware.media._dsp import ffi, lib
from firmware.media.mix import gain_q12

BytesLike: TypeAlias = bytes | bytearray | memoryview

SAMPLE_RATE = 8000
MAX_TICK = 160  # samples: 20 ms


class Law(IntEnum):
    ALAW = lib.ENGINE_ALAW
    ULAW = lib.ENGINE_ULAW


class EventKind(IntEnum):
    DIGIT = lib.ENGINE_EV_DIGIT
    PROMPT_END = lib.ENGINE_EV_PROMPT_END
    TONE_END = lib.ENGINE_EV_TONE_END
    DTMF_END = lib.ENGINE_EV_DTMF_END
    RECORD_FULL = lib.ENGINE_EV_RECORD_FULL


RECORD_MODES = {"rx": lib.ENGINE_REC_RX, "tx": lib.ENGINE_REC_TX, "mix": lib.ENGINE_REC_MIX,
                "stereo": lib.ENGINE_REC_STEREO}
_PLAY_ENDS = (EventKind.PROMPT_END, EventKind.TONE_END, EventKind.DTMF_END)


@dataclass(frozen=True, slots=True)
class MediaEvent:
    """One event of a tick. ``time`` is in samples since the engine started; ``value``
    is the digit's character code (DIGIT), the samples played (PROMPT_END), the buffer
    length (RECORD_FULL, filled once) or the offset of the half just filled (ring)."""

    slot: int
    kind: EventKind
    value: int
    time: int

    @property
    def digit(self) -> str:
        return chr(self.value) if self.kind is EventKind.DIGIT else ""

    @property
    def seconds(self) -> float:
        return self.time / SAMPLE_RATE


class EngineError(Exception):
    """A wiring request the engine cannot carry out (bad slot, slot not open, full)."""


class Recording:
    """A recording tap's buffer: 16-bit linear samples (``stereo``: rx, tx pairs)."""

    def __init__(self, engine: MediaEngine, slot: int, buf: Any, mode: str, ring: bool) -> None:
        self.engine, self.slot, self.mode, self.ring = engine, slot, mode, ring
        self._buf = buf  # the cdata the C side writes into
        self._final: int | None = None  # where it stopped, once it has
        self.data = memoryview(ffi.buffer(buf)).cast("h")

    @property
    def done(self) -> bool:
        return self._final is not None

    @property
    def position(self) -> int:
        """int16 values written so far (a ring: where the next one goes)."""
        if self._final is not None:
            return self._final
        return int(lib.engine_record_pos(self.engine._e, self.slot))  # noqa: SLF001

    def samples(self) -> bytes:
        """What has been recorded, as 16-bit native-endian PCM (a ring: the whole ring)."""
        n = len(self.data) if self.ring else self.position
        return self.data[:n].tobytes()

    def _finish(self, position: int) -> None:
        self._final = position


class MediaEngine:
    """``capacity`` slots of ``tick`` samples (80: 10 ms, 160: 20 ms)."""

    def __init__(self, capacity: int = 2048, tick: int = MAX_TICK,
                 conferences: int | None = None) -> None:
        if not 1 <= tick <= MAX_TICK:
            raise ValueError(f"a tick is 1..{MAX_TICK} samples, got {tick}")
        if conferences is None:
            conferences = max(1, capacity // 3)
        conferences = min(conferences, capacity)
        size = lib.engine_size(capacity, conferences, tick)
        if size == 0:
            raise ValueError(f"bad engine size: {capacity} slots, {conferences} conferences")
        self._mem = ffi.new("char[]", size)
        self._e = ffi.cast("engine_t *", self._mem)
        if lib.engine_init(self._e, capacity, conferences, tick) != 0:
            raise ValueError("engine_init refused the sizes")
        self.capacity = capacity
        self.tick_samples = tick
        self.tick_seconds = tick / SAMPLE_RATE
        self._max_events = 4 * capacity + 16  # digits, a playout end and ring halves
        self._events = ffi.new("engine_event_t[]", self._max_events)
        region = capacity * tick
        self._rx = memoryview(ffi.buffer(lib.engine_rx_base(self._e), region))
        self._tx = memoryview(ffi.buffer(lib.engine_tx_base(self._e), region))
        self._playing: dict[int, Any] = {}   # slot -> prompt/tone/digits the C side reads
        self._recording: dict[int, Recording] = {}
        self.ticks = 0

    # slots ------------------------------------------------------------------------
    def open(self, law: Law = Law.ALAW) -> int:
        """A free slot, open and hearing silence."""
        slot = lib.engine_open(self._e, int(Law(law)))
        if slot < 0:
            self._check(slot, None)
        return slot

    def open_at(self, slot: int, law: Law = Law.ALAW) -> int:
        """Open a given slot (a driver with fixed channel-to-slot numbering)."""
        self._slot_number(slot)
        if self.is_open(slot):
            raise EngineError(f"slot {slot} is already open")
        self._check(lib.engine_open_at(self._e, slot, int(Law(law))), slot)
        return slot

    def close(self, slot: int) -> None:
        """Stop everything on the slot and free it; whoever heard it hears silence."""
        position = self._record_pos(slot)
        self._check(lib.engine_close(self._e, slot), slot)
        self._forget(slot, position)

    def stop(self, slot: int) -> None:
        """Back to silence: playout, bridge, conference and recording end (no events)."""
        position = self._record_pos(slot)
        self._check(lib.engine_stop(self._e, slot), slot)
        self._forget(slot, position)

    def is_open(self, slot: int) -> bool:
        return bool(lib.engine_is_open(self._e, slot))

    def rx(self, slot: int) -> memoryview:
        """The slot's receive buffer: the driver writes one tick of line bytes here."""
        start = self._slot_number(slot) * self.tick_samples
        return self._rx[start:start + self.tick_samples]

    def tx(self, slot: int) -> memoryview:
        """The slot's transmit buffer: the driver reads one tick of line bytes here."""
        start = self._slot_number(slot) * self.tick_samples
        return self._tx[start:start + self.tick_samples]

    # wiring -----------------------------------------------------------------------
    def connect(self, a: int, b: int) -> None:
        """A bridge: a hears b and b hears a."""
        self._check(lib.engine_connect(self._e, self._slot_number(a), self._slot_number(b)),
                    a, b)

    def listen(self, slot: int, source: int | None) -> None:
        """slot hears source (itself: loopback; None: silence); one way only."""
        src = -1 if source is None else self._slot_number(source)
        self._check(lib.engine_listen(self._e, self._slot_number(slot), src), slot, source)

    def disconnect(self, slot: int) -> None:
        """slot hears silence (what it plays and records carries on)."""
        self.listen(slot, None)

    def conference(self, slots: list[int]) -> int:
        """A new conference of ``slots``: each hears all the others. Returns its number;
        it ends when its last member leaves."""
        for slot in slots:
            self._open_slot(slot)
        conf = lib.engine_conf_new(self._e)
        if conf < 0:
            raise EngineError("no free conference")
        for slot in slots:
            self._check(lib.engine_conf_join(self._e, conf, slot), slot)
        return conf

    def join(self, conf: int, slot: int) -> None:
        """slot joins conference conf (leaving whatever it heard before)."""
        rc = lib.engine_conf_join(self._e, conf, self._slot_number(slot))
        if rc == lib.ENGINE_EBADCONF:
            raise EngineError(f"no conference {conf}")
        self._check(rc, slot)

    def leave(self, slot: int) -> None:
        """slot leaves its conference and hears silence."""
        self._check(lib.engine_conf_leave(self._e, self._slot_number(slot)), slot)

    def conference_size(self, conf: int) -> int:
        n = lib.engine_conf_size(self._e, conf)
        if n < 0:
            raise EngineError(f"no conference {conf}")
        return n

    def set_gain(self, slot: int, db: float) -> None:
        """How loud the others hear this slot (0 dB: as received)."""
        self._check(lib.engine_set_gain(self._e, self._slot_number(slot), gain_q12(db)), slot)

    def detect_dtmf(self, slot: int, on: bool = True) -> None:
        self._check(lib.engine_detect_dtmf(self._e, self._slot_number(slot), int(on)), slot)

    # playout ----------------------------------------------------------------------
    def play_tone(self, slot: int, desc: Any) -> None:
        """Play a tone (a ``tone_desc_t *`` from firmware.media.tone) instead of what
        the slot hears; a play-once tone ends with TONE_END."""
        self._check(lib.engine_play_tone(self._e, self._slot_number(slot), desc), slot)
        self._playing[slot] = desc

    def play_prompt(self, slot: int, pcm: BytesLike, offset: int = 0) -> None:
        """Play 16-bit native-endian PCM from sample ``offset``; PROMPT_END at its end."""
        samples = _int16_view(pcm)
        n = len(samples)
        if not 0 <= offset <= n:
            raise EngineError(f"prompt offset {offset} is outside its {n} samples")
        self._check(lib.engine_play_prompt(self._e, self._slot_number(slot), samples, n,
                                           offset), slot)
        self._playing[slot] = samples

    def send_dtmf(self, slot: int, digits: str, level_dbm0: int = -10, on_ms: int = 80,
                  off_ms: int = 80) -> None:
        """Send DTMF digits on the slot; DTMF_END when the last one is out."""
        if not digits or any(c not in "0123456789*#ABCDabcd" for c in digits):
            raise EngineError(f"bad DTMF digits {digits!r}: 0-9, *, #, A-D")
        text = ffi.new("char[]", digits.encode())
        self._check(lib.engine_send_dtmf(self._e, self._slot_number(slot), text, level_dbm0,
                                         on_ms, off_ms), slot)
        self._playing[slot] = text

    def stop_play(self, slot: int) -> None:
        """End a tone, prompt or DTMF playout now (no event); the slot hears its source."""
        self._check(lib.engine_stop_play(self._e, self._slot_number(slot)), slot)
        self._playing.pop(slot, None)

    # recording --------------------------------------------------------------------
    def record(self, slot: int, samples: int, mode: str = "rx", ring: bool = False
               ) -> Recording:
        """Tap the slot's audio into a new buffer of ``samples`` samples. Filled once,
        it ends with RECORD_FULL; a ring keeps going and reports each half as it fills.
        mode: rx (received), tx (sent), mix (both summed), stereo (rx/tx pairs)."""
        if mode not in RECORD_MODES:
            raise EngineError(f"record mode {mode!r}: one of {', '.join(RECORD_MODES)}")
        if samples < 2 or (ring and samples % 2):
            raise EngineError(f"a recording needs at least 2 samples (an even number for "
                              f"a ring), got {samples}")
        values = samples * (2 if mode == "stereo" else 1)
        self._open_slot(slot)
        buf = ffi.new("int16_t[]", values)
        self._check(lib.engine_record(self._e, slot, buf, values, RECORD_MODES[mode],
                                      int(ring)), slot)
        rec = Recording(self, slot, buf, mode, ring)
        self._recording[slot] = rec
        return rec

    def record_stop(self, slot: int) -> Recording | None:
        """End the slot's tap; returns it (with what it holds) or None."""
        pos = lib.engine_record_stop(self._e, self._slot_number(slot))
        self._check(pos, slot)
        rec = self._recording.pop(slot, None)
        if rec is not None:
            rec._finish(int(pos))  # noqa: SLF001
        return rec

    # the tick ---------------------------------------------------------------------
    def tick(self) -> list[MediaEvent]:
        """Process every open slot once; the events of this tick."""
        n = lib.engine_tick(self._e, self._events, self._max_events)
        self.ticks += 1
        if not n:
            return []
        out = []
        for i in range(n):
            ev = self._events[i]
            kind = EventKind(ev.kind)
            event = MediaEvent(ev.slot, kind, ev.value, ev.time)
            if kind in _PLAY_ENDS:
                self._playing.pop(event.slot, None)
            elif kind is EventKind.RECORD_FULL:
                rec = self._recording.get(event.slot)
                if rec is not None and not rec.ring:
                    rec._finish(event.value)  # noqa: SLF001
                    del self._recording[event.slot]
            out.append(event)
        return out

    @property
    def time(self) -> int:
        """Samples processed since the start."""
        return int(lib.engine_time(self._e))

    @property
    def active(self) -> int:
        return int(lib.engine_active(self._e))

    def status(self) -> dict[str, Any]:
        return {"capacity": self.capacity, "tick_ms": self.tick_seconds * 1000,
                "open": self.active, "ticks": self.ticks,
                "time_s": round(self.time / SAMPLE_RATE, 3),
                "events_dropped": int(lib.engine_events_dropped(self._e))}

    # helpers ----------------------------------------------------------------------
    def _slot_number(self, slot: int) -> int:
        if type(slot) is not int:
            raise EngineError(f"a slot is an int, got {type(slot).__name__} {slot!r}")
        if not 0 <= slot < self.capacity:
            raise EngineError(f"no slot {slot}: this engine has slots 0..{self.capacity - 1}")
        return slot

    def _record_pos(self, slot: int) -> int:
        return max(0, int(lib.engine_record_pos(self._e, self._slot_number(slot))))

    def _open_slot(self, slot: int) -> int:
        if not self.is_open(self._slot_number(slot)):
            raise EngineError(f"slot {slot} is not open")
        return slot

    def _forget(self, slot: int, position: int) -> None:
        """Drop what the C side no longer reads, after the slot was stopped."""
        self._playing.pop(slot, None)
        rec = self._recording.pop(slot, None)
        if rec is not None:
            rec._finish(position)  # noqa: SLF001

    def _check(self, rc: int, slot: int | None, other: int | None = None) -> None:
        if rc >= 0:
            return
        if rc == lib.ENGINE_EBADSLOT:
            bad = slot if other is None or (slot is not None and 0 <= slot < self.capacity) \
                else other
            raise EngineError(f"no slot {bad}: this engine has slots 0..{self.capacity - 1}")
        if rc == lib.ENGINE_ENOTOPEN:
            closed = [s for s in (slot, other) if s is not None and not self.is_open(s)]
            raise EngineError(f"slot {closed[0] if closed else slot} is not open")
        if rc == lib.ENGINE_EFULL:
            raise EngineError(f"the engine is full ({self.capacity} slots)")
        if rc == lib.ENGINE_EBADCONF:
            raise EngineError("no such conference")
        raise EngineError(f"slot {slot}: the engine refused the request (invalid argument)")


def _int16_view(pcm: BytesLike) -> Any:
    """An ``int16_t[]`` over 16-bit PCM, copied only when misaligned or strided."""
    view = memoryview(pcm)
    if not view.c_contiguous:
        view = memoryview(view.tobytes())
    if view.nbytes & 1:
        raise EngineError(f"16-bit PCM needs an even number of bytes, got {view.nbytes}")
    data = ffi.from_buffer("int16_t[]", view)
    if int(ffi.cast("uintptr_t", data)) & 1:
        data = ffi.from_buffer("int16_t[]", view.tobytes())
    return data
