"""`countybridge cadres plan [--time-limit S] [--as-of DATE] [--county CODE] [--json]` and `countybridge cadres check PLAN_ID`."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from countybridge.core.models import Region, RegionLevel
from countybridge.core.services.errors import ServiceValidationError

from ...models import ExchangePlan
from ...services import plan_check, plan_run


@contextlib.contextmanager
def _solver_banner_to_stderr():
    """HiGHS prints its banner on file descriptor 1 from C; keep stdout clean so --json output parses."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _summary(plan: ExchangePlan) -> dict:
    return {
        "plan_id": plan.pk,
        "as_of": plan.as_of.isoformat(),
        "ruleset_version": plan.ruleset.version,
        "county": plan.region.code if plan.region_id else None,
        "status": plan.solver_status,
        "objective": plan.objective,
        "best_bound": plan.best_bound,
        "gap": plan.gap,
        "seconds": plan.seconds,
        "violations": plan.violations,
        "unplaced_must_move": [m for m in plan.must_move if not m["moved"]],
        "moves": [m.explanation | {"manual": m.manual} for m in plan.moves.all()],
    }


class Command(BaseCommand):
    help = "Cadre exchange plans: run the planner over the database, or re-check a stored plan."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("plan", help="run a plan over every cadre and post")
        run.add_argument("--time-limit", type=float, default=20.0)
        run.add_argument("--as-of", default="")
        run.add_argument("--county", default="", help="a county code: its own round under its own rule set")
        run.add_argument("--json", action="store_true")
        check = sub.add_parser("check", help="re-check a stored plan against the rules")
        check.add_argument("plan_id", type=int)
        check.add_argument("--json", action="store_true")

    def handle(self, *args, action, **opts):
        try:
            if action == "plan":
                as_of = dt.date.fromisoformat(opts["as_of"]) if opts["as_of"] else None
                region = None
                if opts["county"]:
                    region = Region.objects.filter(code=opts["county"], level=RegionLevel.COUNTY).first()
                    if region is None:
                        raise CommandError(f"区(市)县代码无效 {opts['county']} / unknown county code")
                with _solver_banner_to_stderr():
                    plan = plan_run(actor=None, region=region, as_of=as_of, time_limit_s=opts["time_limit"])
                self._print(plan, opts["json"])
            else:
                plan = ExchangePlan.objects.filter(pk=opts["plan_id"]).first()
                if plan is None:
                    raise CommandError(f"没有方案 {opts['plan_id']} / no plan {opts['plan_id']}")
                moves = [
                    (m.cadre.code, m.to_position.code)
                    for m in plan.moves.select_related("cadre", "to_position")
                ]
                with _solver_banner_to_stderr():
                    report = plan_check(plan, moves)
                out = {"plan_id": plan.pk, "ok": report.ok, "violations": [f.to_dict() for f in report.violations],
                       "unmet": [f.to_dict() for f in report.unmet]}  # fmt: skip
                if opts["json"]:
                    self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
                else:
                    self.stdout.write(f"plan {plan.pk}: {'OK' if report.ok else 'VIOLATIONS'}")
                    for f in report.violations:
                        self.stdout.write(f"  ✗ {f.code} {f.message_zh} / {f.message_en} — {f.article}")
                    for f in report.unmet:
                        self.stdout.write(f"  ! {f.code} {f.message_zh} — {f.article}")
                if not report.ok:
                    raise CommandError("plan breaks rules / 方案违反规则")
        except ValueError as exc:
            raise CommandError(f"日期无效 / invalid date: {exc}") from None
        except ServiceValidationError as exc:
            raise CommandError(str(exc)) from None

    def _print(self, plan: ExchangePlan, as_json: bool) -> None:
        data = _summary(plan)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str))
            return
        self.stdout.write(
            f"plan {plan.pk} as of {plan.as_of} (rules v{plan.ruleset.version}): {plan.solver_status}, "
            f"objective {plan.objective}, bound {plan.best_bound}, gap {plan.gap}, {plan.seconds:.1f}s, "
            f"{len(data['moves'])} moves, {len(plan.violations)} violations"
        )
        for m in data["moves"]:
            self.stdout.write(f"  {m['cadre_id']}: {m['from_position_id']} → {m['to_position_id']} "
                              f"({m['kind']}, fit {m['fit']})")  # fmt: skip
        for m in data["unplaced_must_move"]:
            why = "; ".join(f["message_zh"] for f in m["why_not"]) or "—"
            self.stdout.write(f"  unplaced must-move {m['cadre_id']}: {why}")
