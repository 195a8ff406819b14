"""Caller cards: notes and tickets kept per number in the store, earlier contacts."""

from __future__ import annotations

import pytest

from firmware.callback.cards import CallerCards, CardError
from firmware.clock import VirtualClock
from firmware.store.database import open_store
from firmware.store.schema import MIGRATIONS, SCHEMA_VERSION


@pytest.fixture
def cards(tmp_path):
    store = open_store(tmp_path / "store.json", MIGRATIONS, schema_version=SCHEMA_VERSION)
    yield CallerCards(store, VirtualClock(),
                      lambda number: [{"kind": "call", "number": number}])
    store.close()


def test_notes_and_tickets_build_the_card(cards):
    number = "+49301234567"
    cards.add_note(number, "Wants the winter price list", author="Anna")
    ticket = cards.add_ticket(number, "Send offer", author="Anna")
    cards.add_ticket(number, "Old issue")
    cards.set_ticket(number, 2, "closed")
    card = cards.card(number)
    assert [n["text"] for n in card["notes"]] == ["Wants the winter price list"]
    assert card["tickets"] == [ticket] and card["closed_tickets"] == 1
    assert card["contacts"] == [{"kind": "call", "number": number}]
    assert cards.card("+49309999999")["notes"] == []


def test_bad_input_is_refused_clearly(cards):
    with pytest.raises(CardError, match="1 to 2000 characters"):
        cards.add_note("+49301234567", "   ")
    with pytest.raises(CardError, match=r"\+CC form"):
        cards.add_note("0301234567", "hi")
    with pytest.raises(CardError, match="no ticket 9"):
        cards.set_ticket("+49301234567", 9, "closed")
    with pytest.raises(CardError, match="open or closed"):
        cards.set_ticket("+49301234567", 1, "lost")
