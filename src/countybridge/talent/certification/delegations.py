"""Delegated self-certification (employers, parks) of class C with a quota: parsing and validation."""

from __future__ import annotations

from typing import Any

from .catalogue import DELEGABLE_CLASSES, Catalogue
from .schema import HOLDER_KINDS, Collector, Delegation, parse_date


def parse_delegation(row: Any, path: str, catalogue: Catalogue, out: Collector) -> Delegation | None:
    if not isinstance(row, dict):
        out.add(path, row, "授权应为对象", "A delegation must be an object", "type_mismatch")
        return None
    before = len(out.problems)
    if not isinstance(row.get("id"), str) or not row.get("id"):
        out.add(f"{path}.id", row.get("id"), "授权须有编号", "A delegation needs an id", "missing")
    if row.get("holder_kind") not in HOLDER_KINDS:
        out.add(
            f"{path}.holder_kind",
            row.get("holder_kind"),
            "被授权方应为用人单位(employer)或园区(park)",
            "The holder is an employer or a park",
            "wrong_value",
        )
    if not isinstance(row.get("holder_id"), str) or not row.get("holder_id"):
        out.add(
            f"{path}.holder_id", row.get("holder_id"), "须写明被授权方", "The holder is required", "missing"
        )
    if row.get("class") not in DELEGABLE_CLASSES:
        out.add(
            f"{path}.class",
            row.get("class"),
            "只能授权自主认定C类人才",
            "Only class C self-certification can be delegated",
            "class_not_delegated",
        )
    quota = row.get("quota")
    if not isinstance(quota, int) or isinstance(quota, bool) or quota <= 0:
        out.add(
            f"{path}.quota", quota, "名额应为正整数", "The quota is a positive whole number", "type_mismatch"
        )
    items = row.get("items") or []
    for key in items if isinstance(items, list) else [items]:
        if key not in catalogue.items or catalogue.items[key].cls != row.get("class"):
            out.add(
                f"{path}.items",
                key,
                "授权条目须为该类别的目录条目",
                "Delegated items must be catalogue items of the class",
                "unknown_item",
            )
    start = parse_date(row.get("valid_from"), f"{path}.valid_from", out)
    end = parse_date(row.get("valid_to"), f"{path}.valid_to", out)
    if start and end and end <= start:
        out.add(
            f"{path}.valid_to",
            row.get("valid_to"),
            "截止日期应晚于开始日期",
            "The end must be after the start",
            "bad_window",
        )
    if len(out.problems) > before:
        return None
    return Delegation(
        row["id"],
        row["holder_kind"],
        row["holder_id"],
        row["class"],
        quota,
        str(row.get("holder_name", "")),
        tuple(items),
        start,
        end,
    )
