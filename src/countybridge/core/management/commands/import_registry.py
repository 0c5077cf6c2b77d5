"""`countybridge import_registry <registry> FILE [--commit] [--user NAME]`: check or import a registry file.

Without --commit the file is only checked and the problems are printed as a table (exit status 1 when
there are any). --commit imports all rows or none; it needs --user (or COUNTYBRIDGE_CLI_USER) so that the
audit row names a real account and that account's scope applies. A check without a user applies the
city-wide scope and writes only its batch record.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from countybridge.core.imports import services as imports
from countybridge.core.imports.readers import ImportFileError
from countybridge.core.models import Role, User


class CommandLineActor:
    """Who a check without --user runs as: city-wide scope, never able to write (it is not a User row)."""

    is_authenticated = True
    is_active = True
    role = Role.CITY_ADMIN
    region_id = None
    organisation_id = None
    organisation = None
    person_id = None
    domain = ""
    pk = None

    def get_username(self) -> str:
        return f"cli:{os.environ.get('USER', 'operator')}"


class Command(BaseCommand):
    help = "Check (default) or import (--commit) a CSV/.xlsx file into a registry: " + ", ".join(
        imports.SPECS
    )

    def add_arguments(self, parser):
        parser.add_argument("registry", choices=sorted(imports.SPECS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="import the rows (all or none)")
        parser.add_argument(
            "--user",
            default=os.environ.get("COUNTYBRIDGE_CLI_USER", ""),
            help="username whose role and scope apply (required with --commit)",
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the report as JSON")

    def handle(self, *args, registry, file, commit, user, as_json=False, **options):
        console = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        actor = self._actor(user, commit)
        if not file.is_file():
            raise CommandError(f"文件不存在 / No such file: {file}", returncode=2)
        try:
            report = imports.import_file(
                actor=actor, registry=registry, content=file.read_bytes(), filename=file.name, commit=commit
            )
        except ImportFileError as exc:
            raise CommandError(f"{exc.message_zh} / {exc.message_en}", returncode=2) from None
        except PermissionDenied:
            raise CommandError(
                f"该用户无权导入此登记簿 / This user may not import {registry}", returncode=2
            ) from None
        if as_json:
            self.stdout.write(_dumps(report.as_dict(limit=len(report.errors) or 1)))
        else:
            self._print(console, report, commit)
        if not report.ok:
            sys.exit(1)

    def _actor(self, username: str, commit: bool):
        if not username:
            if commit:
                raise CommandError(
                    "导入须指定 --user(或设置 COUNTYBRIDGE_CLI_USER)/ --commit needs --user "
                    "(or COUNTYBRIDGE_CLI_USER): the audit row names the account",
                    returncode=2,
                )
            return CommandLineActor()
        account = (
            User.objects.filter(username=username, is_active=True)
            .select_related("region", "organisation")
            .first()
        )
        if account is None:
            raise CommandError(f"用户不存在或已停用 / No active user {username}", returncode=2)
        return account

    def _print(self, console: Console, report, commit: bool) -> None:
        for warning in report.warnings:
            console.print(f"[dim]{warning['message_zh']} / {warning['message_en']}[/dim]")
        if report.errors:
            table = Table(title=f"{len(report.errors)} 处问题 / problems — 未导入 / nothing imported")
            for name, justify in (
                ("行 Row", "right"),
                ("列 Column", "left"),
                ("值 Value", "left"),
                ("原因", "left"),
                ("Reason", "left"),
            ):
                table.add_column(name, justify=justify, overflow="fold")
            for e in report.errors:
                table.add_row(str(e.row), e.column, e.value, e.message_zh, e.message_en)
            console.print(table)
            return
        if report.already_committed:
            console.print(
                f"该文件已于此前导入(批次 {report.batch.pk}),未重复写入 / Already imported as batch "
                f"{report.batch.pk}; nothing written again"
            )
        elif report.committed:
            console.print(
                f"[green]已导入 {report.created} 行 / {report.created} rows imported[/green] "
                f"(batch {report.batch.pk})"
            )
        else:
            console.print(
                f"[green]检查通过:{report.rows} 行 / Check passed: {report.rows} rows[/green]"
                + ("" if commit else " — 加 --commit 导入 / add --commit to import")
            )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
