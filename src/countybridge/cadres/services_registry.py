"""Writes that keep the cadre registry itself: cadres (linked to a core.Person), career posts, yearly
assessments, relatives and positions. Each is one transaction with its audit row; bad input raises
ServiceValidationError with every problem in Chinese and English and nothing is saved.

The choices are the planning engine's own code tables (levels, unit types, functions, kinship codes, grades),
so whatever an officer can enter here is exactly what the planner accepts; an unknown kinship code would
otherwise silently switch an avoidance rule off.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q

from countybridge.core import audit
from countybridge.core.models import AuditEvent, Organisation, Person
from countybridge.core.services.errors import FieldProblem, ServiceValidationError
from countybridge.core.services.people import person_register

from .models import Assessment, Cadre, CareerPost, Position, Relative, TrainingRecord
from .planning.model import ASSESSMENT_SCORES, FUNCTIONS, KINSHIP, LEVELS, UNIT_TYPES
from .registry_checks import Checker
from .selectors import require_edit


def _cadre_values(check: Checker) -> dict[str, Any]:
    values = {
        "code": check.text("code", "干部编号", "Code", 40),
        "name": check.text("name", "姓名", "Name", 64),
        "birth_date": check.date("birth_date", "出生日期", "Birth date"),
        "home_region": check.text("home_region", "成长地代码", "Home region code", 6),
        "work_start": check.date("work_start", "参加工作时间", "Work start"),
        "grassroots_years": check.number("grassroots_years", "基层工作年限", "Years at grassroots", 0, 60),
        "fields": check.codes("fields"),
        "level": check.choice("level", LEVELS, "职级", "level"),
        "years_at_level": check.number("years_at_level", "任现职级年限", "Years at level", 0, 60),
        "years_one_level_down": check.number(
            "years_one_level_down", "任下一级年限", "Years one level down", 0, 60
        ),
        "posts_at_level": check.number(
            "posts_at_level", "本级任职岗位数", "Posts at level", 0, 50, whole=True
        ),
        "posts_one_level_down": check.number(
            "posts_one_level_down", "下一级任职岗位数", "Posts one level down", 0, 50, whole=True
        ),
        "region": check.county("region"),
    }
    home = values["home_region"]
    if home and not (home.isdigit() and len(home) == 6):
        check.fail(
            "home_region", home, "成长地应为6位行政区划代码", "Home region must be a 6-digit division code"
        )
    born, started = values["birth_date"], values["work_start"]
    if born and started and started < born:
        check.fail(
            "work_start", started, "参加工作时间早于出生日期", "Work start is before the birth date", "order"
        )
    return values


@transaction.atomic
def cadre_create(
    *,
    actor,
    data: dict[str, Any],
    person: Person | None = None,
    person_data: dict | None = None,
    request=None,
) -> Cadre:
    """A new cadre file, linked to an existing person or to one registered now through core's person
    service (same transaction: a refused cadre leaves no orphan person behind)."""
    require_edit(actor)
    check = Checker(data)
    values = _cadre_values(check)
    if values["code"] and Cadre.objects.filter(code=values["code"]).exists():
        check.fail("code", values["code"], "干部编号已存在", "A cadre with this code exists", "duplicate")
    if person is not None and Cadre.objects.filter(person=person).exists():
        check.fail(
            "person_id", person.pk, "该人员已有干部档案", "This person already has a cadre file", "duplicate"
        )
    if person is not None and values["birth_date"] and person.birth_date != values["birth_date"]:
        check.fail("birth_date", values["birth_date"], "出生日期与人员登记不符",
                   "Birth date does not match the registered person", "mismatch")  # fmt: skip
    check.done()
    if person is None and person_data:
        person = person_register(actor=actor, data=dict(person_data, name=values["name"],
                                 birth_date=values["birth_date"]), request=request)  # fmt: skip
    cadre = Cadre.objects.create(person=person, **values)
    audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=cadre, request=request,
                 details={"code": cadre.code, "person": person.pk if person else None})  # fmt: skip
    return cadre


@transaction.atomic
def cadre_update(*, actor, cadre: Cadre, data: dict[str, Any], request=None) -> Cadre:
    """Replace the file's fields (the whole form is submitted, so every field is re-validated)."""
    require_edit(actor)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    check = Checker(data)
    values = _cadre_values(check)
    if values["code"] and Cadre.objects.filter(code=values["code"]).exclude(pk=cadre.pk).exists():
        check.fail("code", values["code"], "干部编号已存在", "A cadre with this code exists", "duplicate")
    check.done()
    changed = {k: str(v) for k, v in values.items() if getattr(cadre, k) != v}
    for key, value in values.items():
        setattr(cadre, key, value)
    cadre.save()
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=cadre, request=request,
                 details={"changed": sorted(changed)})  # fmt: skip
    return cadre


