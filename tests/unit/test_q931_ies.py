"""Q.931 IE contents: hand-coded octets from the standard both ways, bad contents raise
IeContentError, and every IE round-trips. The strategies here are shared with the codec
and fuzz tests."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware.isdn.q931.causes import CauseValue, Location, ProgressDescription
from firmware.isdn.q931.ies import (
    KNOWN_IES,
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

# ------------------------------------------------------------------ strategies

u = st.integers


def ext_group(max_size: int = 3) -> st.SearchStrategy[bytes]:
    """An octet group: octets with bit 8 = 0 ending with one whose bit 8 = 1."""
    return st.builds(lambda more, last: bytes(more) + bytes((last,)),
                     st.lists(u(0, 0x7F), max_size=max_size - 1), u(0x80, 0xFF))


@st.composite
def bearer_capabilities(draw):
    rate = draw(st.sampled_from([0x10, 0x11, 0x13, 0x15, 0x17, 0x18, 0x00]) | u(0, 31))
    rate_extra = draw(st.just(b"") | ext_group(2))
    if rate == 0x18:
        rate_extra += bytes((draw(u(0, 255)),))
    layer1 = draw(st.none() | u(0, 31))
    layer1_extra = draw(st.just(b"") | ext_group(4)) if layer1 is not None else b""
    extra = draw(st.just(b"") | st.builds(
        lambda first, rest: bytes((first,)) + rest,
        u(0, 255).filter(lambda o: o & 0x60 != 0x20), st.binary(max_size=4)))
    return BearerCapability(draw(u(0, 31)), draw(u(0, 3)), rate, layer1, draw(u(0, 3)),
                            extra, rate_extra, layer1_extra)


@st.composite
def channel_ids(draw):
    primary = draw(u(0, 1))
    exclusive, d_channel, any_channel = draw(st.booleans()), draw(st.booleans()), False
    extra = b""
    if draw(st.booleans()):
        any_channel, channel = True, None
        extra = draw(st.binary(max_size=3))
    elif not primary:
        channel = draw(st.sampled_from([None, 1, 2]))
        extra = draw(st.binary(max_size=2))
    else:
        channel = draw(st.none() | u(0, 127))
        if channel is None:
            extra = draw(st.binary(max_size=3))
        elif channel == 0:   # "as indicated": octets 3.2/3.3 not in the plain form
            extra = draw(st.binary(min_size=1, max_size=3).filter(
                lambda b: not (len(b) == 2 and b[0] == 0x83 and b[1] & 0x80)))
    return ChannelIdentification(channel, exclusive, primary, d_channel, any_channel, extra)


digits = st.text(st.characters(max_codepoint=0x7F), max_size=20)
latin1 = st.text(st.characters(max_codepoint=0xFF), max_size=30)


@st.composite
def numbers_with_presentation(draw, cls):
    if draw(st.booleans()):
        return cls(draw(digits), draw(u(0, 7)), draw(u(0, 15)), draw(u(0, 3)), draw(u(0, 3)))
    return cls(draw(digits), draw(u(0, 7)), draw(u(0, 15)))


@st.composite
def redirecting_numbers(draw):
    level = draw(u(0, 2))  # octet 3 only, with 3a, with 3a and 3b
    pres = draw(u(0, 3)) if level else None
    screening = draw(u(0, 3)) if level else None
    reason = draw(u(0, 15)) if level == 2 else None
    return RedirectingNumber(draw(digits), draw(u(0, 7)), draw(u(0, 15)), pres, screening,
                             reason)


@st.composite
def date_times(draw):
    count = draw(u(0, 3))
    tail = [draw(u(0, 255)) for _ in range(count)]
    return DateTime(draw(u(0, 255)), draw(u(0, 255)), draw(u(0, 255)), *tail)


UNASSIGNED_CS0 = [0x01, 0x02, 0x03, 0x05, 0x0A, 0x33, 0x50, 0x66, 0x6A, 0x72]
SINGLE_CS0_UNKNOWN = [0x80, 0x83, 0xA2, 0xA7, 0xC5, 0xE1, 0xF3]

raw_ies = st.one_of(
    st.builds(RawIE, st.just(0), st.sampled_from(UNASSIGNED_CS0), st.binary(max_size=8)),
    st.builds(RawIE, st.just(0), st.sampled_from(SINGLE_CS0_UNKNOWN), st.just(b"")),
    st.builds(RawIE, u(4, 7), u(0, 0x7F), st.binary(max_size=8)),
    st.builds(RawIE, u(4, 7), u(0x80, 0xFF).filter(lambda o: o & 0xF0 != 0x90),
              st.just(b"")),
)

# every IE we know how to build, except RepeatIndicator (whose place depends on its
# neighbour; tested on its own)
known_ies = st.one_of(
    st.builds(SendingComplete), st.builds(MoreData), st.builds(CongestionLevel, u(0, 15)),
    bearer_capabilities(),
    st.builds(Cause, u(0, 127), u(0, 15), u(0, 3), st.none() | u(0, 127),
              st.binary(max_size=6)),
    st.builds(CallState, u(0, 63), u(0, 3)),
    channel_ids(),
    st.builds(ProgressIndicator, u(0, 127), u(0, 15), u(0, 3)),
    st.builds(NotificationIndicator, u(0, 127), st.binary(max_size=4)),
    st.builds(Display, latin1),
    date_times(),
    st.builds(KeypadFacility, latin1),
    st.builds(Signal, u(0, 255)),
    numbers_with_presentation(CallingPartyNumber),
    numbers_with_presentation(ConnectedNumber),
    st.builds(CalledPartyNumber, digits, u(0, 7), u(0, 15)),
    redirecting_numbers(),
    st.builds(RestartIndicator, u(0, 7)),
    st.builds(UserUser, u(0, 255), st.binary(max_size=8)),
    st.builds(CallIdentity, st.binary(max_size=8)),
    *(st.builds(cls, st.binary(min_size=cls.MIN_LEN, max_size=8))
      for cls in (Facility, ConnectedSubaddress, CallingPartySubaddress,
                  CalledPartySubaddress, LowLayerCompatibility, HighLayerCompatibility)),
)

any_ie = known_ies | raw_ies


# ------------------------------------------------------------------ known octets

VECTORS = [
    # speech, circuit mode 64 kbit/s, G.711 A-law
    (BearerCapability(), "8090a3"),
    (BearerCapability(layer1=0x02), "8090a2"),
    (BearerCapability(capability=0x10), "9090a3"),
    # unrestricted digital, no layer 1 octet (HDLC/PPP data calls)
    (BearerCapability(capability=0x08, layer1=None), "8890"),
    # V.110 with octet 5a (56 kbit/s, synchronous)
    (BearerCapability(capability=0x08, layer1=0x01, layer1_extra=b"\x8f"), "8890218f"),
    # multirate 2 x 64 kbit/s: octet 4.1 follows octet 4
    (BearerCapability(capability=0x08, rate=0x18, layer1=None, rate_extra=b"\x82"), "889882"),
    # packet mode with layer 2 (Q.921) and layer 3 (X.25) octets kept raw
    (BearerCapability(capability=0x08, mode=2, rate=0, layer1=None, extra=b"\xc2\xe6"),
     "88c0c2e6"),
    (Cause(CauseValue.NORMAL_CALL_CLEARING, Location.PUBLIC_NETWORK_LOCAL_USER), "8290"),
    (Cause(CauseValue.USER_BUSY, Location.USER), "8091"),
    (Cause(CauseValue.INVALID_IE_CONTENTS, 0, diagnostics=b"\x04"), "80e404"),
    (Cause(CauseValue.NORMAL_UNSPECIFIED, 2, recommendation=0), "02809f"),
    (CallState(10), "0a"),
    (CallState(0x19, coding=3), "d9"),
    (ChannelIdentification(any_channel=True), "83"),
    (ChannelIdentification(channel=1, exclusive=True), "89"),
    (ChannelIdentification(channel=2), "82"),
    (ChannelIdentification(), "80"),
    (ChannelIdentification(d_channel=True, exclusive=True), "8c"),
    (ChannelIdentification(channel=5, exclusive=True, interface_type=1), "a98385"),
    (ProgressIndicator(ProgressDescription.INBAND_INFO_AVAILABLE, 2), "8288"),
    (NotificationIndicator(0x00), "80"),          # user suspended
    (Display("Anna"), "416e6e61"),
    (DateTime(26, 3, 14, 9, 30), "1a030e091e"),
    (KeypadFacility("*21#"), "2a323123"),
    (Signal(0x01), "01"),
    (CallingPartyNumber("0301234567", 2, 1, 0, 3), "2183" + b"0301234567".hex()),
    (CallingPartyNumber("123"), "81313233"),
    (ConnectedNumber("40", 4, 1, 1, 1), "41a13430"),
    (CalledPartyNumber("5551234", 4), "c1" + b"5551234".hex()),
    (CalledPartyNumber(""), "81"),
    (RedirectingNumber("99", 2, 1, 0, 0, 1), "210081" + "3939"),
    (RedirectingNumber("99", 2, 1, 1, 3), "21a3" + "3939"),
    (RestartIndicator(7), "87"),
    (UserUser(0x04, b"hi"), "046869"),
    (HighLayerCompatibility(b"\x91\x81"), "9181"),
    (CalledPartySubaddress(b"\x80\x50\x31"), "805031"),
]


@pytest.mark.parametrize(("ie", "hexbody"), VECTORS, ids=lambda v: repr(v)[:40])
def test_known_octets_both_ways(ie, hexbody):
    body = bytes.fromhex(hexbody)
    assert ie.encode_body() == body
    assert type(ie).decode_body(body) == ie


BAD = [
    (BearerCapability, ""),
    (BearerCapability, "80"),            # octet 4 missing
    (BearerCapability, "0090"),          # octet 3 with an extension bit of 0
    (BearerCapability, "8098"),          # multirate without octet 4.1
    (BearerCapability, "8090 21".replace(" ", "")),  # octet 5a announced, absent
    (BearerCapability, "8010"),          # octets 4a/4b announced, absent
    (Cause, ""),
    (Cause, "80"),
    (Cause, "8010"),                     # octet 4 extended
    (Cause, "0080"),                     # 3a present, octet 4 missing
    (CallState, ""),
    (CallState, "0a0a"),
    (ChannelIdentification, ""),
    (ChannelIdentification, "03"),       # octet 3 extended
    (ChannelIdentification, "c1"),       # explicit interface identifier
    (ChannelIdentification, "a1"),       # primary rate "as indicated" without 3.2
    (ChannelIdentification, "a2"),       # primary rate reserved selection
    (ProgressIndicator, "82"),
    (ProgressIndicator, "0288"),
    (NotificationIndicator, ""),
    (NotificationIndicator, "00"),
    (DateTime, "1a03"),
    (DateTime, "1a030e091e0001"),
    (Signal, ""),
    (CallingPartyNumber, ""),
    (CallingPartyNumber, "21"),          # octet 3a announced, absent
    (CallingPartyNumber, "2103"),        # octet 3a extended
    (CallingPartyNumber, "81b1"),        # digit outside IA5
    (CalledPartyNumber, "01"),           # called number has no octet 3a
    (CalledPartyNumber, ""),
    (RedirectingNumber, "2100"),         # octet 3b announced, absent
    (RestartIndicator, "07"),
    (RestartIndicator, ""),
    (UserUser, ""),
    (HighLayerCompatibility, "91"),
    (LowLayerCompatibility, "88"),
    (Facility, ""),
    (CalledPartySubaddress, ""),
]


@pytest.mark.parametrize(("cls", "hexbody"), BAD)
def test_bad_contents_raise_ie_content_error(cls, hexbody):
    with pytest.raises(IeContentError):
        cls.decode_body(bytes.fromhex(hexbody))


def test_single_octet_ies():
    assert SendingComplete().encode_octet() == 0xA1
    assert MoreData().encode_octet() == 0xA0
    assert CongestionLevel(15).encode_octet() == 0xBF
    assert RepeatIndicator(2).encode_octet() == 0xD2
    assert RepeatIndicator.decode_octet(0xD1) == RepeatIndicator(1)
    assert CongestionLevel.decode_body(CongestionLevel(3).encode_body()) == CongestionLevel(3)
    assert SendingComplete.decode_body(b"") == SendingComplete()
    with pytest.raises(IeContentError):
        SendingComplete.decode_body(b"\x00")


def test_identifiers_are_the_standard_ones():
    ids = {cls.__name__: cls.ID for cls in KNOWN_IES}
    assert ids["BearerCapability"] == 0x04 and ids["Cause"] == 0x08
    assert ids["ChannelIdentification"] == 0x18 and ids["Display"] == 0x28
    assert ids["CallingPartyNumber"] == 0x6C and ids["CalledPartyNumber"] == 0x70
    assert ids["RestartIndicator"] == 0x79 and ids["SendingComplete"] == 0xA1
    assert all(cls.CODESET == 0 for cls in KNOWN_IES)
    assert len(set(ids.values())) == len(ids)


def test_basic_access_rejects_a_channel_it_does_not_have():
    with pytest.raises(ValueError):
        ChannelIdentification(channel=3).encode_body()


def test_calling_and_connected_numbers_are_different_ies():
    assert CallingPartyNumber("1") != ConnectedNumber("1")
    assert not isinstance(ConnectedNumber("1"), CallingPartyNumber)


@settings(max_examples=500, deadline=None)
@given(known_ies)
def test_every_ie_round_trips(ie):
    assert type(ie).decode_body(ie.encode_body()) == ie
