"""Which IEs each message must carry (ETSI EN 300 403-1 clause 3, basic call; Q.932 /
EN 300 139 for HOLD and RETRIEVE), so call control can answer cause 96 (Q.931 5.8.6.1).

IEs that the standard makes mandatory only in some situations are listed as optional:
Channel identification in the first answer to SETUP (CALL PROCEEDING, ALERTING, CONNECT,
SETUP ACKNOWLEDGE: "mandatory unless the B-channel offered in SETUP is accepted") and in
RETRIEVE ACKNOWLEDGE, Cause in the first clearing message (RELEASE, RELEASE COMPLETE).
Call control, which knows the situation, checks those itself.
"""

from __future__ import annotations

from firmware.isdn.q931.ies import (
    IE,
    BearerCapability,
    CallState,
    Cause,
    ChannelIdentification,
    CongestionLevel,
    Facility,
    NotificationIndicator,
    ProgressIndicator,
    RestartIndicator,
    UserUser,
)
from firmware.isdn.q931.messages import MESSAGE_NAMES, Message
from firmware.isdn.q931.messages import MessageType as MT

_IeTypes = tuple[type[IE], ...]

# message type -> (mandatory in both directions, mandatory network->user only)
_MANDATORY: dict[int, tuple[_IeTypes, _IeTypes]] = {
    MT.SETUP: ((BearerCapability,), (ChannelIdentification,)),
    MT.DISCONNECT: ((Cause,), ()),
    MT.PROGRESS: ((ProgressIndicator,), ()),
    MT.NOTIFY: ((NotificationIndicator,), ()),
    MT.STATUS: ((Cause, CallState), ()),
    MT.RESTART: ((RestartIndicator,), ()),
    MT.RESTART_ACKNOWLEDGE: ((RestartIndicator,), ()),
    MT.RESUME_ACKNOWLEDGE: ((), (ChannelIdentification,)),    # only sent n->u
    MT.RESUME_REJECT: ((Cause,), ()),
    MT.SUSPEND_REJECT: ((Cause,), ()),
    MT.USER_INFORMATION: ((UserUser,), ()),
    MT.CONGESTION_CONTROL: ((CongestionLevel, Cause), ()),
    MT.FACILITY: ((Facility,), ()),
    MT.HOLD_REJECT: ((Cause,), ()),
    MT.RETRIEVE_REJECT: ((Cause,), ()),
}

# flattened per direction once, so the per-message check is one dict lookup
_N2U: dict[int, _IeTypes] = {t: both + n2u for t, (both, n2u) in _MANDATORY.items()}
_U2N: dict[int, _IeTypes] = {t: both for t, (both, _) in _MANDATORY.items() if both}


def is_known(msg_type: int) -> bool:
    """A message type this codec names (else Q.931 5.8.4: cause 97)."""
    return msg_type in MESSAGE_NAMES


def mandatory_ies(msg_type: int, network_to_user: bool) -> _IeTypes:
    """IE classes `msg_type` must carry in the given direction; () when none or unknown."""
    return (_N2U if network_to_user else _U2N).get(msg_type, ())


def missing_mandatory(msg: Message, network_to_user: bool) -> list[type[IE]]:
    """Mandatory IE classes absent from `msg` (a Message). An IE whose contents failed
    to decode is a RawIE, so it shows up here too: check IeError 'content' first
    (a present but invalid mandatory IE is answered with cause 100, not 96)."""
    need = (_N2U if network_to_user else _U2N).get(msg.type)
    if not need:
        return []
    present = {type(ie) for ie in msg.ies}
    return [cls for cls in need if cls not in present]
