from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """Categories, posts, images and the public news pages."""

    name = "news"
    verbose_name = _("News")

    def ready(self):
        # Registers the accent-folding SQL function on every new SQLite connection (the search
        # fallback of `make run`); PostgreSQL uses its own index and needs nothing here.
        from news import cache, search  # noqa: F401

        # Every change of what the public news pages show leaves their cached copies behind.
        cache.connect_signals()
