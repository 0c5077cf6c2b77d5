"""`countybridge talent …` from the operator's shell.

  talent certify --application ID [--as-of YYYY-MM-DD]   evaluate (if not yet decided) and print the decision
  talent match --position ID [-k 10]                      ranked candidates with explanations
  talent allocate --places N --floor K [--requests F.json] [--save --programme P --year Y]

Without --user a command acts as the operator (whole database, audited as such); with --user NAME it acts
as that account, with its role and scope.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from rich.console import Console
from rich.table import Table

from countybridge.core.models import Organisation, User
from countybridge.core.services.errors import ServiceValidationError

from ... import match, quotas, services, services_recruitment
from ...models import CertificationApplication, Position


class Command(BaseCommand):
    help = "Talent certification, matching and quota allocation from the shell."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="act as this account (default: the operator)")
        sub = parser.add_subparsers(dest="action", required=True)
        c = sub.add_parser("certify")
        c.add_argument("--application", type=int, required=True)
        c.add_argument("--as-of", dest="as_of")
        m = sub.add_parser("match")
        m.add_argument("--position", type=int, required=True)
        m.add_argument("-k", type=int, default=10)
        a = sub.add_parser("allocate")
        a.add_argument("--places", type=int, required=True)
        a.add_argument("--floor", type=int, default=0)
        a.add_argument(
            "--requests", help="JSON file: [{employer_id, county, requested}]; default: open positions"
        )
        a.add_argument("--save", action="store_true")
        a.add_argument("--programme", default="")
        a.add_argument("--year", type=int, default=dt.date.today().year)

    def handle(self, *args, action, user=None, **options):
        self.console = Console()
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"没有该用户 / No such user: {user}")
        try:
            getattr(self, f"do_{action}")(actor, **options)
        except ServiceValidationError as exc:
            raise CommandError(
                "\n".join(f"{p.field}: {p.message_zh} / {p.message_en}" for p in exc.problems)
            ) from None
        except PermissionDenied as exc:
            raise CommandError(f"无权操作 / Not allowed: {exc}") from None

    def do_certify(self, actor, application, as_of=None, **_):
        app = CertificationApplication.objects.filter(pk=application).first()
        if app is None:
            raise CommandError(f"没有该申请 / No application {application}")
        if app.status == "submitted":
            day = dt.date.fromisoformat(as_of) if as_of else None
            app = services.certification_evaluate(actor=actor, application=app, as_of=day)
        d = app.decision
        out = self.console.print
        out(f"[bold]#{app.pk} {app.talent.person.name} ({app.region.code}): {app.status}[/bold]")
        out(f"class: {d.get('certified_class') or '—'}  candidate: {d.get('candidate_class') or '—'}")
        if d.get("item"):
            out(f"item: {d['item']['key']} {d['item']['text']}")
        out(f"rule: {d.get('rule_id') or '—'}  rule set: {d.get('ruleset_id') or '—'}")
        for r in d.get("reasons", []):
            out(f"reason: {r['zh']} / {r['en']}")
        table = Table("field", "op", "expected", "actual", "outcome", title="criteria")
        for p in d.get("predicates", []):
            table.add_row(str(p["field"]), str(p["op"]), str(p["expected"]), str(p["actual"]), p["outcome"])
        self.console.print(table)
        for r in d.get("evidence_required", []):
            out(f"missing: {r['zh']} / {r['en']}")

    def do_match(self, actor, position, k, **_):
        row = Position.objects.filter(pk=position).first()
        if row is None:
            raise CommandError(f"没有该岗位 / No position {position}")
        if not 1 <= k <= 1000:
            raise CommandError("k 应为1–1000 / k must be 1–1000")
        result, rows = match.rank_talents_for(row, actor, k) if actor else self._rank_all(row, k)
        self.console.print(
            f"{row.name}: eligible {result.eligible_count}, excluded {result.excluded_count} "
            f"{result.excluded_by_requirement}"
        )
        table = Table("#", "talent", "score", "components", "terms")
        for i, (t, mt) in enumerate(rows, 1):
            e = match.explanation_dict(mt)
            table.add_row(
                str(i),
                f"{t.pk} {t.person.name}",
                f"{e['score']:.3f}",
                " ".join(f"{c['name']}={c['contribution']:.3f}" for c in e["components"]),
                "、".join(x["term"] for x in e["matched_terms"][:6]),
            )
        self.console.print(table)

    def _rank_all(self, position, k):
        from ...models import TalentProfile

        result = match.index().rank_talents(match.engine_position(position), k=k, explain=True)
        talents = TalentProfile.objects.select_related("person").in_bulk(result.ids)
        return result, [(talents[mt.id], mt) for mt in result.matches]

    def do_allocate(self, actor, places, floor, requests=None, save=False, programme="", year=None, **_):
        if requests:
            with open(requests, encoding="utf-8") as fh:
                rows = json.load(fh)
        else:  # demand = open positions per county employer
            rows = [
                {"employer_id": str(o.pk), "county": o.region.code, "requested": o.n}
                for o in Organisation.objects.select_related("region")
                .annotate(n=Count("talent_positions", filter=Q(talent_positions__is_open=True)))
                .filter(n__gt=0)
            ]
        if save:
            result, _rows = services_recruitment.quota_allocate(
                actor=actor, programme=programme, year=year, places=places, floor=floor, requests=rows
            )
        else:
            try:
                result = quotas.allocate(places, rows, floor_per_county=floor)
            except quotas.QuotaError as exc:
                raise ServiceValidationError(services_recruitment._quota_problems(exc)) from None
        table = Table("county", "requested", "floor", "allocated", title=f"{places} places, floor {floor}")
        for s in result.counties:
            table.add_row(s.id, str(s.requested), str(s.floor), str(s.allocated))
        self.console.print(table)
        for zh, en in result.steps:
            self.console.print(f"{zh} / {en}")
