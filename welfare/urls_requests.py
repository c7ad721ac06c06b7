"""Support requests: the member's pages under /doan-vien/ and the officers' under /can-bo/.

Included at the site root, so the paths are written in full.
"""

from django.urls import path

from welfare import views_requests as views

app_name = "requests"

urlpatterns = [
    path("doan-vien/de-nghi-ho-tro/", views.mine, name="mine"),
    path("doan-vien/de-nghi-ho-tro/moi/", views.new, name="new"),
    path("doan-vien/de-nghi-ho-tro/<int:pk>/", views.mine_detail, name="mine-detail"),
    path("doan-vien/de-nghi-ho-tro/<int:pk>/rut/", views.withdraw, name="withdraw"),
    path("doan-vien/de-nghi-ho-tro/tep/<int:pk>/", views.attachment, name="attachment"),
    path("can-bo/de-nghi/", views.queue, name="queue"),
    path("can-bo/de-nghi/<int:pk>/", views.review, name="review"),
    path("can-bo/de-nghi/<int:pk>/xem-xet/", views.start_review, name="start-review"),
    path("can-bo/de-nghi/<int:pk>/duyet/", views.approve, name="approve"),
    path("can-bo/de-nghi/<int:pk>/tu-choi/", views.reject, name="reject"),
]
