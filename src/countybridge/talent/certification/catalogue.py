"""The Chengdu talent catalogue as versioned data: classes, items, evidence fields and code lists.

The catalogue says who is in which class, never what a class receives (benefits are a separate table).
Everything here is read from `talent/data/catalogue_<version>.json`; the code knows only the value types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

CLASSES = ("A", "B", "C", "D", "E", "F")
# The policy gives each county city the right to certify classes A to C itself (赋予各县市市级A到C类人才认定自主权).
COUNTY_CLASSES = frozenset({"A", "B", "C"})
# Delegated self-certification (employers, parks) is granted for class C only (双流's C-class 自主认定 quotas).
DELEGABLE_CLASSES = frozenset({"C"})

FIELD_TYPES = ("ordinal", "code", "code_set", "number", "integer")


def class_rank(cls: str) -> int:
    """0 for A (highest) to 5 for F; lower is better."""
    return CLASSES.index(cls)


@dataclass(frozen=True)
class CatalogueItem:
    """One row of the catalogue: an item, or a class description where the item list is not encoded."""

    key: str
    cls: str
    field: str | None
    item_no: int | None
    text: str
    catalogue_version: str
    is_equivalent_clause: bool = False
    kind: str = "item"  # "item" or "class_description"
    text_complete: bool = True

    @property
    def needs_officer(self) -> bool:
        """Equivalent clauses (相当于上述层次) and bare class descriptions cannot be matched by rule alone."""
        return self.is_equivalent_clause or self.kind == "class_description"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "class": self.cls,
            "field": self.field,
            "item_no": self.item_no,
            "text": self.text,
            "catalogue_version": self.catalogue_version,
            "is_equivalent_clause": self.is_equivalent_clause,
            "kind": self.kind,
            "text_complete": self.text_complete,
        }


@dataclass(frozen=True)
class EvidenceField:
    """A typed piece of evidence an application can carry (degree, income, awards…)."""

    name: str
    type: str
    zh: str
    en: str
    vocabulary: str | None = None
    qualified: bool = False  # entries may carry a completer rank and a year (awards)
    document: str | None = None  # the document that usually proves this field


@dataclass(frozen=True)
class Vocabulary:
    """A code list; `ordered` lists are ranked scales (degree, title, skill level) in file order."""

    name: str
    codes: dict[str, dict[str, Any]]
    ordered: bool = False
    aliases: dict[str, str] = field(default_factory=dict)  # label or alias → code

    def rank(self, code: str) -> int:
        return list(self.codes).index(code)

    def normalise(self, value: str) -> str | None:
        """The code for a code, a Chinese label or an alias; None if the value is not in the list."""
        text = value.strip()
        if text in self.codes:
            return text
        return self.aliases.get(text) or self.aliases.get(text.lower())

    def label(self, code: str) -> tuple[str, str]:
        entry = self.codes.get(code, {})
        return entry.get("zh", code), entry.get("en", code)

    def extended(self, extra: dict[str, dict[str, Any]]) -> Vocabulary:
        codes = {**self.codes, **extra}
        return Vocabulary(self.name, codes, self.ordered, _aliases(codes))


@dataclass(frozen=True)
class Catalogue:
    version: str
    published: str
    items: dict[str, CatalogueItem]
    classes: dict[str, dict[str, Any]]
    fields: dict[str, EvidenceField]
    vocabularies: dict[str, Vocabulary]
    coverage_note: dict[str, str]

    def item(self, key: str) -> CatalogueItem:
        return self.items[key]

    def items_of_class(self, cls: str) -> list[CatalogueItem]:
        return [item for item in self.items.values() if item.cls == cls]

    def document_label(self, code: str) -> tuple[str, str]:
        return self.vocabularies["documents"].label(code)


def _aliases(codes: dict[str, dict[str, Any]]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for code, entry in codes.items():
        for alias in [entry.get("zh", ""), entry.get("en", ""), *entry.get("aliases", [])]:
            if alias:
                aliases[alias] = code
                aliases[alias.lower()] = code
    return aliases


def catalogue_from_dict(data: dict[str, Any]) -> Catalogue:
    """Build a catalogue from its JSON form (used for the shipped file and for other versions)."""
    version = str(data["version"])
    items = {}
    for row in data["items"]:
        items[row["key"]] = CatalogueItem(
            key=row["key"],
            cls=row["class"],
            field=row.get("field"),
            item_no=row.get("item_no"),
            text=row["text"],
            catalogue_version=version,
            is_equivalent_clause=bool(row.get("is_equivalent_clause", False)),
            kind=row.get("kind", "item"),
            text_complete=bool(row.get("text_complete", True)),
        )
    vocabularies = {}
    for name, spec in data["vocabularies"].items():
        codes = dict(spec["codes"])
        vocabularies[name] = Vocabulary(name, codes, bool(spec.get("ordered", False)), _aliases(codes))
    field_codes = {row["code"]: {"zh": row["zh"], "en": row["en"]} for row in data["fields"]}
    vocabularies["fields"] = Vocabulary("fields", field_codes, False, _aliases(field_codes))
    fields = {
        name: EvidenceField(
            name=name,
            type=spec["type"],
            zh=spec["zh"],
            en=spec["en"],
            vocabulary=spec.get("vocabulary"),
            qualified=bool(spec.get("qualified", False)),
            document=spec.get("document"),
        )
        for name, spec in data["evidence_fields"].items()
    }
    for spec in fields.values():
        if spec.type not in FIELD_TYPES:
            raise ValueError(f"目录字段类型未知 / Unknown evidence field type: {spec.name}={spec.type}")
        if spec.vocabulary and spec.vocabulary not in vocabularies:
            raise ValueError(f"目录代码表缺失 / Missing vocabulary: {spec.vocabulary}")
    return Catalogue(
        version=version,
        published=data.get("published", ""),
        items=items,
        classes={row["class"]: row for row in data["classes"]},
        fields=fields,
        vocabularies=vocabularies,
        coverage_note=data.get("coverage_note", {}),
    )


@cache
def load_catalogue(version: str = "2023") -> Catalogue:
    """The shipped catalogue of a version (cached: it is read-only)."""
    path = DATA_DIR / f"catalogue_{version}.json"
    if not path.exists():
        raise ValueError(f"没有{version}版人才分类目录 / No talent catalogue of version {version}")
    return catalogue_from_dict(json.loads(path.read_text(encoding="utf-8")))
