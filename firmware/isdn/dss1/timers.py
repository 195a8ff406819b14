"""Layer-3 timer values: EN 300 403-1 table 9-1 (network side) and 9-2 (user side)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Timers:
    T301: float = 180.0  # ALERTING received, awaiting CONNECT (network side)
    T302: float = 15.0   # SETUP ACK sent, awaiting INFORMATION (overlap)
    T303: float = 4.0    # SETUP sent, awaiting the first response; SETUP is sent twice
    T304: float = 30.0   # SETUP ACK received, our INFORMATION awaiting progress
    T305: float = 30.0   # DISCONNECT sent, awaiting RELEASE
    T308: float = 4.0    # RELEASE sent, awaiting RELEASE COMPLETE; RELEASE is sent twice
    T309: float = 90.0   # data link lost: active calls are kept this long
    T310: float = 30.0   # CALL PROCEEDING received, awaiting ALERTING/CONNECT/DISCONNECT
    T312: float = 6.0    # broadcast SETUP: the offer stays open (T303 + 2 s)
    T313: float = 4.0    # CONNECT sent, awaiting CONNECT ACK (user side)
    T316: float = 120.0  # RESTART sent, awaiting RESTART ACK
    T322: float = 4.0    # STATUS ENQUIRY sent, awaiting STATUS
    THOLD: float = 4.0   # HOLD sent, awaiting HOLD ACK/REJECT (Q.932 T-HOLD)
    TRETRIEVE: float = 4.0  # RETRIEVE sent, awaiting RETRIEVE ACK/REJECT (T-RETRIEVE)


USER_TIMERS = Timers()
NETWORK_TIMERS = Timers(T302=10.0, T304=20.0, T310=10.0)
