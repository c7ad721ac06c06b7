from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from news.models import Category
from portal import roles
from portal.models import SiteSettings

# Main navigation: (label, URL name). An entry shows once its page exists.
NAVIGATION = [
    (_("Home"), "home"),
    (_("News"), "news:list"),
    (_("Search"), "news:search"),
]


def _navigation(request):
    entries = []
    for label, name in NAVIGATION:
        try:
            entries.append((label, reverse(name)))
        except NoReverseMatch:
            continue
    # The categories an editor chose for the navigation go between "News" and "Search".
    entries[-1:-1] = Category.navigation()
    items = []
    for label, url in entries:
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    # "News" is not also active inside a category that has its own entry.
    if sum(item["active"] for item in items) > 1:
        for item in items:
            if item["url"] == reverse("news:list"):
                item["active"] = False
    return items


def portal(request):
    user = getattr(request, "user", None)
    return {
        "site_info": SiteSettings.get_solo(),
        "main_navigation": _navigation(request),
        "user_areas": roles.areas_for(user) if user is not None else [],
    }