def _post_values(check: Checker, cadre: Cadre, post: CareerPost | None) -> dict[str, Any]:
    position = None
    code = str(check.raw("position") or "")
    if code:
        position = Position.objects.filter(code=code).first()
        if position is None:
            check.fail(
                "position", code, f"没有编号为「{code}」的职位", f"No position with code '{code}'", "unknown"
            )
    if position is not None and not check.raw("level"):
        check.data = dict(check.data, level=position.level)  # the position's own level unless stated
    values = {
        "position": position,
        "title": check.text("title", "职务名称", "Post title", 160, required=position is None),
        "level": check.choice("level", LEVELS, "职级", "level"),
        "start": check.date("start", "任职开始日期", "Start date"),
        "end": check.date("end", "任职结束日期", "End date", required=False),
        "consecutive_terms": check.number(
            "consecutive_terms", "连续任期数", "Consecutive terms", 1, 10, whole=True, default=1
        ),
    }
    if position is not None and not values["title"]:
        values["title"] = f"{position.unit_name} {position.title}"[:160]
    if position is not None and values["level"] and values["level"] != position.level:
        check.fail("level", values["level"], f"职级与职位的职级（{position.level}）不一致",
                   f"The level differs from the position's level ({position.level})", "mismatch")  # fmt: skip
    start, end = values["start"], values["end"]
    if start and end and end < start:
        check.fail("end", end, "任职结束日期早于开始日期", "The end date is before the start date", "order")
    others = cadre.career.exclude(pk=post.pk if post else None)
    if start and (not end or end >= start):
        # Periods [start, end] may touch (a move on one day) but not overlap: a cadre holds one post at a time.
        clash = others.filter(start__lt=end or dt.date.max).filter(Q(end__isnull=True) | Q(end__gt=start))
        if end is None:
            clash = clash.exclude(end__isnull=True)  # reported as a second current post below
        if clash.exists():
            check.fail("start", start, "任职时间与该干部的其他任职经历重叠",
                       "The period overlaps another post of this cadre", "overlap")  # fmt: skip
    if end is None:
        if others.filter(end__isnull=True).exists():
            check.fail("end", "", "该干部已有现任职务，请先填写原职务的结束日期",
                       "This cadre already holds a current post; end it first", "two_current")  # fmt: skip
        if position is not None:
            holder = CareerPost.objects.filter(position=position, end__isnull=True).exclude(cadre=cadre)
            if post is not None:
                holder = holder.exclude(pk=post.pk)
            if holder.exists():
                check.fail(
                    "position", code, "该职位已有现任人员", "Someone else holds this position now", "held"
                )
    return values


def _follow_current(cadre: Cadre, post: CareerPost) -> None:
    """A current post in a known position moves the cadre's county (the scope) and level with it."""
    if post.end is None and post.position_id:
        cadre.region_id, cadre.level = post.position.region_id, post.level
        cadre.save(update_fields=["region", "level"])


@transaction.atomic
def career_add(*, actor, cadre: Cadre, data: dict[str, Any], request=None) -> CareerPost:
    require_edit(actor)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    check = Checker(data)
    values = _post_values(check, cadre, None)
    check.done()
    post = CareerPost.objects.create(cadre=cadre, **values)
    _follow_current(cadre, post)
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=cadre, request=request,
                 details={"career_add": post.title, "start": str(post.start), "end": str(post.end)})  # fmt: skip
    return post


