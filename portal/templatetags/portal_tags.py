"""Template filters shared by every app: money in đồng."""

from django import template

register = template.Library()


def format_vnd(amount):
    """Format a whole number of đồng the Vietnamese way: ``144000000`` → ``144.000.000 ₫``."""
    if amount is None or amount == "":
        return ""
    value = int(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + "\u00a0₫"


@register.filter
def vnd(amount):
    return format_vnd(amount)


def person_name(user):
    """A person's name in Vietnamese order (family and middle names, then the given name)."""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()


@register.filter
def display_name(user):
    return person_name(user)
