"""SMS text: the GSM 7-bit alphabet, the choice of coding, splitting and numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firmware.notify import NotifyError
from firmware.notify import gsm_alphabet as gsm
from firmware.notify.sms import TRUNCATION_MARK, check_number, plan_message


def test_gsm_codes_from_the_table():
    # TS 23.038 §6.2.1: a few landmarks of the basic table and the extension table.
    assert gsm.encode("@£$") == bytes([0x00, 0x01, 0x02])
    assert gsm.encode("Az09 ") == b"Az09 "
    assert gsm.encode("ÄÖÑÜ§¿äöñüà") == bytes([0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60,
                                                0x7B, 0x7C, 0x7D, 0x7E, 0x7F])
    assert gsm.encode("_Ξ") == bytes([0x11, 0x1A])
    assert gsm.encode("€[") == bytes([0x1B, 0x65, 0x1B, 0x3C])
    assert gsm.septets("a€") == 3
    with pytest.raises(ValueError, match=r"U\+0161"):
        gsm.encode("š")


@given(st.text(alphabet=st.sampled_from(sorted(set(gsm.BASIC) - {"\x1b"}
                                              | set(gsm.EXTENSION)))))
def test_gsm_round_trip(text):
    assert gsm.decode(gsm.encode(text)) == text


def test_gsm_decode_reads_an_unknown_escape_as_space():
    assert gsm.decode(bytes([0x41, 0x1B, 0x41, 0x42])) == "A B"


def test_plain_german_and_french_stay_gsm_but_czech_and_russian_need_ucs2():
    assert plan_message("Rückruf für Jürgen, 10€? non: 10 $ à Café").coding == "UCS2"  # €
    assert plan_message("Rückruf für Jürgen um 10:30, Café Zoë?").coding == "UCS2"  # ë
    assert plan_message("Rückruf für Jürgen um 10:30, Straße 5 @ Köln").coding == "GSM"
    assert plan_message("Zmeškaný hovor").coding == "UCS2"
    assert plan_message("Nieodebrane połączenie").coding == "UCS2"
    assert plan_message("Пропущенный звонок").coding == "UCS2"
    # Characters whose code is a text-entry control (Ctrl-Z, ESC, backspace) go UCS2.
    assert plan_message("ΞΔ").coding == "UCS2"
    assert plan_message("però").coding == "UCS2"
    assert plan_message("a[b]").coding == "UCS2"


def test_one_sms_holds_160_gsm_or_70_ucs2_characters():
    assert plan_message("x" * 160).parts == ["x" * 160]
    assert plan_message("ж" * 70).parts == ["ж" * 70]
    assert len(plan_message("x" * 161).parts) == 2
    assert len(plan_message("ж" * 71).parts) == 2


def test_long_text_is_split_at_spaces_and_numbered():
    text = " ".join(f"word{n:03d}" for n in range(40))  # 319 characters
    plan = plan_message(text, max_parts=3)
    assert not plan.truncated
    assert [p[:6] for p in plan.parts] == ["(1/3) ", "(2/3) ", "(3/3) "][:len(plan.parts)]
    assert all(len(p) <= 160 for p in plan.parts)
    assert " ".join(p[6:] for p in plan.parts) == text
    assert all(not p[6:].startswith(" ") and not p.endswith(" ") for p in plan.parts)


def test_ucs2_parts_never_split_a_character_beyond_the_bmp():
    text = "Звонок 📞" * 20
    plan = plan_message(text, max_parts=9)
    assert plan.coding == "UCS2"
    for part in plan.parts:
        assert len(part.encode("utf-16-be")) <= 140
        part.encode("utf-16-be").decode("utf-16-be")  # no lone surrogate
    assert "".join(p[6:] for p in plan.parts).replace(" ", "") == text.replace(" ", "")


def test_text_beyond_max_parts_is_cut_with_a_mark():
    plan = plan_message("y" * 1000, max_parts=2)
    assert plan.truncated
    assert len(plan.parts) == 2
    assert plan.parts[-1].endswith(TRUNCATION_MARK)
    assert all(len(p) <= 160 for p in plan.parts)
    single = plan_message("z" * 400, max_parts=1)
    assert single.parts == ["z" * (160 - len(TRUNCATION_MARK)) + TRUNCATION_MARK]


def test_line_breaks_are_normalised_to_lf():
    assert plan_message("a\r\nb\rc").parts == ["a\nb\nc"]


@pytest.mark.parametrize("number, expected", [("+420601234567", "+420601234567"),
                                              ("+420 601 234 567", "+420601234567"),
                                              ("0301234567", "0301234567")])
def test_numbers_are_digits_with_an_optional_plus(number, expected):
    assert check_number(number) == expected


@pytest.mark.parametrize("bad", ["", "+", "1", "++420", "0601-234", "060123456a",
                                 '060"; AT+CMGD=1', "+" + "1" * 21, "１２３４"])
def test_anything_else_is_refused_as_permanent(bad):
    with pytest.raises(NotifyError, match="not a phone number") as err:
        check_number(bad)
    assert err.value.permanent
