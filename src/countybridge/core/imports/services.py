"""Import use cases: dry run (validate, write nothing but the batch record) and all-or-nothing commit.

The commit re-validates the file inside its transaction and writes every row through the registry's
service with one "import" audit row; if any row fails, the transaction rolls back and nothing is written.
A committed batch is unique per registry and content hash, so retrying a commit never duplicates rows.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from .. import access, audit, crypto
from ..models import AuditEvent, ImportBatch, Role, User
from ..services.errors import ServiceValidationError
from .base import ImportContext, RegistrySpec
from .columns import ParsedRow, RowError, map_headers, parse_rows
from .organisations import OrganisationSpec
from .pairings import PairingSpec
from .people import PersonSpec
from .readers import ImportFileError, Table, read_table
from .regions import RegionSpec

SPECS: dict[str, RegistrySpec] = {
    s.key: s for s in (OrganisationSpec(), PersonSpec(), PairingSpec(), RegionSpec())
}
BATCH_TTL = dt.timedelta(hours=24)  # a checked file waits this long for its commit, then its copy is wiped
MAX_STORED_ERRORS = 1000


def spec_for(registry: str) -> RegistrySpec:
    spec = SPECS.get(registry)
    if spec is None:
        raise Http404("no such registry")
    return spec


def specs_for(user) -> list[RegistrySpec]:
    """The registries this user may import into."""
    allowed = []
    for spec in SPECS.values():
        try:
            spec.check_role(user)
        except PermissionDenied:
            continue
        allowed.append(spec)
    return allowed


@dataclass
class ImportReport:
    registry: str
    batch: ImportBatch | None
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    created: int = 0
    committed: bool = False
    already_committed: bool = False
    file_format: str = ""
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self, limit: int = MAX_STORED_ERRORS) -> dict[str, Any]:
        return {
            "batch_id": str(self.batch.pk) if self.batch else None,
            "registry": self.registry,
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "committed": self.committed,
            "already_committed": self.already_committed,
            "file_format": self.file_format,
            "encoding": self.encoding,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:limit]],
            "errors_truncated": len(self.errors) > limit,
            "warnings": self.warnings,
        }


def validate_table(
    spec: RegistrySpec, table: Table, ctx: ImportContext
) -> tuple[list[ParsedRow], list[RowError], list[dict[str, str]]]:
    """Headers, then typed cells, then the spec's checks; returns (rows, errors sorted by row, warnings)."""
    header_map = map_headers(spec.columns, table.headers, table.header_row)
    warnings = []
    if table.encoding:
        warnings.append(
            {
                "code": "encoding",
                "message_zh": f"文件编码:{table.encoding.upper()}",
                "message_en": f"File encoding: {table.encoding.upper()}",
            }
        )
    if header_map.ignored:
        names = "、".join(header_map.ignored[:20])
        warnings.append(
            {
                "code": "ignored_columns",
                "message_zh": f"以下列不属于{spec.title_zh}导入格式,已忽略:{names}",
                "message_en": f"These columns are not part of the {spec.title_en.lower()} format and were "
                f"ignored: {', '.join(header_map.ignored[:20])}",
            }
        )
    if not header_map.index:
        return (
            [],
            [
                RowError(
                    table.header_row,
                    "",
                    "",
                    "",
                    "未识别任何列名:请检查表头是否为模板中的列名,以及文件编码",
                    "No column name was recognised: check the header row against the template, and the "
                    "file's encoding",
                    "no_known_columns",
                )
            ],
            warnings,
        )
    if header_map.errors:
        return [], header_map.errors, warnings
    rows = parse_rows(spec.columns, header_map, table.rows)
    spec.prepare(rows, ctx)
    errors = sorted((e for r in rows for e in r.errors), key=lambda e: e.row)
    return rows, errors, warnings


def _encrypt_content(content: bytes) -> str:
    return crypto.encrypt(base64.b64encode(content).decode("ascii"))


def _decrypt_content(token: str) -> bytes:
    return base64.b64decode(crypto.decrypt(token))


def _actor_fields(actor) -> dict[str, Any]:
    return {
        "created_by": actor if isinstance(actor, User) else None,
        "actor_username": actor.get_username(),
        "region_id": actor.region_id if access.role_of(actor) == Role.COUNTY_OFFICER else None,
    }


def _report(batch: ImportBatch, **extra) -> ImportReport:
    errors = [
        RowError(**{k: e[k] for k in ("row", "column", "field", "value", "message_zh", "message_en", "code")})
        for e in batch.errors
    ]
    return ImportReport(
        registry=batch.registry,
        batch=batch,
        rows=batch.row_count,
        errors=errors,
        warnings=batch.warnings,
        created=batch.created_count,
        committed=batch.status == ImportBatch.Status.COMMITTED,
        **extra,
    )


