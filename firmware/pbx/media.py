"""What the PBX's own services (voicemail, the callback's questions) need of the media
engine, addressed by PBX call id and leg: "a" is the call's A leg (the caller, or the
first party of an originated call), "b" its connected leg. The daemon's media bridge
implements it over the engine's slots; tests may record what is asked of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class CallMedia(Protocol):
    def play_prompt(self, call_id: str, leg: str, pcm: bytes) -> None:
        """Play 16-bit 8 kHz PCM to the leg; it hears that instead of its peer."""

    def play_tone(self, call_id: str, leg: str, tone: str) -> None:
        """Play one of the country's tones (firmware/media/tones.py) until stopped."""

    def stop_playing(self, call_id: str, leg: str) -> None: ...

    def on_digit(self, call_id: str, leg: str,
                 handler: Callable[[str], None] | None) -> None:
        """DTMF keys from the leg go to ``handler`` (None: detection off)."""

    def record(self, call_id: str, leg: str, max_seconds: float) -> None:
        """Start taking what the leg says, up to ``max_seconds``."""

    def stop_recording(self, call_id: str, leg: str) -> bytes:
        """End the recording: what was said, 16-bit 8 kHz PCM."""