@transaction.atomic
def career_update(*, actor, post: CareerPost, data: dict[str, Any], request=None) -> CareerPost:
    require_edit(actor)
    cadre = Cadre.objects.select_for_update().get(pk=post.cadre_id)
    post = CareerPost.objects.select_for_update().get(pk=post.pk)
    check = Checker(data)
    values = _post_values(check, cadre, post)
    check.done()
    for key, value in values.items():
        setattr(post, key, value)
    post.save()
    _follow_current(cadre, post)
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=cadre, request=request,
                 details={"career_update": post.pk, "start": str(post.start), "end": str(post.end)})  # fmt: skip
    return post


@transaction.atomic
def assessment_set(*, actor, cadre: Cadre, year, grade: str, request=None) -> Assessment:
    """The year's grade (one per year: a second entry for the same year corrects the first)."""
    require_edit(actor)
    check = Checker({"year": year, "grade": grade})
    year = check.number("year", "考核年度", "Year", 1950, 2100, whole=True)
    grade = check.choice("grade", ASSESSMENT_SCORES, "考核等次", "assessment grade")
    check.done()
    row, created = Assessment.objects.update_or_create(cadre=cadre, year=year, defaults={"grade": grade})
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=cadre, request=request,
                 details={"assessment": year, "grade": grade, "corrected": not created})  # fmt: skip
    return row


@transaction.atomic
def relative_add(*, actor, cadre: Cadre, relative_code: str, kinship: str, request=None) -> Relative:
    """Declare a relative who is also a cadre; the planner reads the pair for avoidance (回避)."""
    require_edit(actor)
    check = Checker({"relative": relative_code, "kinship": kinship})
    code = str(check.raw("relative") or "")
    kinship = check.choice("kinship", KINSHIP, "亲属关系", "kinship code")
    other = Cadre.objects.filter(code=code).first()
    if other is None:
        check.fail("relative", code, f"没有编号为「{code}」的干部", f"No cadre with code '{code}'", "unknown")
    elif other.pk == cadre.pk:
        check.fail("relative", code, "不能把本人登记为亲属", "A cadre cannot be their own relative", "self")
    elif Relative.objects.filter(cadre=cadre, relative=other).exists():
        check.fail("relative", code, "该亲属已登记", "This relative is already declared", "duplicate")
    check.done()
    row = Relative.objects.create(cadre=cadre, relative=other, kinship=kinship)
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=cadre, request=request,
                 details={"relative_add": other.code, "kinship": kinship})  # fmt: skip
    return row


@transaction.atomic
def relative_remove(*, actor, relative: Relative, request=None) -> None:
    require_edit(actor)
    cadre, code, kinship = relative.cadre, relative.relative.code, relative.kinship
    relative.delete()
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=cadre, request=request,
                 details={"relative_remove": code, "kinship": kinship})  # fmt: skip


# What an officer may strike from a cadre's file, and what the audit row keeps of it.
REMOVABLE = {
    "career": (
        CareerPost,
        lambda r: {"title": r.title, "level": r.level, "start": str(r.start), "end": str(r.end)},
    ),
    "assessment": (Assessment, lambda r: {"year": r.year, "grade": r.grade}),
    "training": (TrainingRecord, lambda r: {"title": r.title, "year": r.year, "hours": r.hours}),
}


@transaction.atomic
def record_remove(*, actor, cadre: Cadre, kind: str, pk: int, reason: str, request=None) -> None:
    """Strike a career post, assessment or training record entered in error. A reason is required and the
    audit row keeps the removed values, so the file's history can be reconstructed."""
    require_edit(actor)
    check = Checker({"reason": reason, "kind": kind})
    check.choice("kind", REMOVABLE, "记录类型", "record kind")
    reason = check.text("reason", "删除理由", "The reason for removal", 300)
    check.done()
    model, describe = REMOVABLE[kind]
    row = model.objects.select_for_update().filter(cadre=cadre, pk=pk).first()
    if row is None:
        raise ServiceValidationError(
            [FieldProblem("pk", str(pk), "该干部没有这条记录", "This cadre has no such record", "unknown")]
        )
    removed = describe(row)
    row.delete()
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=cadre, request=request, reason=reason,
                 details={"removed": kind, "record": removed})  # fmt: skip


