"""The ISDN stack on one port: LAPD (Q.921) and DSS1 call control (Q.931), both sides.

It owns the port's one handler, carries out what the sans-I/O cores ask for (frames,
timers), reports layer-1, TEI, data-link and call changes on the event bus, and offers
the calls to whoever sits above (`on_call`) by id. `status()` is what ctl shows.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from firmware.clock import Clock, TimerHandle
from firmware.enums import members
from firmware.events import EventBus
from firmware.isdn.dss1.call import Call
from firmware.isdn.dss1.engine import NoCallReference
from firmware.isdn.dss1.network import NetworkCallControl
from firmware.isdn.dss1.primitives import (
    CallEvent,
    EstablishLink,
    Ind,
    Out,
    SendMessage,
    StartTimer,
    StopTimer,
)
from firmware.isdn.dss1.states import CLEARING, CallState
from firmware.isdn.dss1.user import UserCallControl
from firmware.isdn.lapd.driver import Layer2
from firmware.isdn.lapd.entity import Lapd, TeiEvent
from firmware.isdn.lapd.primitives import Dl, DlIndication
from firmware.isdn.pcap import PcapWriter
from firmware.isdn.q931 import rose
from firmware.isdn.q931.causes import CauseValue
from firmware.isdn.q931.codec import encode
from firmware.isdn.timers import TimerSet
from firmware.log import get_logger
from firmware.ports.base import BProtocol, Port

log = get_logger("isdn")

# Calls whose B-channel carries audio: active ones, and a call we answered whose CONNECT
# the network has not acknowledged yet — the answering side is through-connected when it
# sends CONNECT, so what the box plays at once (a greeting) is heard, and a PSTN call
# answered by a phone is bridged when the switch hears of the answer.
TALKING = frozenset({CallState.ACTIVE, CallState.CONNECT_REQUEST})

RELINK_DELAY = 1.0    # seconds between attempts to bring a lost data link back (T309)
DIAL_CHARS = frozenset("0123456789*#")  # what a called number may hold
OFFER_TIMEOUT = 30.0  # an offered call nobody takes is refused rather than left hanging
# Members read per call event, bound for speed (firmware/enums.py): IND.X is Ind.X.
IND = members(Ind)
DL = members(Dl)
TOPICS = {Ind.SETUP_IND: "call.offered", Ind.PROCEEDING_IND: "call.proceeding",
          Ind.ALERTING_IND: "call.alerting", Ind.SETUP_CONF: "call.answered",
          Ind.SETUP_COMPLETE_IND: "call.answered", Ind.DISCONNECT_IND: "call.disconnected",
          Ind.RELEASE_IND: "call.released", Ind.INFO_IND: "call.info",
          Ind.MORE_INFO_IND: "call.more_info", Ind.PROGRESS_IND: "call.progress",
          Ind.NOTIFY_IND: "call.notify", Ind.HOLD_IND: "call.hold",
          Ind.HOLD_ACK_IND: "call.held", Ind.RETRIEVE_IND: "call.retrieve",
          Ind.RETRIEVE_ACK_IND: "call.retrieved"}


class CallError(Exception):
    """A call request that cannot be carried out (unknown call, wrong side)."""


class IsdnLine:
    def __init__(self, port: Port, clock: Clock, events: EventBus | None = None,
                 rng: random.Random | None = None, msns: tuple[str, ...] = (),
                 on_call: Callable[[IsdnLine, CallEvent], None] | None = None) -> None:
        self.port = port
        self.clock = clock
        self.events = events
        self.network_side = port.spec.role == "nt"
        self.ptp = port.spec.mode == "ptp"
        self.msns = msns
        self.on_call = on_call
        self.cc = (NetworkCallControl(ptp=self.ptp) if self.network_side
                   else UserCallControl(ptp=self.ptp))
        self.l2 = Layer2(port, clock, Lapd(network_side=self.network_side, ptp=self.ptp,
                                           rng=rng or random.Random()),
                         on_dl=self._dl, on_tei=self._tei, on_l1=self._l1)
        self._timers = TimerSet(clock, self._expire)
        self._offers: dict[int, TimerHandle] = {}  # call id -> guard of an offered call
        self._refused: set[int] = set()
        # Ports that feed the media engine get each active call's B-channel opened for
        # raw audio (and closed when it is not active any more): call id -> channel.
        self._audio = port.carries_audio
        self._b_calls: dict[int, int] = {}
        self._answered: set[int | None] = set()  # invoke ids answered during on_call
        self._trace: PcapWriter | None = None
        self.stats = {"calls_in": 0, "calls_out": 0, "refused": 0}

    def start(self) -> None:
        """A TE brings its line up at boot and gets its TEI (as libpri's TE does too)."""
        if not self.network_side:
            self.l2.establish()
        else:
            self.port.ph_activate_req()

    # calls, by the engine's id ------------------------------------------------------
    def dial(self, called: str, calling: str | None = None, *, sending_complete: bool = True,
             channel: int | None = None, exclusive: bool = False,
             no_channel_ok: bool = False) -> int:
        """Place a call; with sending_complete=False more digits follow (overlap).
        Network side: `no_channel_ok` offers it even when both B-channels are busy."""
        if not called or not DIAL_CHARS.issuperset(called):
            raise CallError(f"bad number '{called}': digits 0-9, * and # only")
        try:
            if self.network_side:
                call_id, out = self.cc.setup_req(called, calling, channel=channel,
                                                 sending_complete=sending_complete,
                                                 no_channel_ok=no_channel_ok)
            else:
                call_id, out = self.cc.setup_req(called, calling, channel=channel,
                                                 exclusive=exclusive,
                                                 sending_complete=sending_complete)
        except NoCallReference as e:
            raise CallError(str(e)) from None
        self.stats["calls_out"] += 1
        self._run(out)
        return call_id

    def alert(self, call_id: int) -> None:
        self._run(self.cc.alerting_req(self._offered(call_id)))

    def more_info(self, call_id: int) -> None:
        """Ask the caller for more digits (SETUP ACKNOWLEDGE: overlap)."""
        self._run(self.cc.setup_ack_req(self._offered(call_id)))

    def proceed(self, call_id: int) -> None:
        self._run(self.cc.proceeding_req(self._offered(call_id)))

    def answer(self, call_id: int) -> None:
        self._run(self.cc.setup_rsp(self._offered(call_id)))

    def reject(self, call_id: int, cause: int = CauseValue.CALL_REJECTED) -> None:
        self._run(self.cc.reject_req(self._call(call_id).id, cause))

    def hangup(self, call_id: int, cause: int = CauseValue.NORMAL_CALL_CLEARING) -> None:
        self._run(self.cc.disconnect_req(self._call(call_id).id, cause))

    def send_digits(self, call_id: int, digits: str, sending_complete: bool = False) -> None:
        self._run(self.cc.info_req(self._call(call_id).id, digits, sending_complete))

    # hold and retrieve (firmware/isdn/dss1/hold.py) ---------------------------------
    def hold(self, call_id: int) -> None:
        """User side: ask the network to hold the call (HOLD)."""
        self._run(self.cc.hold_req(self._call(call_id).id))

    def retrieve(self, call_id: int) -> None:
        self._run(self.cc.retrieve_req(self._call(call_id).id))

    def hold_ack(self, call_id: int) -> None:
        """Network side: accept a terminal's HOLD; its B-channel is free meanwhile."""
        self._run(self.cc.hold_ack_req(self._call(call_id).id))

    def hold_reject(self, call_id: int, cause: int = CauseValue.FACILITY_REJECTED) -> None:
        self._run(self.cc.hold_reject_req(self._call(call_id).id, cause))

    def retrieve_ack(self, call_id: int) -> bool:
        """Network side: give a held call a B-channel back; False (RETRIEVE REJECT,
        cause 34) when none is free."""
        call = self._call(call_id)
        self._run(self.cc.retrieve_ack_req(call.id))
        return call.hold == "idle"

    def retrieve_reject(self, call_id: int, cause: int = CauseValue.FACILITY_REJECTED
                        ) -> None:
        self._run(self.cc.retrieve_reject_req(self._call(call_id).id, cause))

    def facility(self, call_id: int, *components: rose.Component) -> None:
        """FACILITY with ROSE components: an operation, or the answer to one."""
        self._answered.update(c.invoke_id for c in components
                              if not isinstance(c, rose.Invoke))
        self._run(self.cc.facility_req(self._call(call_id).id, *components))

    def connectionless_facility(self, *components: rose.Component, called: str = "") -> None:
        """FACILITY outside any call (the dummy call reference): to every terminal of
        the bus on the network side, for the one whose MSN is ``called`` (MWI)."""
        self._run(self.cc.connectionless_facility_req(*components, called=called))

    def notify(self, call_id: int, description: int) -> None:
        """NOTIFY the far end of an active call (remote hold, retrieval, conference)."""
        self._run(self.cc.notify_req(self._call(call_id).id, description))

    def restart(self) -> None:
        """RESTART the interface: every call on it is cleared at both ends (Q.931 5.5)."""
        self._run(self.cc.restart_req())

    def b_slot(self, call_id: int) -> int | None:
        """The media engine slot of a talking call's B-channel (TALKING), or None."""
        channel = self._b_calls.get(call_id)
        return None if channel is None else self.port.b_slot(channel)

    def _sync_b(self) -> None:
        active = {cid: c.channel for cid, c in self.cc.calls.items()
                  if c.state in TALKING and c.channel is not None}
        for cid, channel in list(self._b_calls.items()):
            if active.get(cid) != channel:
                del self._b_calls[cid]
                if channel not in self._b_calls.values():
                    self.port.b_close(channel)
        for cid, channel in active.items():
            if cid not in self._b_calls:
                self._b_calls[cid] = channel
                self.port.b_open(channel, BProtocol.RAW)

    def free_channels(self) -> int:
        """B-channels no call holds or is about to get: a call of ours still waiting
        for the network's choice will take one (a waiting offer without one, or a
        held call, will not)."""
        taken = sum(1 for c in self.cc.calls.values()
                    if c.channel is not None or (c.ours and c.state not in CLEARING
                                                 and c.state != CallState.ACTIVE))
        return max(0, len(self.cc.channels.channels) - taken)

    def calls(self) -> list[dict[str, Any]]:
        return [{"port": self.port.name} | c for c in self.cc.status()]

    def _call(self, call_id: int) -> Call:
        call = self.cc.calls.get(call_id)
        if call is None:
            raise CallError(f"no call {call_id} on {self.port.name}")
        return call

    def _offered(self, call_id: int) -> int:
        call = self._call(call_id)
        if call.ours:
            raise CallError(f"call {call_id} on {self.port.name} is outgoing: "
                            f"only an offered call can be alerted or answered")
        return call_id

    # layer 2 and the cores' outputs -------------------------------------------------
    def _dl(self, ind: DlIndication) -> None:
        tei = ind.tei if self.network_side else None
        if ind.primitive is DL.DATA_IND:
            self._run(self.cc.receive(tei, ind.data))
            return
        if ind.primitive is DL.UNITDATA_IND:
            self._run(self.cc.receive(tei, ind.data, broadcast=True))
            return
        log.info("l2_state", port=self.port.name, tei=ind.tei, primitive=ind.primitive.value)
        self._publish("port.l2", tei=ind.tei, primitive=ind.primitive.value)
        if ind.primitive in (DL.ESTABLISH_IND, DL.ESTABLISH_CNF):
            self._run(self.cc.dl_established(tei))
        elif ind.primitive is DL.RELEASE_IND:
            self._run(self.cc.dl_released(tei))

    def _run(self, outs: list[Out]) -> None:
        for o in outs:
            kind = type(o)
            if kind is SendMessage:
                data = encode(o.message)
                if o.broadcast:
                    self.l2.send_unitdata(data)
                else:
                    self.l2.send(data, o.tei if self.network_side else None)
            elif kind is StartTimer:
                self._timers.start(o.key, o.seconds)
            elif kind is StopTimer:
                self._timers.stop(o.key)
            elif kind is CallEvent:
                if self._audio:  # whoever hears of the call finds its audio ready
                    self._sync_b()
                self._call_event(o)
            elif kind is EstablishLink:
                # Asked again after every failed attempt: wait a little each time, so a
                # link that cannot exist (its TEI is gone) is not retried in a tight loop.
                self._timers.start(("line", "relink", o.tei), RELINK_DELAY)
        if self._audio:
            self._sync_b()

    def _expire(self, key: tuple) -> None:
        if key[:2] == ("line", "relink"):
            self.l2.establish(key[2] if self.network_side else None)
            return
        if key[1] in ("T303", "T308", "T322", "T316"):
            log.info("q931_timer", port=self.port.name, timer=key[1], call=key[2])
        self._run(self.cc.timer_expiry(key))

    def _call_event(self, e: CallEvent) -> None:
        ind = e.ind
        if e.call in self._refused:  # refused on arrival: nobody above heard of it
            if ind is IND.RELEASE_IND:
                self._refused.discard(e.call)
            return
        if ind is IND.SETUP_IND:
            if not self._wanted(e):
                return
            self.stats["calls_in"] += 1
            self._offers[e.call] = self.clock.call_later(OFFER_TIMEOUT, self._offer_timeout,
                                                         e.call)
        elif ind is IND.RELEASE_IND:
            handle = self._offers.pop(e.call, None)
            if handle is not None:
                handle.cancel()
        # the fields of the log line and the bus event only when someone takes them
        topic = TOPICS.get(ind) if self.events is not None else None
        if topic is not None or log.enabled(logging.INFO):
            info = {k: v for k, v in e.info.items() if k != "message"} if e.info else e.info
            log.info("call", port=self.port.name, call=e.call, ind=ind.value, cause=e.cause,
                     **info)
            if topic is not None:
                self._publish(topic, call=f"{self.port.name}:{e.call}", cause=e.cause, **info)
        if ind is IND.FACILITY_IND:
            self._answered.clear()
        if self.on_call is not None:
            self.on_call(self, e)
        if ind is IND.FACILITY_IND:
            # Operations nobody above answered: ROSE reject, unrecognised operation.
            unanswered = [rose.Reject(c.invoke_id, rose.INVOKE_PROBLEM,
                                      rose.UNRECOGNISED_OPERATION)
                          for c in e.info["components"] if isinstance(c, rose.Invoke)
                          and c.invoke_id not in self._answered]
            if unanswered and e.call in self.cc.calls:
                self._run(self.cc.facility_req(e.call, *unanswered))
        if ind is IND.HOLD_IND or ind is IND.RETRIEVE_IND:
            # Nobody above took it up (no PBX owns the call): refuse, as a line that
            # does not offer the service would (cause 29, facility rejected).
            call = self.cc.calls.get(e.call)
            if call is not None and call.hold in ("hold-request", "retrieve-request"):
                reject = self.cc.hold_reject_req if ind is IND.HOLD_IND \
                    else self.cc.retrieve_reject_req
                self._run(reject(e.call, CauseValue.FACILITY_REJECTED))

    def _wanted(self, e: CallEvent) -> bool:
        """A SETUP for a number this line does not serve is refused at once."""
        called = e.info.get("called", "")
        if not self.msns or called in self.msns or self.network_side:
            return True
        # P-MP: another terminal on the bus may own the MSN; PTP: the number is not ours
        cause = CauseValue.UNALLOCATED_NUMBER if self.ptp else \
            CauseValue.INCOMPATIBLE_DESTINATION
        self.stats["refused"] += 1
        self._refused.add(e.call)
        log.info("call_refused", port=self.port.name, called=called, cause=int(cause))
        self._run(self.cc.reject_req(e.call, cause))
        return False

    def _offer_timeout(self, call_id: int) -> None:
        self._offers.pop(call_id, None)
        call = self.cc.calls.get(call_id)
        if call is not None and call.state == CallState.CALL_PRESENT:
            self._run(self.cc.reject_req(call_id, CauseValue.NO_ANSWER))

    # layer 1 / TEI reports ----------------------------------------------------------
    def _publish(self, topic: str, **data: Any) -> None:
        if self.events is not None:
            self.events.publish(topic, port=self.port.name, **data)

    def _l1(self, up: bool) -> None:
        state = "activated" if up else "deactivated"
        log.info("l1_state", port=self.port.name, state=state)
        self._publish("port.l1", state=state)

    def _tei(self, event: TeiEvent) -> None:
        self._publish("port.tei", what=event.what, tei=event.tei)

    def trace_to(self, path: Path) -> None:
        """Write this line's D-channel to a pcap file Wireshark reads (LINUX_LAPD)."""
        self.stop_trace()
        self._trace = PcapWriter(path, self.network_side)
        writer, wall = self._trace, self.clock.wall
        self.l2.tap = lambda frame, sent: writer.write(frame, sent, wall())
        log.info("trace_started", port=self.port.name, path=path)

    def stop_trace(self) -> None:
        if self._trace is not None:
            self.l2.tap = None
            self._trace.close()
            log.info("trace_stopped", port=self.port.name, frames=self._trace.records)
            self._trace = None

    def status(self) -> dict[str, Any]:
        status = self.l2.core.status() | {"calls": dict(self.stats)}
        if self._trace is not None:
            status["trace"] = {"path": str(self._trace.path), "frames": self._trace.records}
        return status

    def close(self) -> None:
        self.stop_trace()
        self.l2.close()
        self._timers.cancel_all()
        for handle in self._offers.values():
            handle.cancel()
        self._offers.clear()
