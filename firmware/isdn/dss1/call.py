"""One call's record: its call reference, state, channel and what clearing needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from firmware.isdn.dss1.states import CallState
from firmware.isdn.q931.messages import Message


@dataclass(slots=True)
class Call:
    id: int
    cr: int
    ours: bool                  # we allocated the call reference (we sent the SETUP)
    tei: int | None             # the terminal's data link; None while a broadcast is open
    state: CallState = CallState.NULL
    channel: int | None = None
    called: str = ""
    calling: str = ""
    cause: int | None = None    # why it is clearing
    setup: Message | None = None  # kept to repeat it at the first T303 expiry
    t303_expiries: int = 0
    t308_expiries: int = 0
    t322_expiries: int = 0
    dl_lost: bool = False       # under T309
    timers: set[str] = field(default_factory=set)  # names of our running timers
    reported: bool = False      # RELEASE-IND has gone up
    # Network side, point-to-multipoint offering (Q.931 5.2.5):
    broadcast: bool = False
    offer_open: bool = False    # T312 running: terminals may still respond
    responders: dict[int, CallState] = field(default_factory=dict)  # tei -> its state
    rejections: list[int] = field(default_factory=list)  # causes from terminals
    # Responders that lost the race, awaiting RELEASE COMPLETE after our RELEASE (26).
    losers: set[int] = field(default_factory=set)

    @property
    def key(self) -> tuple[int | None, int, bool]:
        return (self.tei, self.cr, self.ours)
