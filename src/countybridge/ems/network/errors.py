"""Bilingual validation errors that name the place (CSV row, GeoJSON feature, node, demand point).

`NetworkError` carries one or more `NetworkProblem`s; each has a stable `code`, a Chinese and an English
message and `place`, the offending row/feature/node/point as the user knows it (for example ``"row 7"``,
``"feature 3 (id=G318-2)"``, ``"node N17"``, ``"demand point 乡镇卫生院A"``). The Django app maps each problem to
a `core.services.errors.FieldProblem(field=place, ...)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Stable problem codes (the app and tests match on these).
MISSING_COLUMNS = "missing_columns"
BAD_SPEED = "bad_speed"
BAD_LENGTH = "bad_length"
BAD_COORDINATE = "bad_coordinate"
UNKNOWN_ROAD_CLASS = "unknown_road_class"
UNKNOWN_NODE = "unknown_node"
BAD_GEOMETRY = "bad_geometry"
DISCONNECTED = "disconnected"
NOT_SNAPPABLE = "not_snappable"
EMPTY_NETWORK = "empty_network"
BAD_FILE = "bad_file"


@dataclass(frozen=True)
class NetworkProblem:
    code: str
    place: str
    message_zh: str
    message_en: str
    value: str = ""


@dataclass
class NetworkError(Exception):
    """Raised with every problem found (validation reports all of them, not only the first)."""

    problems: list[NetworkProblem] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.problems[0].code if self.problems else ""

    @property
    def place(self) -> str:
        return self.problems[0].place if self.problems else ""

    @property
    def message_zh(self) -> str:
        return "；".join(f"{p.place}：{p.message_zh}" for p in self.problems)

    @property
    def message_en(self) -> str:
        return "; ".join(f"{p.place}: {p.message_en}" for p in self.problems)

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def problem(code: str, place: str, zh: str, en: str, value: object = "") -> NetworkProblem:
    return NetworkProblem(code=code, place=place, message_zh=zh, message_en=en, value=str(value))
