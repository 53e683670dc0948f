from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.search import MARK_END, MARK_START

register = template.Library()


@register.filter
def highlight(snippet):
    """A search snippet as HTML: everything escaped, matched words in <mark>."""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped on the line above


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with another page number, keeping the other parameters."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
