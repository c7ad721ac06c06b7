"""Officers' pages under /can-bo/."""

from django.urls import path

from unions import views

app_name = "unions"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cong-doan/", views.branch_list, name="branch-list"),
    path("cong-doan/<int:pk>/", views.branch_detail, name="branch-detail"),
    path("doan-vien/", views.member_list, name="member-list"),
    path("doan-vien/them/", views.member_create, name="member-create"),
    path("doan-vien/<int:pk>/", views.member_detail, name="member-detail"),
    path("doan-vien/<int:pk>/sua/", views.member_edit, name="member-edit"),
    path("doan-vien/<int:pk>/chuyen/", views.member_transfer, name="member-transfer"),
    path("doan-vien/<int:pk>/trang-thai/", views.member_status, name="member-status"),
]
