"""The terminal adapter (TA a/b) behind one FXS port: analog signalling in, DSS1 out.

As ISDN PBXs build their analog ports, the box does not teach the switch about hook
states: each FXS port has a TA that is an ISDN terminal (an IsdnLine TE) on an
internal S0 link to the box's own NT stack, and so to the switch it is one more ISDN
phone — routing, groups, forwarding, hold (DSS1 HOLD), transfer (DSS1 ECT), call
waiting and pickup work for analog extensions unchanged.

Theory of operation (the states as this module names them):
- idle: on-hook, nothing offered. Off-hook gives the country's dial tone (stuttered
  while a message waits) and DTMF detection on the FXS slot → dial-tone.
- dial-tone → collecting: the first digit stops the tone and goes out as SETUP with
  sending complete absent; each further digit is an INFORMATION (overlap sending).
  The switch's dial plan and its T302 inter-digit timer decide when the number is
  complete. No digit within DIAL_TONE_TIMEOUT → busy-tone (lock-out).
- calling: ALERTING → ringback tone on the FXS slot; CONNECT → connected.
- connected: the FXS slot and the call's B-channel slot are bridged.
- busy-tone: the far end cleared or the call was refused: busy tone (cause 17) or
  congestion (any other cause) for BUSY_TONE_TIME, then lock-out (silence) until on-hook.
- ringing: an incoming SETUP (ALERTING sent): ringing voltage in the country's cadence,
  the CLIP burst (EN 300 659-1 MDMF call set-up) CLIP_DELAY after the first ring ends;
  off-hook answers (CONNECT) and stops ringing.
- held: hook flash in connected sends HOLD; on HOLD ACKNOWLEDGE the phone hears recall
  dial tone (state held, i.e. held + recall-dial-tone); dialling places a consultation
  call (collecting/calling/connected with a held call). Flash again clears the
  consultation (if any) and retrieves the held call (RETRIEVE). On-hook with a held
  call and a consultation call in hand (answered or still ringing) asks the box for
  ECT (FACILITY EctExecute), as an ISDN phone's transfer key does.
- recall: on-hook with only a held call rings the phone again (no CLIP) so the held
  party is not forgotten; off-hook takes it back (RETRIEVE). Unanswered for
  RECALL_TIME, the held call is cleared.
- call waiting: a SETUP while connected is alerted and the phone hears the
  call-waiting burst; flash holds the call in hand and answers the waiting one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from firmware.clock import Clock, TimerHandle
from firmware.isdn.dss1.primitives import CallEvent, Ind
from firmware.isdn.line import CallError, IsdnLine
from firmware.isdn.q931 import rose
from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.media import clip, tones
from firmware.media.engine import EngineError, EventKind, MediaEngine, MediaEvent
from firmware.ports.fxs import FxsPort, HookEvent

IDLE = "idle"
DIAL_TONE = "dial-tone"
COLLECTING = "collecting"
CALLING = "calling"
RINGING = "ringing"
CONNECTED = "connected"
HELD = "held"  # a call on hold, the phone hears recall dial tone
RECALL = "recall"  # on-hook with a held call: the phone rings to take it back
BUSY_TONE = "busy-tone"
LOCK_OUT = "lock-out"

DIAL_TONE_TIMEOUT = 15.0  # seconds off-hook without a digit before busy tone
BUSY_TONE_TIME = 30.0  # seconds of busy/congestion tone before silence (lock-out)
CLIP_DELAY = 0.7  # seconds after the first ring ends (EN 300 659-1: 500..2000 ms)
CALL_WAITING_REPEAT = 5.0  # seconds between call-waiting bursts
RECALL_TIME = 60.0  # seconds a recall rings before the held call is cleared

log = get_logger("analog.ta")


class TerminalAdapter:
    def __init__(self, fxs: FxsPort, line: IsdnLine, clock: Clock, msn: str,
                 country: str = "DE") -> None:
        self.fxs = fxs
        self.line = line
        self.clock = clock
        self.msn = msn
        self.media: MediaEngine = fxs.media
        self.state = IDLE
        self.call: int | None = None  # the call in hand
        self.held: int | None = None
        self.waiting: int | None = None
        self.dialled = ""
        self._unsent = ""  # digits keyed before SETUP ACKNOWLEDGE allowed INFORMATION
        self._overlap = False
        self.caller = ""  # the number shown by CLIP for the call ringing
        self.last_cause: int | None = None
        self.set_country(country)
        self._timer: TimerHandle | None = None  # the state's timer
        self._ring_timer: TimerHandle | None = None
        self._clip_timer: TimerHandle | None = None
        self._cw_timer: TimerHandle | None = None
        self._ring_step = 0
        self._clip_pending: bytes | None = None
        self.message_waiting = False
        self.message_count = 0
        self._invoke_ids = iter(range(1, 1 << 15))
        fxs.on_hook_event = self.hook
        line.on_call = self._on_call

    def set_country(self, country: str) -> None:
        """The tone plan and ringing cadence of the office's country."""
        self.country = country
        self._tones = {name: tones.country_descriptor(country, name)
                       for name in ("dial", "busy", "ringback", "congestion")}
        self._stutter = tones.descriptor(tones.stutter_dial(country))
        self._cw_burst = tones.descriptor(tones.call_waiting_burst(country))
        self._cadence = tones.ring_cadence(country)

    # the phone (FXS layer 1) -----------------------------------------------------------
    def hook(self, event: HookEvent) -> None:
        if event is HookEvent.OFF_HOOK:
            self._off_hook()
        elif event is HookEvent.ON_HOOK:
            self._on_hook()
        else:
            self._flash()

    def _off_hook(self) -> None:
        if self.state == RINGING and self.call is not None:
            self._stop_ringing()
            self.line.answer(self.call)
            self._connected()
            return
        if self.state == RECALL and self.held is not None:
            self._stop_ringing()
            self._cancel_timer()
            self.line.retrieve(self.held)  # RETRIEVE ACKNOWLEDGE: connected again
            return
        if self.state != IDLE:
            return
        self._dial_tone(self._stutter if self.message_waiting else self._tones["dial"])

    def _on_hook(self) -> None:
        self._cancel_timer()
        self._stop_cw()
        self._quiet()
        if self.held is not None and self.call is not None \
                and self.state in (CONNECTED, CALLING):
            log.info("ta_transfer", port=self.fxs.name, held=self.held, call=self.call,
                     ringing=self.state == CALLING)
            self.line.facility(self.call, rose.Invoke(next(self._invoke_ids),
                                                      rose.ECT_EXECUTE))
            self.state = IDLE  # the box clears both calls after the transfer
            return
        if self.held is not None and self.state in (HELD, COLLECTING):
            if self.call is not None:  # a consultation still being dialled ends
                self._clear(self.call)
                self.call = None
            self._recall()
            return
        for call in (self.call, self.held, self.waiting):
            if call is not None:
                self._clear(call)
        self.state = IDLE

    def _flash(self) -> None:
        if self.waiting is not None and self.state == CONNECTED and self.call is not None:
            self._stop_cw()
            self.line.hold(self.call)  # on HOLD ACK the waiting call is answered
            return
        if self.held is None and self.state == CONNECTED and self.call is not None:
            self.line.hold(self.call)  # on HOLD ACK: recall dial tone
            return
        if self.held is not None:  # back to the held call; a consultation ends
            if self.call is not None:
                self._clear(self.call)
                self.call = None
            self._cancel_timer()
            self._quiet()
            self.line.retrieve(self.held)

    # digits from the FXS slot -------------------------------------------------------
    def media_event(self, event: MediaEvent) -> None:
        """The box's engine's events of a tick: keys the phone pressed on our slot."""
        if event.slot != self.fxs.slot or event.kind is not EventKind.DIGIT:
            return
        self.digit(event.digit)

    def digit(self, key: str) -> None:
        if self.state == DIAL_TONE or (self.state == HELD and self.call is None):
            self._cancel_timer()
            self.media.stop_play(self.fxs.slot)
            self.dialled, self._unsent, self._overlap = key, "", False
            try:
                self.call = self.line.dial(key, self.msn, sending_complete=False)
            except CallError as e:
                log.info("ta_dial_refused", port=self.fxs.name, error=str(e))
                self._busy(CauseValue.TEMPORARY_FAILURE)
                return
            self.state = COLLECTING
        elif self.state == COLLECTING and self.call is not None:
            self.dialled += key
            self._unsent += key
            if self._overlap:
                self._send_digits()

    def _send_digits(self) -> None:
        """INFORMATION with the digits keyed since the last (in overlap sending, U2)."""
        if self._unsent and self.call is not None:
            self.line.send_digits(self.call, self._unsent)
            self._unsent = ""

    # the box's NT stack (DSS1) -------------------------------------------------------
    def _on_call(self, line: IsdnLine, e: CallEvent) -> None:
        ind = e.ind
        if ind is Ind.SETUP_IND:
            self._offered(e)
        elif ind is Ind.RELEASE_IND or ind is Ind.DISCONNECT_IND:
            self._cleared(e.call, e.cause, ind is Ind.RELEASE_IND)
        elif e.call == self.call:
            if ind is Ind.MORE_INFO_IND:  # SETUP ACKNOWLEDGE: overlap sending (U2)
                self._overlap = True
                self._send_digits()
            elif ind is Ind.ALERTING_IND and self.state in (COLLECTING, CALLING):
                self.state = CALLING
                self._play("ringback")
            elif ind is Ind.PROCEEDING_IND and self.state == COLLECTING:
                self.state = CALLING  # the number is complete; the far end is sought
            elif ind is Ind.SETUP_CONF:
                self._connected()
            elif ind is Ind.HOLD_ACK_IND:
                self._held()
            elif ind is Ind.HOLD_REJECT_IND:
                self.last_cause = e.cause
        elif e.call == self.held and ind is Ind.RETRIEVE_ACK_IND:
            self.call, self.held = self.held, None
            self._connected()

    def _offered(self, e: CallEvent) -> None:
        if self.state == IDLE and not self.fxs.off_hook and self.call is None:
            self.call, self.state = e.call, RINGING
            self.caller = e.info.get("calling", "") or ""
            self.line.alert(e.call)
            self._clip_pending = self._clip_burst(self.caller, e.info.get("display"))
            self._ring_step = 0
            self._ring_next()
        elif self.state == CONNECTED and self.waiting is None and self.held is None:
            self.waiting = e.call
            self.line.alert(e.call)
            self._call_waiting_tone()
        else:
            self.line.reject(e.call, CauseValue.USER_BUSY)

    def _cleared(self, call: int, cause: int | None, gone: bool) -> None:
        if call == self.waiting:
            if gone:
                self.waiting = None
                self._stop_cw()
            return
        if call == self.held:
            if gone:
                self.held = None
                if self.state == RECALL:  # the held party hung up meanwhile
                    self._stop_ringing()
                    self._cancel_timer()
                    self.state = IDLE
            return
        if call != self.call:
            return
        if gone:
            self.call = None
        self.last_cause = cause
        if self.state == RINGING:  # the caller gave up
            self._stop_ringing()
            self.state = IDLE
            self.call = None
        elif self.state in (COLLECTING, CALLING, CONNECTED):
            self.call = None
            self._stop_cw()
            self._quiet()
            if self.held is not None:  # the consultation ended: hear recall dial tone
                self.state = HELD
                self._play("dial")
            else:
                self._busy(cause)

    # actions --------------------------------------------------------------------------
    def _dial_tone(self, desc: Any) -> None:
        self.state = DIAL_TONE
        self.media.play_tone(self.fxs.slot, desc)
        self._set_timer(DIAL_TONE_TIMEOUT, self._busy, CauseValue.NO_USER_RESPONDING)

    def _busy(self, cause: int | None) -> None:
        self._cancel_timer()
        self.state = BUSY_TONE
        self._play("busy" if cause in (None, CauseValue.USER_BUSY,
                                       CauseValue.NORMAL_CALL_CLEARING) else "congestion")
        self._set_timer(BUSY_TONE_TIME, self._lock_out)

    def _lock_out(self) -> None:
        self._timer = None
        self.state = LOCK_OUT
        self._quiet()

    def _connected(self) -> None:
        self._cancel_timer()
        self.state = CONNECTED
        slot = self.line.b_slot(self.call) if self.call is not None else None
        self.media.stop_play(self.fxs.slot)
        if slot is not None:
            self.media.connect(self.fxs.slot, slot)

    def _held(self) -> None:
        self.held, self.call = self.call, None
        self.media.disconnect(self.fxs.slot)
        if self.waiting is not None:  # call waiting: take the second call
            self.call, self.waiting = self.waiting, None
            self.line.answer(self.call)
            self._connected()
            return
        self.state = HELD
        self._play("dial")  # recall dial tone: dial a consultation call

    def _quiet(self) -> None:
        """Nothing on the FXS slot any more; its keys are still listened for."""
        self.media.stop(self.fxs.slot)
        self.media.detect_dtmf(self.fxs.slot, True)

    def _play(self, name: str) -> None:
        self.media.play_tone(self.fxs.slot, self._tones[name])

    def _clear(self, call: int) -> None:
        try:
            if call == self.waiting or (call == self.call and self.state == RINGING):
                self.line.reject(call, CauseValue.USER_BUSY if call == self.waiting
                                 else CauseValue.CALL_REJECTED)
            else:
                self.line.hangup(call)
        except CallError:
            pass  # already gone

    # ringing and CLIP ----------------------------------------------------------------
    def _recall(self) -> None:
        log.info("ta_recall", port=self.fxs.name, held=self.held)
        self.state, self._clip_pending, self._ring_step = RECALL, None, 0
        self._ring_next()
        self._set_timer(RECALL_TIME, self._recall_unanswered)

    def _recall_unanswered(self) -> None:
        self._timer = None
        self._stop_ringing()
        self.state = IDLE
        if self.held is not None:
            self._clear(self.held)

    def _ring_next(self) -> None:
        """One step of the cadence: even steps ring, odd steps are the pauses."""
        if self.state not in (RINGING, RECALL):
            return
        i = self._ring_step % len(self._cadence)
        on = i % 2 == 0
        self.fxs.ring(on)
        if not on and self._ring_step == 1 and self._clip_pending is not None:
            self._clip_timer = self.clock.call_later(CLIP_DELAY, self._send_clip)
        self._ring_step += 1
        self._ring_timer = self.clock.call_later(self._cadence[i] / 1000, self._ring_next)

    def _send_clip(self) -> None:
        burst, self._clip_pending = self._clip_pending, None
        if burst is not None and self.state == RINGING and not self.fxs.ringing:
            self.media.play_prompt(self.fxs.slot, burst)

    def _stop_ringing(self) -> None:
        if self._ring_timer is not None:
            self._ring_timer.cancel()
            self._ring_timer = None
        if self._clip_timer is not None:
            self._clip_timer.cancel()
            self._clip_timer = None
        self._clip_pending = None
        self.fxs.ring(False)
        try:
            self.media.stop_play(self.fxs.slot)
        except EngineError:
            pass

    def _clip_burst(self, number: str, name: str | None) -> bytes | None:
        when = datetime.fromtimestamp(self.clock.wall())
        try:
            msg = clip.call_setup(when=when, number=number or None,
                                  absence=None if number else clip.UNAVAILABLE,
                                  name=name or None)
        except ValueError as e:  # a number or name too long for CLIP: show none
            log.info("ta_clip_skipped", port=self.fxs.name, error=str(e))
            return None
        return clip.burst(msg)

    def _call_waiting_tone(self) -> None:
        if self.waiting is None or self.state != CONNECTED:
            return
        self.media.play_tone(self.fxs.slot, self._cw_burst)
        self._cw_timer = self.clock.call_later(CALL_WAITING_REPEAT, self._call_waiting_tone)

    def _stop_cw(self) -> None:
        if self._cw_timer is not None:
            self._cw_timer.cancel()
            self._cw_timer = None

    # message waiting ---------------------------------------------------------------
    def set_message_waiting(self, active: bool, count: int = 0) -> None:
        """Voicemail's lamp for an analog phone: stutter dial tone on the next off-hook
        while active, and an on-hook FSK message-waiting burst (after DT-AS) now."""
        self.message_waiting, self.message_count = active, count
        if self.state != IDLE or self.fxs.off_hook:
            return  # the burst needs an idle line; the stutter tone still tells
        msg = clip.message_waiting(active, min(count, 255) if active else None,
                                   datetime.fromtimestamp(self.clock.wall()))
        self.media.play_prompt(self.fxs.slot, clip.dt_as() + clip.burst(msg))

    # timers ------------------------------------------------------------------------
    def _set_timer(self, seconds: float, callback: Any, *args: Any) -> None:
        self._cancel_timer()
        self._timer = self.clock.call_later(seconds, callback, *args)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def status(self) -> dict[str, Any]:
        return {"port": self.fxs.name, "msn": self.msn, "state": self.state,
                "dialled": self.dialled, "caller": self.caller,
                "held": self.held is not None, "waiting": self.waiting is not None,
                "last_cause": self.last_cause, "message_waiting": self.message_waiting,
                "message_count": self.message_count}
