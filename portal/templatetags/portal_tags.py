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
