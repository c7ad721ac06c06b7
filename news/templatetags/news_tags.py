"""Template filters of the news pages."""

from django import template

from news import fragments, search

register = template.Library()


@register.filter
def highlight(text, query):
    """Mark the words of ``text`` that match the search ``query`` (accents and case ignored)."""
    return search.highlight(text, query)


@register.simple_tag
def post_cards(posts, **options):
    """The cards of ``posts``, as a ``{% for %}`` of ``news/includes/post_card.html`` includes
    with these options would render them; cached (news/fragments.py)."""
    return fragments.post_cards(posts, **options)
