"""Registry import endpoint: POST a CSV or .xlsx file; a dry run by default, `?commit=true` to import.

Answers: 200 with the check result (row errors included) for a dry run; 201 when the rows were imported;
200 with `already_committed` when this caller had imported the same file before (a retry writes nothing);
422 `import_rejected` with the row errors as details when a commit was refused (nothing written);
400 `unreadable_file` for a file that is not a readable table; 413 `file_too_large` above the size
limit; 403 for roles that may not import (and for registries the role may not import).
"""

from __future__ import annotations

from ninja import File, Router, Schema, Status, UploadedFile

from ..imports import services as imports
from ..imports.readers import MAX_FILE_BYTES, ImportFileError
from .errors import ApiError
from .registry import registry_user

router = Router(tags=["imports"])


class RowErrorOut(Schema):
    row: int
    column: str
    field: str
    value: str
    code: str
    message_zh: str
    message_en: str


class NoticeOut(Schema):
    code: str
    message_zh: str
    message_en: str


class ImportReportOut(Schema):
    batch_id: str | None
    registry: str
    ok: bool
    rows: int
    created: int
    committed: bool
    already_committed: bool
    file_format: str
    encoding: str | None
    error_count: int
    errors: list[RowErrorOut]
    errors_truncated: bool
    warnings: list[NoticeOut]


@router.post(
    "/imports/{registry}",
    response={200: ImportReportOut, 201: ImportReportOut},
    summary="Check (default) or import (?commit=true) a registry file: organisations, people, pairings",
)
def import_registry(request, registry: str, file: File[UploadedFile], commit: bool = False):
    user = registry_user(request)
    imports.spec_for(registry).check_role(user)
    if file.size > MAX_FILE_BYTES:
        raise ApiError(
            413,
            "file_too_large",
            f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限",
            f"The file exceeds the {MAX_FILE_BYTES // (1024 * 1024)} MB limit",
        )
    try:
        report = imports.import_file(
            actor=user,
            registry=registry,
            content=file.read(),
            filename=file.name or "",
            commit=commit,
            request=request,
        )
    except ImportFileError as exc:
        raise ApiError(
            400,
            "unreadable_file",
            exc.message_zh,
            exc.message_en,
            [
                {
                    "field": "file",
                    "in": "form",
                    "code": exc.code,
                    "message_zh": exc.message_zh,
                    "message_en": exc.message_en,
                }
            ],
        ) from None
    body = report.as_dict()
    if commit and not report.ok:
        raise ApiError(
            422,
            "import_rejected",
            "文件有错误,未导入任何数据",
            "The file has errors; nothing was imported",
            body["errors"],
        )
    if report.committed and not report.already_committed:
        return Status(201, body)
    return Status(200, body)
