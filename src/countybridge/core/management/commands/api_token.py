"""`countybridge api_token issue --organisation ID --name N` / `revoke PREFIX` / `list`: tokens for machine clients.

The operator at the command line acts as the system (audited with "via: command line"), or, with --user, as a
signed-in account whose rights are checked as in the API. The secret is printed once and never stored.
"""

from __future__ import annotations

import getpass

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from countybridge.core.models import APIToken, Organisation, User
from countybridge.core.services.errors import ServiceValidationError
from countybridge.core.services.tokens import api_token_issue, api_token_revoke, api_tokens_for


class Command(BaseCommand):
    help = "Issue, revoke or list API tokens bound to one institution / 签发、撤销或列出机构 API 令牌"

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", help="act as this account (its rights are checked); default: the operator"
        )
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a token; the secret is printed once")
        issue.add_argument("--organisation", type=int, required=True, help="organisation id")
        issue.add_argument(
            "--name", required=True, help="what the token is for, e.g. 'LIS of 简阳市人民医院'"
        )
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="list tokens (never their secrets)")
        listing.add_argument("--organisation", type=int)

    def _actor(self, username: str | None):
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有此用户 / no such active user: {username}")
        return user

    def handle(self, *args, action: str, user: str | None = None, **options):
        actor = self._actor(user)
        system = actor is None
        try:
            if action == "issue":
                return self._issue(actor, system, options["organisation"], options["name"])
            if action == "revoke":
                return self._revoke(actor, system, options["prefix"])
            return self._list(actor, options.get("organisation"))
        except PermissionDenied as exc:
            raise CommandError(f"无权执行 / not allowed: {exc}") from None
        except ServiceValidationError as exc:
            raise CommandError(str(exc)) from None

    def _issue(self, actor, system: bool, organisation_id: int, name: str) -> None:
        organisation = Organisation.objects.select_related("region").filter(pk=organisation_id).first()
        if organisation is None:
            raise CommandError(f"没有此机构 / no organisation with id {organisation_id}")
        token, secret = api_token_issue(actor=actor, organisation=organisation, name=name, system=system)
        self.stderr.write(
            f"已为 {organisation.name} 签发令牌 {token.prefix}(操作人 {actor or getpass.getuser()})。"
            "令牌只显示这一次 / issued; the secret is shown only this once:"
        )
        self.stdout.write(secret)

    def _revoke(self, actor, system: bool, prefix: str) -> None:
        token = APIToken.objects.select_related("organisation").filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"没有此令牌 / no token with prefix {prefix}")
        already = token.revoked_at is not None
        token = api_token_revoke(actor=actor, token=token, system=system)
        state = "此前已撤销 / was already revoked" if already else "已撤销 / revoked"
        self.stdout.write(f"{token.prefix} {token.name}: {state} {token.revoked_at:%Y-%m-%d %H:%M:%S%z}")

    def _list(self, actor, organisation_id: int | None) -> None:
        # the operator sees every token; an account named with --user sees what it would see in the API
        tokens = (
            api_tokens_for(actor) if actor is not None else APIToken.objects.select_related("organisation")
        )
        tokens = tokens.order_by("organisation_id", "created_at")
        if organisation_id is not None:
            tokens = tokens.filter(organisation_id=organisation_id)
        for t in tokens:
            state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            self.stdout.write(
                f"{t.prefix}\t{t.organisation_id}\t{t.organisation.name}\t{t.name}\t{state}\tused {used}"
            )
