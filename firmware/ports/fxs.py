"""The FXS layer-1 interface: what a SLIC driver gives an analog port.

An FXS port feeds one analog phone over two wires. Layer 1 is the loop state (the
phone on or off hook), the ringing voltage the port puts on the line, and one audio
channel, which is a media-engine slot open for the port's whole life (the codec of a
SLIC runs whether or not a call is up).

Hook timing is decided here, with the injected clock, so everything above sees three
clean indications: OFF_HOOK, ON_HOOK and HOOK_FLASH (register recall). A loop break
shorter than FLASH_MIN is a glitch (or a dial pulse: this port takes DTMF only) and
is ignored; a break of FLASH_MIN..FLASH_MAX that ends off-hook again is a hook flash
(ETSI ES 201 970 / EN 300 001 register recall: about 80–300 ms); a break that lasts
FLASH_MAX is on-hook.

The copper is a backend (`FxsCopper`): the real one is a SLIC driver, the sim one
(firmware/sim/analog_line.py) a wire to a simulated analog phone.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, Protocol

from firmware.clock import Clock, TimerHandle
from firmware.log import get_logger
from firmware.media.engine import Law, MediaEngine
from firmware.system.board import PortSpec

FLASH_MIN = 0.080  # seconds: a shorter break is ignored
FLASH_MAX = 0.300  # seconds: a break this long is on-hook

log = get_logger("ports.fxs")


class HookEvent(Enum):
    OFF_HOOK = "off-hook"
    ON_HOOK = "on-hook"
    HOOK_FLASH = "hook-flash"


class FxsCopper(Protocol):
    """The line behind the port: puts ringing voltage on it (or takes it off)."""

    def ring(self, on: bool) -> None: ...


class FxsPort:
    def __init__(self, spec: PortSpec, clock: Clock, media: MediaEngine,
                 law: Law = Law.ALAW) -> None:
        self.spec = spec
        self.name = spec.name
        self.clock = clock
        self.media = media
        self.slot = media.open(law)  # the line's audio, open for the port's life
        media.detect_dtmf(self.slot, True)  # the phone dials with DTMF, in or out of calls
        self.copper: FxsCopper | None = None
        self.on_hook_event: Callable[[HookEvent], None] | None = None
        self.off_hook = False  # the debounced state the layers above see
        self.loop_closed = False  # the raw loop state the SLIC reports
        self.ringing = False
        self._break: TimerHandle | None = None
        self._break_at = 0.0
        self.counters = {"off_hook": 0, "on_hook": 0, "flash": 0}

    # from the SLIC (or the sim copper) ----------------------------------------------
    def loop(self, closed: bool) -> None:
        """The loop current started (off-hook) or stopped (a break)."""
        if closed == self.loop_closed:
            return
        self.loop_closed = closed
        if not closed:
            if self.off_hook:  # a break: flash or on-hook, decided by its length
                self._break_at = self.clock.now()
                self._break = self.clock.call_later(FLASH_MAX, self._break_long)
            return
        if self._break is not None:  # the break ends before it became on-hook
            self._break.cancel()
            self._break = None
            if self.clock.now() - self._break_at >= FLASH_MIN:
                self._indicate(HookEvent.HOOK_FLASH)
            return
        if not self.off_hook:
            self.off_hook = True
            if self.ringing:  # ring trip: the SLIC drops ringing as the phone answers
                self.ring(False)
            self._indicate(HookEvent.OFF_HOOK)

    def _break_long(self) -> None:
        self._break = None
        self.off_hook = False
        self._indicate(HookEvent.ON_HOOK)

    # to the line ----------------------------------------------------------------------
    def ring(self, on: bool) -> None:
        """Ringing voltage on or off (the cadence is the caller's to time)."""
        if on and self.off_hook:
            return  # never ring into an off-hook phone
        if on == self.ringing:
            return
        self.ringing = on
        if self.copper is not None:
            self.copper.ring(on)

    def close(self) -> None:
        if self._break is not None:
            self._break.cancel()
        self.ring(False)
        self.media.close(self.slot)

    def _indicate(self, event: HookEvent) -> None:
        key = {HookEvent.OFF_HOOK: "off_hook", HookEvent.ON_HOOK: "on_hook",
               HookEvent.HOOK_FLASH: "flash"}[event]
        self.counters[key] += 1
        log.info("fxs_hook", port=self.name, hook=event.value)
        if self.on_hook_event is not None:
            self.on_hook_event(event)

    def status(self) -> dict[str, Any]:
        return {"name": self.name, "kind": "fxs", "backend": self.spec.backend,
                "hook": "off" if self.off_hook else "on", "ringing": self.ringing,
                "slot": self.slot, "counters": dict(self.counters)}