def import_dry_run(*, actor, registry: str, content: bytes, filename: str = "", request=None) -> ImportReport:
    """Check a file and record the result as a batch; a clean file is kept (encrypted) for the commit.

    Raises PermissionDenied for a role that may not import this registry and ImportFileError for a file
    that cannot be read as a table."""
    spec = spec_for(registry)
    spec.check_role(actor)
    table = read_table(content, filename)
    ctx = ImportContext(actor=actor, request=request)
    rows, errors, warnings = validate_table(spec, table, ctx)
    status = ImportBatch.Status.INVALID if errors else ImportBatch.Status.VALID
    with transaction.atomic():
        # copies of files nobody committed in time are wiped: they may hold ID numbers
        ImportBatch.objects.filter(
            status=ImportBatch.Status.VALID, created_at__lt=timezone.now() - BATCH_TTL
        ).exclude(content_encrypted="").update(content_encrypted="")
        batch = ImportBatch.objects.create(
            registry=registry,
            filename=(filename or "")[:200],
            content_sha256=hashlib.sha256(content).hexdigest(),
            content_encrypted=_encrypt_content(content) if not errors else "",
            status=status,
            row_count=len(rows) if rows else len(table.rows),
            error_count=len(errors),
            errors=[e.as_dict() for e in errors[:MAX_STORED_ERRORS]],
            warnings=warnings,
            **_actor_fields(actor),
        )
    return ImportReport(
        registry=registry,
        batch=batch,
        rows=batch.row_count,
        errors=errors,
        warnings=warnings,
        file_format=table.file_format,
        encoding=table.encoding,
    )


class _RollBack(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("import rolled back")
        self.errors = errors


def import_commit(*, actor, batch: ImportBatch, request=None) -> ImportReport:
    """Write a checked batch, all rows or none. Committing a committed batch returns its result again."""
    spec = spec_for(batch.registry)
    spec.check_role(actor)
    if batch.actor_username != actor.get_username():
        raise PermissionDenied("only the user who checked a file may import it")
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status == ImportBatch.Status.COMMITTED:
                return _report(locked, already_committed=True)
            earlier = ImportBatch.objects.filter(
                registry=locked.registry,
                content_sha256=locked.content_sha256,
                status=ImportBatch.Status.COMMITTED,
            ).first()
            if earlier is not None:
                ImportBatch.objects.filter(pk=locked.pk).update(content_encrypted="")
                return _report(earlier, already_committed=True)
            if locked.status != ImportBatch.Status.VALID or not locked.content_encrypted:
                raise ImportFileError(
                    "batch_not_ready",
                    "该批次未通过检查或已过期,请重新上传文件",
                    "This batch did not pass its check or has expired; upload the file again",
                )
            if locked.created_at < timezone.now() - BATCH_TTL:
                raise ImportFileError(
                    "batch_expired",
                    "检查结果已超过24小时,请重新上传文件",
                    "The check is more than 24 hours old; upload the file again",
                )
            table = read_table(_decrypt_content(locked.content_encrypted), locked.filename)
            ctx = ImportContext(actor=actor, request=request)
            # checked again inside the transaction: the registry may have changed since the dry run
            rows, errors, _warnings = validate_table(spec, table, ctx)
            if errors:
                raise _RollBack(errors)
            for row in rows:
                _write_row(spec, row, ctx)
            audit.record(
                actor=actor,
                action=AuditEvent.Action.IMPORT,
                object_type="core.ImportBatch",
                object_id=str(locked.pk),
                object_repr=f"{spec.title_zh} {locked.filename}"[:200],
                region_code=locked.region.code if locked.region_id else "",
                request=request,
                details={
                    "registry": spec.key,
                    "rows": len(rows),
                    "created": len(rows),
                    "file": locked.filename,
                    "sha256": locked.content_sha256,
                },
            )
            locked.status = ImportBatch.Status.COMMITTED
            locked.created_count = len(rows)
            locked.committed_at = timezone.now()
            locked.content_encrypted = ""
            locked.save()
    except _RollBack as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.INVALID,
            content_encrypted="",
            error_count=len(exc.errors),
            errors=[e.as_dict() for e in exc.errors[:MAX_STORED_ERRORS]],
        )
        batch.refresh_from_db()
        return ImportReport(
            registry=batch.registry,
            batch=batch,
            rows=batch.row_count,
            errors=exc.errors,
            warnings=batch.warnings,
        )
    except IntegrityError:
        # a parallel commit of the same content won the unique constraint; this one wrote nothing
        earlier = ImportBatch.objects.filter(
            registry=batch.registry, content_sha256=batch.content_sha256, status=ImportBatch.Status.COMMITTED
        ).first()
        if earlier is None:
            raise
        return _report(earlier, already_committed=True)
    return _report(locked, file_format=table.file_format, encoding=table.encoding)


def _write_row(spec: RegistrySpec, row: ParsedRow, ctx: ImportContext) -> None:
    """One row through its service; a refusal names the row and rolls the whole import back."""
    try:
        with transaction.atomic():
            spec.write(row, ctx)
    except ServiceValidationError as exc:
        spec.add_problems(row, exc.problems)
        raise _RollBack(row.errors) from None
    except (PermissionDenied, ValueError) as exc:
        row.error(
            next(iter(row.headers), ""),
            "本行被拒绝写入,整个文件未导入",
            f"This row was refused ({exc}); nothing was imported",
            "refused",
        )
        raise _RollBack(row.errors) from None


def import_file(
    *, actor, registry: str, content: bytes, filename: str = "", commit: bool = False, request=None
) -> ImportReport:
    """Check, and with `commit` also import, in one call (API and command line).

    A retried commit of a file this actor already imported returns that batch instead of importing again."""
    spec = spec_for(registry)
    spec.check_role(actor)
    if commit:
        earlier = ImportBatch.objects.filter(
            registry=registry,
            content_sha256=hashlib.sha256(content).hexdigest(),
            status=ImportBatch.Status.COMMITTED,
            actor_username=actor.get_username(),
        ).first()
        if earlier is not None:
            return _report(earlier, already_committed=True)
    report = import_dry_run(
        actor=actor, registry=registry, content=content, filename=filename, request=request
    )
    if not commit or not report.ok:
        return report
    committed = import_commit(actor=actor, batch=report.batch, request=request)
    committed.warnings = report.warnings
    return committed
