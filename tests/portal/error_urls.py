"""The portal's URLs plus two views that fail, to test the 403 and 500 pages."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from portal.urls import handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("test failure")


urlpatterns = [path("cam/", forbidden), path("loi/", broken), *portal_urlpatterns]
