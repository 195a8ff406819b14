"""Prepaid minutes: a prepaid link needs the visitor's PIN and a balance; the call ends
when the balance does, with a warning tone to the visitor a minute before, and what was
talked is charged per second."""

from __future__ import annotations

import pytest

from firmware.callback.model import State
from firmware.callback.prepaid import PrepaidAccounts, PrepaidError
from firmware.callback.service import RequestRejected
from firmware.store.database import open_store
from firmware.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.unit.test_callback_service import SETTINGS, CallbackBox
from tests.unit.test_pbx_voicemail_calls import FakeMedia

VISITOR = "+49301234567"


@pytest.fixture
def box(tmp_path):
    doc = {**SETTINGS, "links": [dict(SETTINGS["links"][0], prepaid=True)]}
    box = CallbackBox(tmp_path, doc)
    store = open_store(tmp_path / "store.json", MIGRATIONS, schema_version=SCHEMA_VERSION)
    box.service.prepaid = PrepaidAccounts(store)
    box.pbx.media = box.media = FakeMedia(box.clock)
    return box


def test_the_pin_and_a_balance_are_needed(box):
    with pytest.raises(RequestRejected, match="no prepaid account") as e:
        box.file(pin="1234")
    assert e.value.field == "pin"
    box.service.prepaid.top_up(VISITOR, 2, pin="1234")
    with pytest.raises(RequestRejected, match="PIN is wrong"):
        box.file(pin="9999")
    assert box.file(pin="1234").state in (State.QUEUED, State.RINGING_STAFF)


def test_the_call_ends_with_the_balance_after_a_warning_and_is_charged(box):
    warnings = []
    box.events.subscribe(warnings.append, ("callback.prepaid-warning",))
    box.service.prepaid.top_up(VISITOR, 2, pin="1234")  # 120 s
    req = box.file(pin="1234")
    box.run(0.5)
    box.phone1.answer()
    box.run(1.5)
    assert req.state is State.CONNECTED
    box.run(59)
    assert warnings == []
    box.run(2)
    assert len(warnings) == 1 and ("tone", "b", "call_waiting") in box.media.asked
    box.run(60)
    assert req.state is State.DONE and box.idle()
    assert box.service.prepaid.balance(VISITOR) == 0
    with pytest.raises(RequestRejected, match="no prepaid minutes are left"):
        box.file(pin="1234")


def test_a_short_call_is_charged_what_it_talked(box):
    box.service.prepaid.top_up(VISITOR, 5, pin="1234")
    req = box.file(pin="1234")
    box.run(0.5)
    box.phone1.answer()
    box.run(1.5)
    box.run(45)
    box.phone1.hangup()
    box.run(1)
    assert req.state is State.DONE
    assert 300 - 47 <= box.service.prepaid.balance(VISITOR) <= 300 - 44


def test_accounts_are_checked_when_made(tmp_path):
    accounts = PrepaidAccounts(open_store(tmp_path / "s.json", MIGRATIONS,
                                          schema_version=SCHEMA_VERSION))
    with pytest.raises(PrepaidError, match="needs a PIN"):
        accounts.top_up(VISITOR, 5)
    with pytest.raises(PrepaidError, match="4 to 8 digits"):
        accounts.top_up(VISITOR, 5, pin="12")
    accounts.top_up(VISITOR, 1, pin="8642")
    assert accounts.top_up(VISITOR, 1.5).seconds == 150  # no PIN needed to add
    assert "8642" not in (tmp_path / "s.json").read_text()  # only its hash is kept
    assert accounts.check(VISITOR, "8642").seconds == 150
