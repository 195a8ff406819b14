"""Q.931 / ETSI DSS1 layer 3 message codec, sans-I/O: bytes <-> Message.

    decoded = decode(frame)          # never raises
    if decoded.message is not None:  # decoded.errors lists IE problems (causes 99/100)
        ...
    frame = encode(Message(MessageType.SETUP, 5, ies=[BearerCapability(), ...]))
"""

from firmware.isdn.q931.codec import Decoded, IeError, decode, encode
from firmware.isdn.q931.ies import (
    IE,
    BearerCapability,
    CalledPartyNumber,
    CalledPartySubaddress,
    CallIdentity,
    CallingPartyNumber,
    CallingPartySubaddress,
    CallState,
    Cause,
    ChannelIdentification,
    CongestionLevel,
    ConnectedNumber,
    ConnectedSubaddress,
    DateTime,
    Display,
    Facility,
    HighLayerCompatibility,
    IeContentError,
    KeypadFacility,
    LowLayerCompatibility,
    MoreData,
    NotificationIndicator,
    ProgressIndicator,
    RawIE,
    RedirectingNumber,
    RepeatIndicator,
    RestartIndicator,
    SendingComplete,
    Signal,
    UserUser,
)
from firmware.isdn.q931.messages import PROTOCOL_DISCRIMINATOR, Message, MessageType

__all__ = [
    "IE", "BearerCapability", "CallIdentity", "CalledPartyNumber", "CalledPartySubaddress",
    "CallingPartyNumber", "CallingPartySubaddress", "CallState", "Cause",
    "ChannelIdentification", "CongestionLevel", "ConnectedNumber", "ConnectedSubaddress",
    "DateTime", "Decoded", "Display", "Facility", "HighLayerCompatibility", "IeContentError",
    "IeError", "KeypadFacility", "LowLayerCompatibility", "Message", "MessageType",
    "MoreData", "NotificationIndicator", "PROTOCOL_DISCRIMINATOR", "ProgressIndicator",
    "RawIE", "RedirectingNumber", "RepeatIndicator", "RestartIndicator", "SendingComplete",
    "Signal", "UserUser", "decode", "encode",
]
