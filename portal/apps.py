from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using=None, apps=None, **kwargs):
    from django.apps import apps as global_apps

    from portal.roles import sync_role_groups

    # post_migrate is sent once per installed app, after that app's permissions are created: the
    # groups need every app's permissions, so they are synced once, after the last app.
    last = [config for config in global_apps.get_app_configs() if config.models_module][-1]
    if sender.label != last.label:
        return

    # A test database flush sends post_migrate without the migration state's apps.
    sync_role_groups(apps) if apps is not None else sync_role_groups()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Permissions of models added by later migrations exist only after post_migrate has run
        # create_permissions, so the role groups are brought up to date again after each migrate.
        post_migrate.connect(_sync_roles, dispatch_uid="portal.sync_role_groups")
        # Signal receivers (idle time-out chosen at sign-in).
        from portal import security, two_factor  # noqa: F401
