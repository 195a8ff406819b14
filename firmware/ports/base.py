"""The one door to layer 1: the Port interface every line driver implements.

Shaped after the kernel's mISDN layer-1 sockets so the real driver fits unchanged:
requests go down as PH_ACTIVATE_REQ / PH_DEACTIVATE_REQ / PH_DATA_REQ on the D-channel
and raw or HDLC data on B-channels; indications come up as the events below, through
exactly one handler (the layer-2 entity, or a monitor until there is one).
Frames on the D-channel are whole LAPD frames from address to information, without
flags or FCS — what mISDN delivers and what a LINUX_LAPD pcap record holds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from firmware.system.board import PortSpec

B_CHANNELS = (1, 2)  # a BRI has B1 and B2


class L1State(StrEnum):
    """Layer-1 state as layer 2 sees it (I.430 F3/F7 on TE, G1/G3 on NT, simplified)."""

    DEACTIVATED = "deactivated"
    ACTIVATING = "activating"
    ACTIVATED = "activated"


class BProtocol(StrEnum):
    RAW = "raw"    # transparent: A-law bytes, 8000 per second (mISDN ISDN_P_B_RAW)
    HDLC = "hdlc"  # framed: one data unit per frame, for PPP (mISDN ISDN_P_B_HDLC)


@dataclass(slots=True)
class PhActivateInd:
    port: str


@dataclass(slots=True)
class PhDeactivateInd:
    port: str


@dataclass(slots=True)
class PhDataInd:
    port: str
    frame: bytes  # one LAPD frame, without FCS


@dataclass(slots=True)
class BDataInd:
    port: str
    channel: int
    data: bytes


PortEvent = PhActivateInd | PhDeactivateInd | PhDataInd | BDataInd
PortHandler = Callable[[PortEvent], None]


class PortError(Exception):
    """A request layer 1 cannot take (bad channel, port closed, …)."""


class Port(ABC):
    """A BRI port as seen from layer 2 and the media engine."""

    def __init__(self, spec: PortSpec) -> None:
        self.spec = spec
        self._handler: PortHandler | None = None
        self._b_open: dict[int, BProtocol] = {}
        self.counters = {"d_rx": 0, "d_tx": 0, "d_tx_dropped": 0, "b_rx_bytes": 0,
                         "b_tx_bytes": 0}

    @property
    def name(self) -> str:
        return self.spec.name

    def bind(self, handler: PortHandler) -> None:
        """Set the one consumer of this port's indications."""
        self._handler = handler

    def indicate(self, event: PortEvent) -> None:
        """Pass an indication up. Backends call this; nothing above calls it."""
        if isinstance(event, PhDataInd):
            self.counters["d_rx"] += 1
        elif isinstance(event, BDataInd):
            self.counters["b_rx_bytes"] += len(event.data)
        if self._handler is not None:
            self._handler(event)

    @property
    @abstractmethod
    def l1_state(self) -> L1State: ...

    @abstractmethod
    def ph_activate_req(self) -> None:
        """Ask for layer 1; PhActivateInd follows once it is up."""

    @abstractmethod
    def ph_deactivate_req(self) -> None:
        """Release layer 1 (only the NT side can actually deactivate a bus)."""

    @abstractmethod
    def ph_data_req(self, frame: bytes) -> None:
        """Send one LAPD frame on the D-channel."""

    def b_open(self, channel: int, protocol: BProtocol) -> None:
        self._check_channel(channel)
        self._b_open[channel] = BProtocol(protocol)

    def b_close(self, channel: int) -> None:
        self._check_channel(channel)
        self._b_open.pop(channel, None)

    def b_protocol(self, channel: int) -> BProtocol | None:
        return self._b_open.get(channel)

    @property
    def carries_audio(self) -> bool:
        """The driver feeds B-channel audio to a media engine (b_slot says where)."""
        return False

    def b_slot(self, channel: int) -> int | None:
        """The media engine slot carrying an open raw B-channel's audio, on ports whose
        driver feeds the engine (None otherwise): what the PBX connects and plays to."""
        return None

    @abstractmethod
    def b_data_req(self, channel: int, data: bytes) -> None:
        """Send A-law bytes (raw) or one frame (hdlc) on an open B-channel."""

    def close(self) -> None:
        self._b_open.clear()
        self._handler = None

    def status(self) -> dict[str, Any]:
        return {
            "name": self.name, "role": self.spec.role, "mode": self.spec.mode,
            "backend": self.spec.backend, "l1": str(self.l1_state),
            "b_channels": {str(ch): str(p) for ch, p in sorted(self._b_open.items())},
            "counters": dict(self.counters),
        }

    def _check_channel(self, channel: int) -> None:
        if channel not in B_CHANNELS:
            raise PortError(f"port {self.name}: no B-channel {channel} (a BRI has 1 and 2)")
