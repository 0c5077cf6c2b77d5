"""Resident ID numbers (GB 11643) and unified social credit codes (GB 32100): pure validation and masking.

No Django imports: every module validates identifiers through these functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc


class IdentifierError(ValueError):
    """An identifier that cannot be accepted; carries a message in Chinese and in English."""

    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class ResidentId:
    number: str
    address_code: str
    birth_date: dt.date
    sex: str  # "M" or "F": odd order code is male (GB 11643 § 5.3)
    warnings: tuple[str, ...] = ()


ID_TYPES = {
    "resident_id": ("居民身份证", "Resident ID card"),
    "hk_mo_residence": ("港澳居民居住证", "HK/Macau residence permit"),
    "tw_residence": ("台湾居民居住证", "Taiwan residence permit"),
    "foreign_permanent": ("外国人永久居留身份证", "Foreigner's permanent residence ID"),
    "passport": ("护照", "Passport"),
}


def parse_resident_id(value: str, *, today: dt.date | None = None) -> ResidentId:
    """Validate an 18-character resident ID (also used by HK/Macau/Taiwan residence permits).

    The check character (ISO 7064 MOD 11-2) and the birth date are errors; an address code not in
    force in the birth year is only a warning, since codes change (简阳 512081 → 510185).
    """
    number = ric.compact(value or "")
    if len(number) != 18:
        raise IdentifierError("id_length", "身份证号码应为18位", "A resident ID number has 18 characters")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentifierError(
            "id_format",
            "身份证号码只能包含数字,末位可为X",
            "Only digits, with X allowed as the last character",
        )
    if number[17] != ric.calc_check_digit(number):
        raise IdentifierError(
            "id_checksum", "身份证号码校验码错误", "The ID number's check character is wrong"
        )
    try:
        birth = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise IdentifierError(
            "id_birth_date", "身份证号码中的出生日期无效", "The birth date in the ID number is invalid"
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise IdentifierError(
            "id_birth_date", "身份证号码中的出生日期不合理", "The birth date in the ID number is out of range"
        )
    warnings: list[str] = []
    try:
        ric.get_birth_place(number)
    except stdnum_errors.ValidationError:
        warnings.append("address_code_not_in_force")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number, number[:6], birth, sex, tuple(warnings))


def make_resident_id(address_code: str, birth_date: dt.date, order: int) -> str:
    """Compose a valid ID number (for synthetic demo people); ``order`` 0–999, odd for men."""
    body = f"{address_code}{birth_date:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def validate_credit_code(value: str) -> str:
    """Validate a unified social credit code (GB 32100-2015); returns it in canonical form."""
    code = uscc.compact(value or "")
    if len(code) != 18:
        raise IdentifierError(
            "uscc_length", "统一社会信用代码应为18位", "A unified social credit code has 18 characters"
        )
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        raise IdentifierError(
            "uscc_checksum", "统一社会信用代码校验码错误", "The credit code's check character is wrong"
        ) from None
    except stdnum_errors.ValidationError:
        raise IdentifierError(
            "uscc_format",
            "统一社会信用代码格式错误",
            "The credit code has characters not allowed by GB 32100",
        ) from None


def make_credit_code(body17: str) -> str:
    """Append the GB 32100 check character to a 17-character body (for synthetic demo organisations)."""
    return body17 + uscc.calc_check_digit(body17)


def mask_id(number: str) -> str:
    """Masked display: keep the 6-digit address code and the last 4 characters (510181********1234)."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
