from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles.search import MARK_END, MARK_START

register = template.Library()


@register.filter
def highlight(snippet):
    """A search snippet as HTML: everything escaped, matched words in <mark>."""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped on the line above


@register.simple_tag(takes_context=True)
def page_url(context, number, param="page", anchor=""):
    """The current URL with another page number, keeping the other parameters;
    `param` names the number where a page has more than one list."""
    query = context["request"].GET.copy()
    # A keyset cursor (the forums' after/before) belongs to one Next or
    # Previous link: a page number link goes without it.
    query.pop("after", None)
    query.pop("before", None)
    query[param or "page"] = number
    return "?" + query.urlencode() + (f"#{anchor}" if anchor else "")


@register.simple_tag
def picture(article, sizes, loading="lazy", css_class=""):
    """The article's lead image as a responsive <img>: the browser picks the copy
    for its width and density from srcset and sizes; width and height keep the
    space while it loads, so nothing below it moves."""
    variants = article.picture
    if not variants:
        return ""
    default = variants[min(1, len(variants) - 1)]
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"'
        ' loading="{}" decoding="async"{}>',
        default["url"],
        ", ".join(f"{v['url']} {v['width']}w" for v in variants),
        sizes,
        default["width"],
        default["height"],
        article.image_alt,
        loading,
        format_html(' class="{}"', css_class) if css_class else "",
    )
