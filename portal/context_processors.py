from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from portal import roles
from portal.models import SiteSettings

# Main navigation: (label, URL name). An entry shows once its page exists.
NAVIGATION = [
    (_("Home"), "home"),
    (_("News"), "news:list"),
    (_("Search"), "news:search"),
]


def _navigation(request):
    items = []
    for label, name in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return items


def portal(request):
    user = getattr(request, "user", None)
    return {
        "site_info": SiteSettings.get_solo(),
        "main_navigation": _navigation(request),
        "user_areas": roles.areas_for(user) if user is not None else [],
    }
