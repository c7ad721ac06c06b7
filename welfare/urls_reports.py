"""The officers' review pages, mounted at /can-bo/bao-cao/."""

from django.urls import path

from welfare import views_reports as views

app_name = "reports"
urlpatterns = [
    path("", views.report, name="report"),
    path("ban-in/", views.print_review, name="print"),
]
