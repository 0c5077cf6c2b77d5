"""Reads of the disease catalogue: the classification in force on a date, and the reportable lists."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache

from django.db.models import Q, QuerySet

from .deadlines import Classification
from .models import Disease, DiseaseClassification, DiseaseKind
from .services_catalogue import DATA_FILE


@lru_cache(maxsize=1)
def _source_texts() -> dict[str, str]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8")).get("sources", {})


def source_text(key: str) -> str:
    return _source_texts().get(key, key)


def disease_list(*, kind: str | None = None, active_only: bool = True) -> QuerySet:
    qs = Disease.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs


def disease_get(code: str) -> Disease | None:
    return Disease.objects.filter(code=code).first()


def classification_on(disease: Disease | str, on: dt.date, subtype: str = "") -> Classification | None:
    """The class, 甲类 management and report hours of `disease` (or a subtype: 肺炭疽) on date `on`;
    None when the disease was not reportable then (e.g. 猴痘 before 2023-09-20)."""
    code = disease if isinstance(disease, str) else disease.code
    if isinstance(on, dt.datetime):
        on = on.date()
    row = (
        DiseaseClassification.objects.select_related("disease")
        .filter(disease__code=code, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        return None
    return Classification(
        disease_code=code,
        legal_class=row.legal_class,
        managed_as_a=row.managed_as_a or (bool(subtype) and subtype in (row.managed_as_a_subtypes or [])),
        report_hours=row.report_hours,
        name_zh=row.name_zh or row.disease.name_zh,
        source=source_text(row.source),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
    )


def diseases_reportable_on(on: dt.date, *, kinds: tuple[str, ...] = ()) -> QuerySet:
    """Diseases with a classification in force on `on` (the list a card may tick that day)."""
    qs = Disease.objects.filter(
        Q(classifications__valid_from__lte=on)
        & (Q(classifications__valid_to__isnull=True) | Q(classifications__valid_to__gt=on)),
        is_active=True,
    ).distinct()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs


def statutory_counts_on(on: dt.date) -> dict[str, int]:
    """How many diseases each class had on a date: {"A": 2, "B": 27, "C": 11} from 2025-09-01."""
    counts = {"A": 0, "B": 0, "C": 0}
    rows = DiseaseClassification.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on),
        valid_from__lte=on,
        disease__kind=DiseaseKind.NOTIFIABLE,
    ).values_list("legal_class", flat=True)
    for legal_class in rows:
        counts[legal_class] = counts.get(legal_class, 0) + 1
    return counts
