"""The member area, account activation from an invitation, and the officers' invitation buttons.

Included at the site root, so the paths are written in full.
"""

from django.urls import path

from unions import views_member as views

app_name = "members"

urlpatterns = [
    path("doan-vien/", views.home, name="home"),
    path("doan-vien/lien-he/", views.contact, name="contact"),
    path("doan-vien/du-lieu-cua-toi/", views.my_data, name="my-data"),
    path("tai-khoan/kich-hoat/<uidb64>/<token>/", views.activate, name="activate"),
    path("can-bo/doan-vien/<int:pk>/moi/", views.invite_member_view, name="invite-member"),
    path("can-bo/cong-doan/<int:pk>/moi/", views.invite_branch_view, name="invite-branch"),
]
