"""B-channel selection on a basic access (Q.931 5.1.2 and 5.2.3.1)."""

from __future__ import annotations

from firmware.isdn.q931.causes import CauseValue
from firmware.isdn.q931.ies import ChannelIdentification

BRI_CHANNELS = (1, 2)


class BChannels:
    """Which B-channel each call holds. Only the side that assigns channels (the
    network) refuses; the user side records what the network chose."""

    def __init__(self, channels: tuple[int, ...] = BRI_CHANNELS) -> None:
        self.channels = channels
        self.holder: dict[int, int] = {}  # channel -> call id

    def free(self) -> list[int]:
        return [c for c in self.channels if c not in self.holder]

    def select(self, wanted: ChannelIdentification | None) -> int | CauseValue:
        """The channel to give a call that asked for `wanted`, or the cause to refuse."""
        free = self.free()
        if wanted is not None and wanted.channel in self.channels:
            if wanted.channel in free:
                return wanted.channel
            if wanted.exclusive:
                return CauseValue.REQUESTED_CHANNEL_NOT_AVAILABLE
        return free[0] if free else CauseValue.NO_CIRCUIT_AVAILABLE

    def take(self, channel: int | None, call: int) -> None:
        if channel in self.channels:
            self.holder[channel] = call

    def release(self, call: int) -> None:
        for channel in [c for c, holder in self.holder.items() if holder == call]:
            del self.holder[channel]

    def release_all(self) -> None:
        self.holder.clear()
