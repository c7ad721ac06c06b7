from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """Categories, posts, images and the public news pages."""

    name = "news"
    verbose_name = _("News")
