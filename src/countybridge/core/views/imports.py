"""Import pages: upload a file and see its dry run, then import a clean batch with one button.

Registry roles only (auditors and public users get 403); each registry further limits who may import it.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import access
from ..exports import template_csv
from ..imports import selectors as batches
from ..imports import services as imports
from ..imports.readers import MAX_FILE_BYTES, ImportFileError


class UploadForm(forms.Form):
    registry = forms.ChoiceField(label=gettext_lazy("Registry"))
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"))

    def __init__(self, *args, specs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registry"].choices = [(s.key, f"{s.title_zh} {s.title_en}") for s in specs]


def _importer(request) -> list:
    """The registries this user may import into; none at all is a 403."""
    access.require_registry_access(request.user)
    specs = imports.specs_for(request.user)
    if not specs:
        raise PermissionDenied("no registry this role may import")
    return specs


def _page(request, specs, form, status: int = 200, **context):
    return render(
        request,
        "core/import_start.html",
        {
            "form": form,
            "specs": specs,
            "recent": batches.batch_list(user=request.user),
            **context,
        },
        status=status,
    )


@login_required
def import_start(request):
    specs = _importer(request)
    if request.method != "POST":
        return _page(request, specs, UploadForm(specs=specs))
    form = UploadForm(request.POST, request.FILES, specs=specs)
    if not form.is_valid():
        return _page(
            request,
            specs,
            form,
            status=400,
            file_error={
                "message_zh": "请选择登记簿并上传 .csv 或 .xlsx 文件",
                "message_en": "Choose a registry and a .csv or .xlsx file",
            },
        )
    upload = form.cleaned_data["file"]
    if upload.size > MAX_FILE_BYTES:
        error = {
            "message_zh": f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限",
            "message_en": f"The file exceeds the {MAX_FILE_BYTES // (1024 * 1024)} MB limit",
        }
        return _page(request, specs, form, status=400, file_error=error)
    try:
        report = imports.import_dry_run(
            actor=request.user,
            registry=form.cleaned_data["registry"],
            content=upload.read(),
            filename=upload.name,
            request=request,
        )
    except ImportFileError as exc:
        return _page(
            request,
            specs,
            form,
            status=400,
            file_error={"message_zh": exc.message_zh, "message_en": exc.message_en},
        )
    return _page(
        request,
        specs,
        UploadForm(specs=specs, initial={"registry": report.registry}),
        report=report,
        spec=imports.spec_for(report.registry),
    )


@login_required
@require_POST
def import_commit(request, pk):
    specs = _importer(request)
    batch = batches.batch_get(user=request.user, pk=pk)
    try:
        report = imports.import_commit(actor=request.user, batch=batch, request=request)
    except ImportFileError as exc:
        return _page(
            request,
            specs,
            UploadForm(specs=specs),
            status=409,
            file_error={"message_zh": exc.message_zh, "message_en": exc.message_en},
        )
    return render(
        request, "core/import_result.html", {"report": report, "spec": imports.spec_for(report.registry)}
    )


@login_required
def import_template(request, registry: str):
    """An empty CSV with the registry's header row (Chinese names, UTF-8 with BOM)."""
    _importer(request)
    spec = imports.spec_for(registry)
    spec.check_role(request.user)
    response = HttpResponse(
        template_csv([c.label_zh for c in spec.columns]), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{registry}-template.csv"'
    return response
