"""The benchmark's baseline: the cheapest page the portal's stack can serve."""

from django.http import HttpResponse

BASELINE_BODY = (
    b"<!doctype html><html lang=vi><meta charset=utf-8><title>OK</title><p>OK</p></html>"
)


def baseline(request):
    """A constant response: it passes through every middleware and touches no database."""
    return HttpResponse(BASELINE_BODY, content_type="text/html; charset=utf-8")
