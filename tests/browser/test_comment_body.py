"""A list written in a comment reads as a list, not as replies: the thread's
line and ticks belong to the replies only."""

import pytest

from tests.comments.make import comment
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_numbered_list_in_a_comment_has_numbers_and_no_thread_line(page, live_server):
    article = ArticleFactory()
    first = comment(article.discussion, body="What helped:\n\n1. Sleep\n2. Friends")
    comment(article.discussion, parent=first, body="Same here.")
    page.goto(live_server.url + article.get_absolute_url())
    written = page.locator(".comment-body ol").first
    assert written.evaluate("el => getComputedStyle(el).listStyleType") == "decimal"
    assert written.evaluate("el => getComputedStyle(el).borderLeftWidth") == "0px"
    tick = "el => getComputedStyle(el, '::before').content"
    assert written.locator("li").first.evaluate(tick) == "none"
    replies = page.locator("details.replies > ol").first
    assert replies.evaluate("el => getComputedStyle(el).borderLeftWidth") == "2px"
    assert replies.locator("> li").first.evaluate(tick) == '""'
