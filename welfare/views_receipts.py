"""One aid record's page: its steps (who and when), its history, and its receipts (private files,
served only to officers whose scope holds the programme)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

import audit
from audit.models import AccessEvent
from portal.storage import private_file_response
from unions.views import officer_required
from welfare import services
from welfare.models import AidProgram, AidReceipt, AidRecord
from welfare.uploads import ACCEPT_ATTRIBUTE, check_upload


class ReceiptForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Receipt"),
        help_text=gettext_lazy("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


def _record(request, pk, record_pk):
    program = get_object_or_404(AidProgram.objects.visible_to(request.user), pk=pk)
    queryset = program.records.select_related(
        "member", "branch", "created_by", "approved_by", "paid_by", "cancelled_by"
    )
    record = get_object_or_404(queryset, pk=record_pk)
    record.program = program
    return record


@officer_required
def record_detail(request, pk, record_pk, form=None):
    record = _record(request, pk, record_pk)
    context = {
        "record": record,
        "program": record.program,
        "receipts": record.receipts.select_related("uploaded_by"),
        "form": form or ReceiptForm(),
        "history": record.history.select_related("history_user").order_by("-history_date"),
    }
    return render(request, "welfare/aid/record_detail.html", context)


@officer_required
@require_POST
def receipt_upload(request, pk, record_pk):
    record = _record(request, pk, record_pk)
    form = ReceiptForm(request.POST, request.FILES)
    if not form.is_valid():
        return record_detail(request, pk, record_pk, form=form)
    try:
        services.attach_receipt(record=record, checked=form.cleaned_data["file"], by=request.user)
    except ValidationError as exc:
        form.add_error("file", exc)
        return record_detail(request, pk, record_pk, form=form)
    messages.success(request, _("The receipt has been kept with the record."))
    return redirect("aid:record", pk=pk, record_pk=record_pk)


@officer_required
def receipt_download(request, receipt_pk):
    visible = AidReceipt.objects.filter(
        record__in=AidRecord.objects.filter(program__in=AidProgram.objects.visible_to(request.user))
    )
    receipt = get_object_or_404(visible.select_related("record__program"), pk=receipt_pk)
    audit.record(
        request,
        AccessEvent.Action.DOWNLOAD_RECEIPT,
        f"{receipt.original_name} — {receipt.record.program.code}",
    )
    response = private_file_response(
        receipt.file, filename=receipt.original_name, content_type=receipt.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
