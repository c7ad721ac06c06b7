"""Donation campaigns, included at the site root: the officers' pages under /can-bo/quyen-gop/
and the public pages under /quyen-gop/."""

from django.urls import path

from welfare import views_campaigns as views
from welfare import views_history as history

app_name = "campaigns"
urlpatterns = [
    path("can-bo/quyen-gop/", views.campaign_list, name="list"),
    path("can-bo/quyen-gop/them/", views.campaign_create, name="create"),
    path("can-bo/quyen-gop/<int:pk>/", views.campaign_detail, name="detail"),
    path("can-bo/quyen-gop/<int:pk>/sua/", views.campaign_edit, name="edit"),
    path("can-bo/quyen-gop/<int:pk>/lich-su/", history.campaign_history, name="history"),
    path(
        "can-bo/quyen-gop/<int:pk>/dong-gop/",
        views.contribution_add,
        {"direction": "in"},
        name="add-in",
    ),
    path(
        "can-bo/quyen-gop/<int:pk>/chi/",
        views.contribution_add,
        {"direction": "out"},
        name="add-out",
    ),
    path("quyen-gop/", views.public_list, name="public-list"),
    path("quyen-gop/<slug:slug>/", views.public_detail, name="public"),
]
