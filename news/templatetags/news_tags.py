"""Template filters of the news pages."""

from django import template

from news import search

register = template.Library()


@register.filter
def highlight(text, query):
    """Mark the words of ``text`` that match the search ``query`` (accents and case ignored)."""
    return search.highlight(text, query)
