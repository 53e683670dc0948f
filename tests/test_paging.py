"""Numbered page links: the first and last pages, two either side of the current
one, an ellipsis for the rest; the current page named "Page N of M"."""

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from comments.rendering import ThreadPage
from comments.templatetags.paging import page_numbers


def numbers(number, total):
    return page_numbers(
        ThreadPage(number=number, num_pages=total, order="oldest", html="")
    )


def test_the_numbers_around_the_current_page_with_gaps():
    assert numbers(1, 1) == [1]
    assert numbers(1, 5) == [1, 2, 3, None, 5]
    assert numbers(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert numbers(20, 20) == [1, None, 18, 19, 20]
    assert numbers(4, 7) == [1, 2, 3, 4, 5, 6, 7]  # no gap of one number


def test_a_list_links_each_shown_page_and_marks_the_current_one():
    page = Paginator(range(200), 10).page(10)
    request = RequestFactory().get("/news/", {"page": 10, "q": "trial"})
    html = render_to_string(
        "includes/_pagination.html", {"page_obj": page, "request": request}
    )
    linked = re.findall(r'<a href="\?page=(\d+)&amp;q=trial"', html)
    assert linked == ["9", "1", "8", "9", "11", "12", "20", "11"]  # prev, pages, next
    current = re.search(r'<li aria-current="page">([^<]*)</li>', html)
    assert current.group(1) == "Page 10 of 20"
    assert html.count("…") == 2
    assert '<span class="visually-hidden">Page </span>12</a>' in html


def test_a_discussion_links_its_pages_in_its_order():
    html = render_to_string(
        "comments/_pages.html",
        {
            "thread_page": ThreadPage(number=2, num_pages=9, order="newest", html=""),
            "label": "Pages of comments, top",
        },
    )
    assert re.findall(r'href="\?page=(\d+)&amp;order=newest#comments"', html) == [
        "1",
        "1",
        "3",
        "4",
        "9",
        "3",
    ]
    assert "Page 2 of 9" in html
