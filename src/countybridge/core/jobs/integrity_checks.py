"""Registry integrity rules and the per-county tally: plain data in and out, no Django imports, so
they are tested without a database and the job module only does the reading."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..identifiers import IdentifierError, mask_id, parse_resident_id, validate_credit_code

RESIDENT_ID_TYPES = {"resident_id", "hk_mo_residence", "tw_residence"}
SAMPLES_PER_COUNTY = 20


def credit_code_problem(code: str | None) -> str | None:
    """The problem code for an organisation's stored credit code, or None when it is valid.
    A missing code is not an error (many village clinics have none) and is counted separately."""
    if not code:
        return None
    try:
        canonical = validate_credit_code(code)
    except IdentifierError as exc:
        return exc.code
    return None if canonical == code else "uscc_not_canonical"


def document_problem(
    *, id_type: str, number: str | None, stored_masked: str, hash_matches: bool
) -> str | None:
    """The problem code for a person's decrypted document, or None when it is consistent.
    `number` None means the ciphertext could not be decrypted with the configured key."""
    if number is None:
        return "undecryptable"
    if id_type in RESIDENT_ID_TYPES:
        try:
            parse_resident_id(number)
        except IdentifierError as exc:
            return exc.code
    elif not 6 <= len(number) <= 20:
        return "id_length"
    if not hash_matches:
        return "hash_mismatch"
    if mask_id(number) != stored_masked:
        return "mask_mismatch"
    return None


@dataclass
class CountyTally:
    code: str
    name: str
    organisations: int = 0
    organisations_without_code: int = 0
    organisations_with_problems: int = 0
    people: int = 0
    people_with_problems: int = 0
    problems: Counter = field(default_factory=Counter)
    samples: list[dict] = field(default_factory=list)

    def add(self, what: str, pk: int, problem: str | None) -> None:
        if problem is None:
            return
        self.problems[problem] += 1
        if what == "organisation":
            self.organisations_with_problems += 1
        else:
            self.people_with_problems += 1
        if len(self.samples) < SAMPLES_PER_COUNTY:
            # ids and problem codes only: a result never carries an identifier
            self.samples.append({"type": what, "id": pk, "problem": problem})

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "organisations": self.organisations,
            "organisations_without_code": self.organisations_without_code,
            "organisations_with_problems": self.organisations_with_problems,
            "people": self.people,
            "people_with_problems": self.people_with_problems,
            "problems": dict(sorted(self.problems.items())),
            "samples": self.samples,
        }


def summarise(tallies: dict[str, CountyTally]) -> dict:
    rows = [t.as_dict() for t in sorted(tallies.values(), key=lambda t: t.code)]
    totals = Counter()
    for t in tallies.values():
        totals.update(t.problems)
    keys = (
        "organisations",
        "organisations_without_code",
        "organisations_with_problems",
        "people",
        "people_with_problems",
    )
    return {
        "counties": rows,
        "totals": {**{k: sum(r[k] for r in rows) for k in keys}, "problems": dict(sorted(totals.items()))},
    }
