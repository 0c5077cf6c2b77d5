"""A validation error that names the field and says what is wrong in Chinese and in English."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldProblem:
    field: str
    value: str
    message_zh: str
    message_en: str
    code: str = "invalid"


@dataclass
class ServiceValidationError(Exception):
    problems: list[FieldProblem] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{p.field}: {p.message_zh} / {p.message_en}" for p in self.problems)
