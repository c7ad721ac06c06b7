"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from portal.env import exit_on_config_error

exit_on_config_error()
application = get_asgi_application()
