"""Officers' import pages under /can-bo/nhap-du-lieu/: upload, preview every error, confirm.

1. The officer chooses what to import (members; branches too for a ministry-level officer) and
   uploads a .csv or .xlsx file. It waits in the private storage under ``imports/<random>``
   (never a public URL), named only in the officer's session.
2. The preview runs the import as a dry run: counts and every row error, nothing written.
3. The confirmation runs it again for real, in one transaction, then deletes the file.

Members are imported within the officer's scope (``allowed_branch_ids``); anything outside it is
a row error, never a silent write.
"""

import secrets
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.files.storage import storages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from unions import imports
from unions.models import Branch
from unions.scope import is_ministry_officer
from unions.views import officer_required

MAX_UPLOAD_SIZE = 10 * 1024 * 1024
SESSION_KEY = "unions_import"
DONE_KEY = "unions_import_done"
STALE_AFTER = timedelta(days=1)
PREVIEW_ERRORS = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KINDS = {
    "members": (gettext_lazy("Union members"), imports.import_members),
    "branches": (gettext_lazy("Union branches"), imports.import_branches),
}
TEMPLATE_NAMES = {"members": "mau-nhap-doan-vien.xlsx", "branches": "mau-nhap-cong-doan.xlsx"}


def kinds_for(user):
    """What this officer may import: members; branches only at ministry level."""
    allowed = ["members"]
    if is_ministry_officer(user):
        allowed.append("branches")
    return allowed


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "A .csv file (UTF-8) or an .xlsx workbook with a header row, at most 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KINDS[kind][0]) for kind in kinds]
        self.fields["kind"].initial = kinds[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not imports.file_type(upload.name):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_SIZE:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


def _storage():
    return storages["private"]


def _forget(request):
    """Delete the officer's waiting file, if any, and its place in the session."""
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _storage().delete(pending["path"])


def _purge_stale():
    """Files left by imports started and never confirmed nor cancelled, older than a day."""
    storage = _storage()
    try:
        _dirs, files = storage.listdir("imports")
    except (OSError, NotImplementedError):
        return
    limit = timezone.now() - STALE_AFTER
    for name in files:
        path = f"imports/{name}"
        try:
            if storage.get_modified_time(path) < limit:
                storage.delete(path)
        except (OSError, NotImplementedError):
            continue


def _pending(request, token):
    pending = request.session.get(SESSION_KEY)
    if not pending or not secrets.compare_digest(pending["token"], token):
        raise Http404
    if pending["kind"] not in kinds_for(request.user):
        raise Http404
    return pending


def _run(request, pending, *, dry_run):
    importer = KINDS[pending["kind"]][1]
    allowed = set(Branch.objects.visible_to(request.user).values_list("pk", flat=True))
    try:
        handle = _storage().open(pending["path"], "rb")
    except FileNotFoundError:
        request.session.pop(SESSION_KEY, None)
        raise Http404 from None
    with handle:
        return importer(
            handle,
            filename=pending["filename"],
            dry_run=dry_run,
            user=request.user,
            allowed_branch_ids=allowed,
        )


def _preview(request, pending, result):
    context = {
        "pending": pending,
        "kind_label": KINDS[pending["kind"]][0],
        "result": result,
        "errors": result.errors[:PREVIEW_ERRORS],
        "hidden_errors": max(0, len(result.errors) - PREVIEW_ERRORS),
        "changes": result.created + result.updated,
    }
    return render(request, "unions/import_preview.html", context)


@officer_required
def start(request):
    kinds = kinds_for(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        _forget(request)
        _purge_stale()
        upload = form.cleaned_data["file"]
        token = secrets.token_urlsafe(18)
        path = _storage().save(f"imports/{token}{imports.file_type(upload.name)}", upload)
        request.session[SESSION_KEY] = {
            "token": token,
            "path": path,
            "kind": form.cleaned_data["kind"],
            "filename": upload.name[-200:],
        }
        return redirect("unions-import:preview", token=token)
    context = {
        "form": form,
        "templates": [(kind, KINDS[kind][0]) for kind in kinds],
    }
    return render(request, "unions/import_form.html", context)


@officer_required
def preview(request, token):
    pending = _pending(request, token)
    return _preview(request, pending, _run(request, pending, dry_run=True))


@officer_required
@require_POST
def confirm(request, token):
    pending = _pending(request, token)
    result = _run(request, pending, dry_run=False)
    if not result.written:
        messages.error(request, _("The file has errors: nothing was imported."))
        return _preview(request, pending, result)
    _forget(request)
    request.session[DONE_KEY] = {
        "kind": pending["kind"],
        "filename": pending["filename"],
        "total_rows": result.total_rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    return redirect("unions-import:done")


@officer_required
@require_POST
def cancel(request, token):
    _pending(request, token)
    _forget(request)
    messages.info(request, _("The import was cancelled: nothing was written."))
    return redirect("unions-import:start")


@officer_required
def done(request):
    summary = request.session.get(DONE_KEY)
    if not summary or summary["kind"] not in kinds_for(request.user):
        return redirect("unions-import:start")
    context = {"summary": summary, "kind_label": KINDS[summary["kind"]][0]}
    return render(request, "unions/import_done.html", context)


@officer_required
def errors_csv(request, token):
    """Every error of the waiting file, as CSV (the preview shows the first thousand)."""
    pending = _pending(request, token)
    result = _run(request, pending, dry_run=True)
    response = StreamingHttpResponse(
        imports.iter_errors_csv(result), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="loi-nhap-du-lieu.csv"'
    return response


@officer_required
def template(request, kind):
    if kind not in kinds_for(request.user):
        raise Http404
    response = HttpResponse(imports.template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAMES[kind]}"'
    return response
