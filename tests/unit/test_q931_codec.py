"""Q.931 message codec: real DSS1 messages coded by hand from Q.931 / EN 300 403 both
ways, codeset shifts, unknown and bad IEs, round trip of random messages, and the
mandatory-IE rules."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware.isdn.q931 import (
    BearerCapability,
    CalledPartyNumber,
    CallingPartyNumber,
    CallState,
    Cause,
    ChannelIdentification,
    Decoded,
    Display,
    Facility,
    IeError,
    Message,
    MessageType,
    NotificationIndicator,
    ProgressIndicator,
    RawIE,
    RepeatIndicator,
    RestartIndicator,
    SendingComplete,
    UserUser,
    decode,
    encode,
)
from firmware.isdn.q931.causes import CauseValue, Location
from firmware.isdn.q931.rules import is_known, mandatory_ies, missing_mandatory
from tests.unit.test_q931_ies import any_ie

MT = MessageType

SETUP_HEX = (
    "08 01 05 05"                           # PD, CR length 1, CR 5 from the originator
    " 04 03 80 90 a3"                       # bearer: speech, 64 kbit/s circuit, A-law
    " 18 01 83"                             # channel: basic, preferred, any B-channel
    " 6c 0c 21 83 30 33 30 31 32 33 34 35 36 37"  # calling: national, ISDN plan,
                                            # presentation allowed, network provided
    " 70 08 c1 35 35 35 31 32 33 34"        # called: subscriber number 5551234
    " a1"                                   # sending complete
)
SETUP = Message(MT.SETUP, 5, False, 1, [
    BearerCapability(),
    ChannelIdentification(any_channel=True),
    CallingPartyNumber("0301234567", type_of_number=2, plan=1, presentation=0, screening=3),
    CalledPartyNumber("5551234", type_of_number=4, plan=1),
    SendingComplete(),
])

VECTORS = [
    ("setup", SETUP_HEX, SETUP),
    ("disconnect, cause 16 from the local public network",
     "08 01 85 45 08 02 82 90",
     Message(MT.DISCONNECT, 5, True, 1,
             [Cause(CauseValue.NORMAL_CALL_CLEARING, Location.PUBLIC_NETWORK_LOCAL_USER)])),
    ("release complete, cause 17 from the user",
     "08 01 05 5a 08 02 80 91",
     Message(MT.RELEASE_COMPLETE, 5, False, 1, [Cause(CauseValue.USER_BUSY, 0)])),
    ("release complete without IEs", "08 01 85 5a", Message(MT.RELEASE_COMPLETE, 5, True)),
    ("status: cause 30, call state 10 active",
     "08 01 85 7d 08 02 80 9e 14 01 0a",
     Message(MT.STATUS, 5, True, 1,
             [Cause(CauseValue.RESPONSE_TO_STATUS_ENQUIRY), CallState(10)])),
    ("restart all interfaces, global call reference",
     "08 01 00 46 79 01 87",
     Message(MT.RESTART, 0, False, 1, [RestartIndicator(7)])),
    ("restart acknowledge, one B-channel, global call reference from the responder",
     "08 01 80 4e 18 01 89 79 01 80",
     Message(MT.RESTART_ACKNOWLEDGE, 0, True, 1,
             [ChannelIdentification(channel=1, exclusive=True), RestartIndicator(0)])),
    ("connect acknowledge", "08 01 85 0f", Message(MT.CONNECT_ACKNOWLEDGE, 5, True)),
    ("connect with a 2-octet call reference",
     "08 02 81 23 07 1e 02 82 88",
     Message(MT.CONNECT, 0x123, True, 2, [ProgressIndicator(8, 2)])),
    ("facility with the dummy call reference",
     "08 00 62 1c 03 91 a1 00",
     Message(MT.FACILITY, 0, False, 0, [Facility(b"\x91\xa1\x00")])),
    ("release with a codeset 6 IE after a locking shift",
     "08 01 85 4d 08 02 82 90 96 02 03 01 02 03",
     Message(MT.RELEASE, 5, True, 1,
             [Cause(16, 2), RawIE(6, 0x02, b"\x01\x02\x03")])),
    ("information with sending complete only (single-octet IE)",
     "08 01 05 7b a1", Message(MT.INFORMATION, 5, False, 1, [SendingComplete()])),
    ("setup with repeated bearer capability after a repeat indicator",
     "08 01 01 05 d2 04 03 80 90 a3 04 03 90 90 a3 18 01 81",
     Message(MT.SETUP, 1, False, 1, [RepeatIndicator(2), BearerCapability(),
                                     BearerCapability(capability=0x10),
                                     ChannelIdentification(channel=1)])),
]


@pytest.mark.parametrize(("hexmsg", "msg"), [v[1:] for v in VECTORS],
                         ids=[v[0] for v in VECTORS])
def test_known_messages_both_ways(hexmsg, msg):
    data = bytes.fromhex(hexmsg)
    unknown = [IeError("unrecognized", ie.codeset, ie.ident)
               for ie in msg.ies if isinstance(ie, RawIE)]
    assert decode(data) == Decoded(msg, unknown, None)
    assert encode(msg) == data


def test_decoded_setup_fields():
    msg = decode(bytes.fromhex(SETUP_HEX)).message
    assert msg.type is MT.SETUP and msg.call_ref == 5 and not msg.flag
    assert not msg.is_global
    bc = msg.get(BearerCapability)
    assert (bc.capability, bc.mode, bc.rate, bc.layer1) == (0x00, 0, 0x10, 0x03)
    chan = msg.get(ChannelIdentification)
    assert chan.any_channel and chan.channel is None and not chan.exclusive
    assert msg.get(CallingPartyNumber).digits == "0301234567"
    assert msg.get(CalledPartyNumber).digits == "5551234"
    assert msg.get(SendingComplete) is not None
    assert msg.get(Display) is None
    assert str(msg).startswith("SETUP cr=5 flag=0 [BearerCapability(")


def test_restart_is_global():
    msg = decode(bytes.fromhex("08 01 00 46 79 01 87")).message
    assert msg.is_global and msg.cr_len == 1 and msg.call_ref == 0
    assert not Message(MT.FACILITY, 0, cr_len=0).is_global


def test_encoder_sorts_ies_by_identifier_and_puts_shifted_codesets_last():
    msg = Message(MT.SETUP, 5, ies=[
        SendingComplete(), RawIE(6, 0x01, b"x"), CalledPartyNumber("1"), RawIE(5, 0x02, b"y"),
        ChannelIdentification(channel=1), BearerCapability(), RawIE(6, 0x00, b"z")])
    assert encode(msg) == bytes.fromhex(
        "08 01 05 05 04 03 80 90 a3 18 01 81 70 02 81 31 a1"
        " 95 02 01 79 96 00 01 7a 01 01 78")
    # repeated IEs keep their order (the sort is stable)
    two = Message(MT.SETUP, 5, ies=[Display("b"), Display("a")])
    assert decode(encode(two)).message.get_all(Display) == [Display("b"), Display("a")]


def test_unknown_ie_is_kept_raw_and_reported():
    data = bytes.fromhex("08 01 85 45 08 02 82 90 66 02 ab cd")
    decoded = decode(data)
    assert decoded.message.ies == [Cause(16, 2), RawIE(0, 0x66, b"\xab\xcd")]
    assert decoded.errors == [IeError("unrecognized", 0, 0x66)]
    assert encode(decoded.message) == data


def test_unknown_single_octet_ie():
    decoded = decode(bytes.fromhex("08 01 05 7b f3 a1"))
    assert decoded.message.ies == [RawIE(0, 0xF3), SendingComplete()]
    assert decoded.errors == [IeError("unrecognized", 0, 0xF3)]


def test_bad_bearer_capability_is_a_content_error():
    data = bytes.fromhex("08 01 01 05 04 01 80 18 01 83")
    decoded = decode(data)
    msg = decoded.message
    assert msg.ies == [RawIE(0, 0x04, b"\x80"), ChannelIdentification(any_channel=True)]
    assert decoded.errors == [IeError("content", 0, 0x04)]
    assert not decoded.ok
    assert encode(msg) == data
    assert missing_mandatory(msg, network_to_user=True) == [BearerCapability]


def test_non_locking_shift_applies_to_one_ie():
    # 9e: non-locking shift to codeset 6 for the next IE, then back in codeset 0
    decoded = decode(bytes.fromhex("08 01 05 6e 9e 01 01 55 27 01 80"))
    assert decoded.message.ies == [RawIE(6, 0x01, b"\x55"), NotificationIndicator(0)]
    assert decoded.errors == [IeError("unrecognized", 6, 0x01)]
    # re-encoded with a locking shift; decodes to the same message
    again = decode(encode(decoded.message)).message
    assert again.ies == [NotificationIndicator(0), RawIE(6, 0x01, b"\x55")]


def test_single_octet_ie_in_another_codeset_is_raw():
    decoded = decode(bytes.fromhex("08 01 05 7b 95 a1"))
    assert decoded.message.ies == [RawIE(5, 0xA1)]


def test_truncated_ie_stops_decoding():
    decoded = decode(bytes.fromhex("08 01 85 45 08 02 82 90 1e 05 82"))
    assert decoded.message.ies == [Cause(16, 2)]
    assert decoded.errors == [IeError("truncated", 0, 0x1E)]
    decoded = decode(bytes.fromhex("08 01 85 45 08"))
    assert decoded.message.ies == []
    assert decoded.errors == [IeError("truncated", 0, 0x08)]


@pytest.mark.parametrize(("hexmsg", "why"), [
    ("", "empty"),
    ("09 01 05 05", "protocol discriminator"),
    ("08", "call reference"),
    ("08 03 00 00 00 05", "call reference length"),
    ("08 11 05 05", "call reference length"),
    ("08 01 05", "message type"),
    ("08 02 05", "message type"),
])
def test_not_a_q931_message(hexmsg, why):
    decoded = decode(bytes.fromhex(hexmsg))
    assert decoded.message is None
    assert why in decoded.reason


def test_unknown_message_type_decodes():
    decoded = decode(bytes.fromhex("08 01 05 13 a1"))
    assert decoded.message.type == 0x13 and not is_known(0x13)
    assert str(decoded.message) == "MESSAGE_0x13 cr=5 flag=0 [SendingComplete()]"


def test_encode_rejects_what_cannot_be_coded():
    with pytest.raises(ValueError):
        encode(Message(MT.SETUP, 0x80))
    with pytest.raises(ValueError):
        encode(Message(MT.SETUP, 1, cr_len=3))
    with pytest.raises(ValueError):
        encode(Message(MT.SETUP, 1, ies=[Display("x" * 256)]))


def test_accepts_bytearray_and_memoryview():
    data = bytes.fromhex(SETUP_HEX)
    assert decode(bytearray(data)) == decode(data) == decode(memoryview(data))


# ------------------------------------------------------------------ round trip

def _encoder_order(ies):
    """Q.931 4.5.1 order: codeset, then identifier; stable for repeated IEs."""
    def key(ie):
        return (ie.codeset, ie.ident) if isinstance(ie, RawIE) else (ie.CODESET, ie.ID)
    return sorted(ies, key=key)


@st.composite
def messages(draw):
    cr_len = draw(st.sampled_from([0, 1, 1, 1, 2]))
    call_ref = draw(st.integers(0, (1 << (8 * cr_len - 1)) - 1)) if cr_len else 0
    flag = draw(st.booleans()) if cr_len else False
    msg_type = draw(st.sampled_from(list(MT)) | st.integers(0, 255))
    return Message(msg_type, call_ref, flag, cr_len, draw(st.lists(any_ie, max_size=8)))


@settings(max_examples=600, deadline=None)
@given(messages())
def test_random_messages_round_trip(msg):
    decoded = decode(encode(msg))
    assert decoded.reason is None
    expected = Message(msg.type, msg.call_ref, msg.flag, msg.cr_len, _encoder_order(msg.ies))
    assert decoded.message == expected
    # only RawIEs (all unknown here) are reported
    assert len(decoded.errors) == sum(isinstance(ie, RawIE) for ie in msg.ies)


# ------------------------------------------------------------------ rules

def test_setup_without_bearer_capability():
    msg = Message(MT.SETUP, 1, ies=[ChannelIdentification(channel=1)])
    assert missing_mandatory(msg, network_to_user=True) == [BearerCapability]
    assert missing_mandatory(msg, network_to_user=False) == [BearerCapability]
    bare = Message(MT.SETUP, 1)
    assert missing_mandatory(bare, network_to_user=True) == [BearerCapability,
                                                             ChannelIdentification]
    assert missing_mandatory(bare, network_to_user=False) == [BearerCapability]


def test_disconnect_without_cause():
    assert missing_mandatory(Message(MT.DISCONNECT, 1), True) == [Cause]
    assert missing_mandatory(Message(MT.DISCONNECT, 1, ies=[Cause(16)]), False) == []


@pytest.mark.parametrize(("msg_type", "needs"), [
    (MT.STATUS, (Cause, CallState)),
    (MT.RESTART, (RestartIndicator,)),
    (MT.NOTIFY, (NotificationIndicator,)),
    (MT.PROGRESS, (ProgressIndicator,)),
    (MT.CONNECT, ()),
    (MT.RELEASE, ()),
    (MT.RELEASE_COMPLETE, ()),
    (MT.ALERTING, ()),
    (MT.SETUP_ACKNOWLEDGE, ()),      # channel id: mandatory unless SETUP's is accepted
    (MT.USER_INFORMATION, (UserUser,)),
    (0x13, ()),
])
def test_mandatory_ies(msg_type, needs):
    assert mandatory_ies(msg_type, True) == needs == mandatory_ies(msg_type, False)


def test_resume_acknowledge_needs_a_channel_from_the_network():
    assert mandatory_ies(MT.RESUME_ACKNOWLEDGE, True) == (ChannelIdentification,)
    assert mandatory_ies(MT.RESUME_ACKNOWLEDGE, False) == ()


def test_every_message_type_is_known():
    assert all(is_known(t) for t in MT)
    assert MT.SETUP == 0x05 and MT.RETRIEVE_REJECT == 0x37 and MT.STATUS == 0x7D
