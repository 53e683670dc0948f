"""Comments say when they were written as people say it ("3 hours ago"), with the
exact time kept on hover and in <time>; without JavaScript the exact time shows.
Guests have initials beside their name, as members without a picture do."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment
from tests.comments.make import comment
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article():
    article = ArticleFactory(title="Tofersen one year on")
    written = comment(article.discussion, guest_name="Ana López", body="A year.")
    Comment.objects.filter(pk=written.pk).update(
        created_at=timezone.now() - timedelta(hours=3, minutes=10)
    )
    old = comment(article.discussion, guest_name="Bo", body="Long ago.")
    Comment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    return article


def times(page):
    return page.locator("ol.thread .comment-meta time")


def test_recent_comments_read_hours_ago_with_the_exact_time_on_hover(
    page, live_server, article
):
    page.goto(live_server.url + article.get_absolute_url())
    recent, old = times(page).nth(0), times(page).nth(1)
    expect(recent).to_have_text("3 hours ago")
    exact = recent.get_attribute("title")
    assert exact and exact[0].isdigit() and ":" in exact  # "4 December 2026, 13:40"
    # Older than a week: the date itself, which says more than "6 weeks ago".
    assert old.get_attribute("title") is None
    expect(old).not_to_have_text("ago")


def test_without_javascript_the_exact_time_shows(browser, live_server, article):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    recent = times(page).nth(0)
    assert recent.get_attribute("title") is None
    assert recent.inner_text()[0].isdigit()
    context.close()


def test_guests_have_their_initials_beside_their_name(page, live_server, article):
    page.goto(live_server.url + article.get_absolute_url())
    picture = page.locator("ol.thread .comment-meta img.avatar").first
    assert "/AL/" in picture.get_attribute("src")
    assert picture.get_attribute("alt") == ""  # the name beside it says who
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
