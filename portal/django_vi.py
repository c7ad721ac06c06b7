"""Messages of Django itself whose Vietnamese translation Django does not ship (or ships worded for
an older message). Marking them here puts them in ``locale/vi/LC_MESSAGES/django.po``; the portal's
catalogue comes first in ``LOCALE_PATHS``, so Django's own calls then find the translation.
This module is never imported: it exists for ``makemessages``.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_MESSAGES = [
    # django.contrib.auth.password_validation (the message changed in Django 5.x)
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    # django.contrib.auth.forms
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop("Email"),
    # django.contrib.admin (filters sidebar)
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Set password"),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they "
        "may still be able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
]
