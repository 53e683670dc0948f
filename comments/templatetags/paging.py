"""Numbered page links for any list in pages: the article lists' paginator and a
discussion's pages alike."""

from django import template

register = template.Library()


@register.filter
def page_numbers(page, around=2):
    """The numbers to link around the current page: the first and last, the
    current one and `around` either side of it, None where numbers are left out
    (shown as an ellipsis). Takes a Django Page or anything with `number` and
    `num_pages`."""
    number = page.number
    total = page.num_pages if hasattr(page, "num_pages") else page.paginator.num_pages
    shown = sorted({1, total, *range(number - around, number + around + 1)})
    out, last = [], 0
    for each in shown:
        if not 1 <= each <= total:
            continue
        if each > last + 1:
            out.append(None)
        out.append(each)
        last = each
    return out
