"""The portal's URLs with the benchmark's baseline in front of them."""

from django.urls import path

from benchmarks.views import baseline
from portal.urls import handler500
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("bench/baseline/", baseline, name="bench-baseline"), *portal_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
