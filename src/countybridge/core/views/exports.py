"""Registry exports (CSV with BOM or .xlsx) from the list pages; the filters are the list's own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse

from .. import exports
from ..services.errors import ServiceValidationError


def _respond(request, build):
    try:
        export = build()
    except ServiceValidationError as exc:
        problem = exc.problems[0]
        return HttpResponse(
            f"{problem.message_zh} / {problem.message_en}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"  # registry extracts must not linger in shared caches
    response["X-Export-Rows"] = str(export.count)
    return response


@login_required
def organisation_export(request):
    params = request.GET
    return _respond(
        request,
        lambda: exports.export_organisations(
            user=request.user,
            fmt=params.get("format", "csv"),
            kind=params.get("kind") or None,
            region_code=params.get("region") or None,
            q=params.get("q") or None,
            request=request,
        ),
    )


@login_required
def person_export(request):
    params = request.GET
    return _respond(
        request,
        lambda: exports.export_people(
            user=request.user,
            fmt=params.get("format", "csv"),
            region_code=params.get("region") or None,
            q=params.get("q") or None,
            request=request,
        ),
    )
