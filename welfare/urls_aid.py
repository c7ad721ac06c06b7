"""Officers' aid pages, mounted at /can-bo/ho-tro/."""

from django.urls import path

from welfare import views_aid as views
from welfare import views_history as history
from welfare import views_receipts as receipts

app_name = "aid"

urlpatterns = [
    path("", views.program_list, name="programs"),
    path("them/", views.program_create, name="program-create"),
    path("<int:pk>/", views.program_detail, name="program"),
    path("<int:pk>/sua/", views.program_edit, name="program-edit"),
    path("<int:pk>/ghi-nhan/", views.record_create, name="record-create"),
    path("<int:pk>/ghi-nhan-hang-loat/", views.bulk_create, name="bulk"),
    path("<int:pk>/ky-nhan/", views.signatures, name="signatures"),
    path("<int:pk>/lich-su/", history.program_history, name="program-history"),
    path("<int:pk>/ban-ghi/<int:record_pk>/", receipts.record_detail, name="record"),
    path(
        "<int:pk>/ban-ghi/<int:record_pk>/chung-tu/", receipts.receipt_upload, name="receipt-upload"
    ),
    path("chung-tu/<int:receipt_pk>/", receipts.receipt_download, name="receipt"),
    path("<int:pk>/ban-ghi/<int:record_pk>/duyet/", views.record_approve, name="record-approve"),
    path("<int:pk>/ban-ghi/<int:record_pk>/da-chi/", views.record_pay, name="record-pay"),
    path("<int:pk>/ban-ghi/<int:record_pk>/huy/", views.record_cancel, name="record-cancel"),
    path("<int:pk>/ban-ghi/<int:record_pk>/xoa/", views.record_delete, name="record-delete"),
]
