from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def age_today(person):
    """Age in whole years today (members and their children)."""
    return person.age_on(timezone.localdate())
