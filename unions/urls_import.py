"""Officers' import pages, mounted at /can-bo/nhap-du-lieu/."""

from django.urls import path

from unions import views_import as views

app_name = "unions-import"
urlpatterns = [
    path("", views.start, name="start"),
    path("mau/<str:kind>.xlsx", views.template, name="template"),
    path("xong/", views.done, name="done"),
    path("<slug:token>/", views.preview, name="preview"),
    path("<slug:token>/xac-nhan/", views.confirm, name="confirm"),
    path("<slug:token>/huy/", views.cancel, name="cancel"),
    path("<slug:token>/loi.csv", views.errors_csv, name="errors"),
]
