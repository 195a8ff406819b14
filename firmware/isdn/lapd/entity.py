"""The layer-2 entity of one port: frames in, frames out, data links and TEI management.

Sans-I/O: every input comes with the time (`now`) and returns a list of outputs —
    PhDataReq(bytes)  a frame for the port
    PhActivateReq()   layer 1 must come up (frames wait until it does)
    StartTimer/StopTimer (TEI management's timers), ArmTimer (a clock callback for
    a data link's T200/T203: timer_due), AckCheck (call ack_check once layer 3 has
    seen the I frame), DlIndication (to layer 3), MdlError (to the log)
The user side (TE) and the network side (NT) are one class; `network_side` decides
the C/R bits and which half of TEI management runs, `ptp` whether TEI 0 is fixed.

TE: one data link for SAPI 0 whose TEI comes from TeiUser (P-MP) or is 0 (PTP).
NT: one data link per assigned TEI (P-MP) or TEI 0 (PTP); DL-UNITDATA-REQ goes out
    as a broadcast UI frame on TEI 127, as a SETUP towards several terminals does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from firmware.enums import members
from firmware.isdn.lapd import frame as lapd
from firmware.isdn.lapd.datalink import DataLink, Event, InputTime, LinkParams, State
from firmware.isdn.lapd.frame import (
    SAPI_CALL_CONTROL,
    SAPI_TEI_MANAGEMENT,
    TEI_GROUP,
    Frame,
    InvalidFrame,
    Kind,
    decode,
)
from firmware.isdn.lapd.primitives import (
    AckCheck,
    ArmTimer,
    Dl,
    DlIndication,
    MdlError,
    PhActivateReq,
    PhDataReq,
    SendFrame,
    StartTimer,
    StopTimer,
)
from firmware.isdn.lapd.tei import (
    TeiAssigned,
    TeiFailed,
    TeiNetwork,
    TeiRemoved,
    TeiUser,
    decode_tei,
)


@dataclass(slots=True)
class TeiEvent:
    """For logs and status: a TEI was assigned, removed, or could not be had."""

    what: str  # "assigned", "removed", "failed"
    tei: int | None


Out = (PhDataReq | PhActivateReq | StartTimer | StopTimer | ArmTimer | DlIndication | MdlError
       | TeiEvent | AckCheck)
# Members read per frame, bound for speed (firmware/enums.py): E.X is Event.X.
E = members(Event)
K = members(Kind)
DL = members(Dl)
# A user-side link without a TEI in these states is waiting for TEI management.
_AWAITING_TEI = (State.ASSIGN_AWAITING_TEI, State.ESTABLISH_AWAITING_TEI)


class Lapd:
    def __init__(self, *, network_side: bool, ptp: bool, params: LinkParams | None = None,
                 rng: random.Random | None = None) -> None:
        self.network_side = network_side
        self._peer_is_network = not network_side
        self.ptp = ptp
        self.params = params or LinkParams()
        self.l1_active = False
        self.time = InputTime()  # of the input being handled; the links read it
        self._pending_tx: list[bytes] = []
        self.links: dict[int | None, DataLink] = {}
        self.tei_user = TeiUser(rng or random.Random()) if not network_side and not ptp else None
        self.tei_net = TeiNetwork() if network_side and not ptp else None
        if ptp:
            self.links[0] = self._new_link(0)
        elif not network_side:
            self.links[None] = self._new_link(None)
        # The one link when there is no choice (TE, or PTP); None: the NT on a P-MP bus.
        self._default = None if network_side and not ptp else next(iter(self.links.values()))

    # layer 1 --------------------------------------------------------------------------
    def ph_activate_ind(self, *, now: float) -> list[Out]:
        self.time.now = now
        first = not self.l1_active
        self.l1_active = True
        out: list[Out] = [PhDataReq(f) for f in self._pending_tx]
        self._pending_tx.clear()
        if first and self.tei_net is not None and not self.tei_net.assigned:
            out += self._run_tei(self.tei_net.startup())
        return out

    def ph_deactivate_ind(self, *, now: float) -> list[Out]:
        self.time.now = now
        self.l1_active = False
        out: list[Out] = []
        for link in list(self.links.values()):
            out += self._run_link(link, link.handle(E.PH_DEACTIVATE_IND))
        return out

    def ph_data_ind(self, data: bytes, *, now: float) -> list[Out]:
        self.time.now = now
        frame = decode(data, sender_is_network=self._peer_is_network)
        if type(frame) is InvalidFrame:
            return []  # Q.921 5.8.5: invalid frames are discarded without action
        if frame.sapi != SAPI_CALL_CONTROL:
            if frame.sapi == SAPI_TEI_MANAGEMENT:
                return self._tei_frame(frame)
            return []  # no other SAPI is served (packet mode SAPI 16 is not offered)
        if frame.tei == TEI_GROUP:
            if frame.kind is K.UI and frame.command:
                return [DlIndication(DL.UNITDATA_IND, TEI_GROUP, frame.sapi, frame.info)]
            return []
        if self.network_side:
            link = self.links.get(frame.tei)
        else:  # as _link_for(frame.tei)
            link = self._default if self._default.tei == frame.tei else None
        if link is None:
            return []  # not ours (another terminal's TEI on the bus) or not assigned
        out = link.receive(frame)
        if self.l1_active and link.tei is not None:
            return out  # what _run_link() would give back, one call less per frame
        return self._run_link(link, out)

    # layer 3 --------------------------------------------------------------------------
    def dl_establish_req(self, tei: int | None = None, *, now: float) -> list[Out]:
        self.time.now = now
        return self._to_link(tei, E.DL_ESTABLISH_REQ)

    def dl_release_req(self, tei: int | None = None, *, now: float) -> list[Out]:
        self.time.now = now
        return self._to_link(tei, E.DL_RELEASE_REQ)

    def dl_data_req(self, data: bytes, tei: int | None = None, *, now: float) -> list[Out]:
        self.time.now = now
        return self._to_link(tei, E.DL_DATA_REQ, data)

    def dl_unitdata_req(self, data: bytes, *, now: float) -> list[Out]:
        self.time.now = now
        if self.network_side and not self.ptp:
            return self._frames([Frame(SAPI_CALL_CONTROL, TEI_GROUP, True, K.UI,
                                       info=data)])
        return self._to_link(None, E.DL_UNITDATA_REQ, data)

    def _to_link(self, tei: int | None, event: Event, data: bytes = b"") -> list[Out]:
        if tei is None:
            link = self._default
        elif self.network_side:
            link = self.links.get(tei)
        else:  # as _link_for(tei)
            link = self._default if self._default.tei == tei else None
        if link is None:
            if event is E.DL_ESTABLISH_REQ or event is E.DL_DATA_REQ:
                return [DlIndication(DL.RELEASE_IND, tei if tei is not None else -1,
                                     SAPI_CALL_CONTROL)]
            return []
        out = link.handle(event, None, data)
        if self.l1_active and link.tei is not None:
            return out  # what _run_link() would give back, one call less per request
        return self._run_link(link, out)

    def ack_check(self, tei: int | None) -> list[Out]:
        """A pending acknowledgement is due (see AckCheck). It follows the input that
        took the I frame in, at the same time, and starts no timer."""
        link = self.links.get(tei) if self.network_side else self._default
        if link is None or not link.ack_pending:
            return []  # mostly so: layer 3's answer carried the acknowledgement
        out = link.flush_ack()
        return self._run_link(link, out) if out else out

    # timers ---------------------------------------------------------------------------
    def timer_due(self, key: tuple, *, now: float) -> list[Out]:
        """The clock callback asked for by ArmTimer(key) came."""
        self.time.now = now
        link = self._link_for(key[2])  # a link whose TEI has gone leaves its callbacks
        return self._run_link(link, link.timer_due(key[3])) if link is not None else []

    def timer_expiry(self, key: tuple, *, now: float) -> list[Out]:
        """A timer started with StartTimer (TEI management's) expired."""
        self.time.now = now
        if key == TeiUser.KEY and self.tei_user is not None:
            return self._run_tei(self.tei_user.timer_expiry())
        if key[:2] == ("tei", "T201") and self.tei_net is not None:
            return self._run_tei(self.tei_net.timer_expiry(key[2]))
        return []

    # status ---------------------------------------------------------------------------
    def status(self) -> dict:
        return {"l1": self.l1_active,
                "links": [{"tei": link.tei, "state": link.state.name,
                           "vs": link.vs, "va": link.va, "vr": link.vr}
                          for link in self.links.values()]}

    # internals ------------------------------------------------------------------------
    def _new_link(self, tei: int | None) -> DataLink:
        return DataLink(SAPI_CALL_CONTROL, tei, self.params, network_side=self.network_side,
                        time=self.time)

    def _default_link(self) -> DataLink | None:
        return self._default  # on a P-MP bus the NT must say which terminal: None

    def _link_for(self, tei: int | None) -> DataLink | None:
        if self.network_side:
            return self.links.get(tei)
        link = self._default
        return link if link is not None and link.tei == tei else None

    def _tei_frame(self, frame: Frame) -> list[Out]:
        if frame.tei != TEI_GROUP or frame.kind is not K.UI:
            return []
        message = decode_tei(frame.info)
        if message is None:
            return []
        if self.tei_user is not None:
            return self._run_tei(self.tei_user.receive(message))
        if self.tei_net is not None:
            return self._run_tei(self.tei_net.receive(message))
        return []

    def _run_tei(self, outputs: list) -> list[Out]:
        out: list[Out] = []
        for o in outputs:
            if isinstance(o, SendFrame):
                out += self._frames([o.frame])
            elif isinstance(o, TeiAssigned):
                out.append(TeiEvent("assigned", o.tei))
                if self.network_side:
                    self.links[o.tei] = self._new_link(o.tei)
                else:
                    link = self._default_link()
                    out += self._run_link(link, link.assign(o.tei))
            elif isinstance(o, TeiRemoved):
                out.append(TeiEvent("removed", o.tei))
                link = self.links.pop(o.tei, None) if self.network_side else \
                    self._default_link()
                if link is not None:
                    out += self._run_link(link, link.remove())
            elif isinstance(o, TeiFailed):
                out.append(TeiEvent("failed", None))
                link = self._default_link()
                out += self._run_link(link, link.remove())
            else:
                out.append(o)
        return out

    def _run_link(self, link: DataLink, outputs: list) -> list[Out]:
        """A link's outputs as the driver takes them: its frames are encoded already,
        but wait while layer 1 is down; a link without a TEI may need one asked for."""
        if not self.l1_active:
            outputs = self._hold_frames(outputs)
        if link.tei is None and link.state in _AWAITING_TEI and self.tei_user is not None:
            outputs += self._run_tei(self.tei_user.request())
        return outputs

    def _hold_frames(self, outputs: list) -> list[Out]:
        """Layer 1 is down: frames wait for it, and the first one asks for it."""
        out: list[Out] = []
        for o in outputs:
            if type(o) is PhDataReq:
                if not self._pending_tx:
                    out.append(PhActivateReq())
                self._pending_tx.append(o.frame)
            else:
                out.append(o)
        return out

    def _frames(self, frames: list[Frame]) -> list[Out]:
        encoded = [lapd.encode(f, network_side=self.network_side) for f in frames]
        if self.l1_active:
            return [PhDataReq(e) for e in encoded]
        first_wait = not self._pending_tx
        self._pending_tx.extend(encoded)
        return [PhActivateReq()] if first_wait else []
