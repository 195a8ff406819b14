"""IVR menus in the switch: the box answers, says the menu, and a key sends the caller
on (they hear ringback meanwhile); wrong keys and silence repeat it; after the retries
the timeout target or goodbye. Media is a recorder of what the switch asks."""

import pytest

from firmware.media.prompts import PromptLibrary
from firmware.media.wav import pcm_of
from firmware.pbx.config import FieldError, PbxConfig
from tests.unit.pbx_box import OFFICE, Box
from tests.unit.test_pbx_voicemail_calls import FakeMedia

MENU = {"name": "main", "text": "Press 1 for Anna, 2 for the office.",
        "options": {"1": "21", "2": "30"}, "timeout_seconds": 5, "retries": 1}


def office(**menu):
    return {**OFFICE, "menus": [dict(MENU, **menu)],
            "routes": [*OFFICE["routes"], {"number": "5551099", "target": "ivr:main"}]}


@pytest.fixture
def box(tmp_path):
    return make_box(tmp_path)


def make_box(tmp_path, **menu):
    box = Box(tmp_path, office(**menu))
    box.media = box.pbx.media = FakeMedia(box.clock)
    box.pbx.prompts = PromptLibrary(tmp_path / "prompts",
                                    speak=lambda text, lang: pcm_of([1] * 8000))
    box.pbx.prompts.said(MENU["text"], "de", make=True)  # as the daemon does at start
    return box


def test_a_key_sends_the_caller_on_with_ringback_until_answered(box):
    box.exchange.call_box("5551099", "0301112222")
    box.run(0.5)
    (call,) = box.pbx.calls.values()
    assert (call.state.value, call.dst) == ("connected", "ivr:main")
    assert box.media.asked == [("prompt", "a", 8000)]  # the menu, one second
    assert box.phone1.state == "idle"
    box.media.press("1")
    box.run(0.5)
    assert box.media.asked[-2:] == [("stop", "a", None), ("tone", "a", "ringback")]
    assert box.phone1.state == "ringing"
    box.phone1.answer()
    box.run(0.5)
    assert box.media.asked[-1] == ("stop", "a", None)  # ringback ends
    assert (call.state.value, call.dst) == ("connected", "21")
    box.phone1.hangup()
    box.run(1)
    assert box.idle()
    [row] = box.cdrs()
    assert (row["src"], row["dst"], row["disposition"]) == ("0301112222", "21", "ANSWERED")


def test_a_wrong_key_and_silence_repeat_the_menu_then_goodbye(box):
    box.exchange.call_box("5551099", "0301112222")
    box.run(0.5)
    box.media.press("7")  # not on the menu: said again (retries 1)
    assert [a[0] for a in box.media.asked] == ["prompt", "prompt"]
    box.run(7)  # silence after the second time: goodbye and the box hangs up
    assert box.idle()
    assert box.phone1.state == "idle" and box.phone2.state == "idle"


def test_silence_goes_to_the_timeout_target(tmp_path):
    box = make_box(tmp_path, timeout_target="30", retries=0)
    box.exchange.call_box("5551099", "0301112222")
    box.run(7)  # one second of menu, five of silence
    assert box.phone1.state == "ringing" and box.phone2.state == "ringing"


def test_without_media_a_menu_cannot_answer(tmp_path):
    box = Box(tmp_path, office())
    box.exchange.call_box("5551099", "0301112222")
    box.run(1)
    assert box.idle()
    assert box.cdrs()[0]["cause"] == "47"


def test_menu_settings_are_checked_by_field():
    doc = office(options={"1": "99", "x": "21", "3": "ivr:main", "4": "ivr:other"},
                 timeout_seconds=1)
    with pytest.raises(FieldError) as e:
        PbxConfig.from_doc(doc, ports=("trunk", "s0int"))
    problems = dict(e.value.problems)
    assert problems["menus[0].options.1"] == "no extension or group 99"
    assert problems["menus[0].options.x"] == "a key: 0-9, * or #"
    assert problems["menus[0].options.3"] == "a menu cannot lead to itself"
    assert problems["menus[0].options.4"] == "no menu other"
    assert problems["menus[0].timeout_seconds"] == "between 2 and 30"
    good = PbxConfig.from_doc(office(), ports=("trunk", "s0int"))
    assert PbxConfig.from_doc(good.to_doc(), ports=("trunk", "s0int")) == good
