import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from countybridge.core.identifiers import (
    IdentifierError,
    make_credit_code,
    make_resident_id,
    mask_id,
    parse_resident_id,
    validate_credit_code,
)


def test_valid_resident_id_gives_birth_date_and_sex():
    number = make_resident_id("510181", dt.date(1990, 5, 17), 123)
    parsed = parse_resident_id(number)
    assert parsed.birth_date == dt.date(1990, 5, 17)
    assert parsed.sex == "M"
    assert parsed.address_code == "510181"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("51018119900517123", "id_length"),
        ("5101811990051712AX", "id_format"),
        ("510181199013171230", "id_checksum"),
    ],
)
def test_bad_resident_ids_are_rejected_with_bilingual_message(value, code):
    with pytest.raises(IdentifierError) as err:
        parse_resident_id(value)
    assert err.value.code in {code, "id_checksum", "id_birth_date"}
    assert err.value.message_zh and err.value.message_en


def test_wrong_check_character_is_named():
    good = make_resident_id("510185", dt.date(2001, 2, 3), 42)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(IdentifierError) as err:
        parse_resident_id(bad)
    assert err.value.code == "id_checksum"
    assert "校验码" in err.value.message_zh


def test_impossible_birth_date_is_rejected():
    body = "51018119900230123"  # 30 February
    from stdnum.cn import ric

    with pytest.raises(IdentifierError) as err:
        parse_resident_id(body + ric.calc_check_digit(body + "0"))
    assert err.value.code == "id_birth_date"


def test_old_jianyang_code_is_a_warning_not_an_error():
    # 简阳 used 512081 until 2016; a person born in 2020 with it gets a warning only
    number = make_resident_id("512081", dt.date(1995, 1, 1), 7)
    assert parse_resident_id(number).address_code == "512081"


@given(st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2024, 12, 31)), st.integers(0, 999))
def test_generated_ids_always_validate(birth, order):
    parsed = parse_resident_id(make_resident_id("510129", birth, order))
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if order % 2 else "F")


def test_mask_keeps_address_code_and_last_four():
    assert mask_id("510181199005171234") == "510181********1234"


def test_credit_code_check_character():
    code = make_credit_code("12510100MB0000001")
    assert validate_credit_code(code) == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(IdentifierError) as err:
        validate_credit_code(wrong)
    assert err.value.code == "uscc_checksum"
    with pytest.raises(IdentifierError):
        validate_credit_code("123")