def _position_values(check: Checker, position: Position | None) -> dict[str, Any]:
    values = {
        "code": check.text("code", "职位编号", "Code", 40),
        "title": check.text("title", "职务名称", "Post title", 120),
        "unit_name": check.text("unit_name", "单位", "Unit", 120),
        "unit_type": check.choice("unit_type", UNIT_TYPES, "单位类型", "unit type"),
        "region": check.county("region"),
        "level": check.choice("level", LEVELS, "职级", "level"),
        "is_chief": check.flag("is_chief"),
        "function": check.choice("function", FUNCTIONS, "职能", "function"),
        "team": check.text("team", "领导班子", "Leadership team", 60, required=False),
        "required_fields": check.codes("required_fields"),
        "preferred_fields": check.codes("preferred_fields"),
        "is_open": check.flag("is_open"),
        "unit": None,
        "reports_to": None,
    }
    unit_id = check.raw("unit")
    if unit_id not in (None, ""):
        values["unit"] = Organisation.objects.filter(pk=unit_id).first() if str(unit_id).isdigit() else None
        if values["unit"] is None:
            check.fail("unit", unit_id, "机构不存在", "No such organisation", "unknown")
    boss_code = str(check.raw("reports_to") or "")
    if boss_code:
        boss = Position.objects.filter(code=boss_code).first()
        if boss is None:
            check.fail("reports_to", boss_code, f"没有编号为「{boss_code}」的职位",
                       f"No position with code '{boss_code}'", "unknown")  # fmt: skip
        elif position is not None and _reaches(boss, position):
            check.fail(
                "reports_to", boss_code, "上级职位会形成循环", "The line of command would loop", "cycle"
            )
        values["reports_to"] = boss
    if boss_code and boss_code == values["code"]:
        check.fail(
            "reports_to", boss_code, "职位不能向自己报告", "A position cannot report to itself", "cycle"
        )
    return values


def _reaches(start: Position, target: Position) -> bool:
    """Whether following reports_to from `start` arrives at `target` (a loop if target then reports to start)."""
    seen, node = set(), start
    while node is not None and node.pk not in seen:
        if node.pk == target.pk:
            return True
        seen.add(node.pk)
        node = node.reports_to
    return False


@transaction.atomic
def position_create(*, actor, data: dict[str, Any], request=None) -> Position:
    require_edit(actor)
    check = Checker(data)
    values = _position_values(check, None)
    if values["code"] and Position.objects.filter(code=values["code"]).exists():
        check.fail("code", values["code"], "职位编号已存在", "A position with this code exists", "duplicate")
    check.done()
    position = Position.objects.create(**values)
    audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=position, request=request,
                 details={"code": position.code})  # fmt: skip
    return position


@transaction.atomic
def position_update(*, actor, position: Position, data: dict[str, Any], request=None) -> Position:
    require_edit(actor)
    position = Position.objects.select_for_update().get(pk=position.pk)
    check = Checker(data)
    values = _position_values(check, position)
    held = CareerPost.objects.filter(position=position, end__isnull=True).exists()
    if held and values["level"] in LEVELS and values["level"] != position.level:
        # The holder's current post carries the level; changing it under them would split the record.
        check.fail("level", values["level"], "该职位有现任人员，不能修改职级（请先办理任免）",
                   "The position is held; end the holder's post before changing its level", "held")  # fmt: skip
    if values["code"] and Position.objects.filter(code=values["code"]).exclude(pk=position.pk).exists():
        check.fail("code", values["code"], "职位编号已存在", "A position with this code exists", "duplicate")
    check.done()
    changed = sorted(k for k, v in values.items() if getattr(position, k) != v)
    for key, value in values.items():
        setattr(position, key, value)
    position.save()
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=position, request=request,
                 details={"changed": changed})  # fmt: skip
    return position
