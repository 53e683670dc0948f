"""New marks and mutes in chromium: axe-core finds nothing, every target is at
least 44 by 44 px, and the keyboard (or a click, without JavaScript) does it all."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Mute
from comments.models import Visit
from tests.browser.test_comments import sign_in
from tests.browser.test_every_page import check
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory
from tests.forums import make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene():
    """Rosa read the article two hours ago; since then Ana wrote twice and Vic,
    whom Rosa muted, once."""
    now = timezone.now()
    article = ArticleFactory(
        title="Eating well when swallowing gets harder",
        published_at=now - timedelta(days=10),
    )
    rosa, ana, vic = (UserFactory(display_name=name) for name in ("Rosa", "Ana", "Vic"))
    old = comment(
        article.discussion, author=ana, body="Old advice", created_at=now - timedelta(1)
    )
    Visit.objects.record(rosa, article.discussion, now=now - timedelta(hours=3))
    Visit.objects.record(rosa, article.discussion, now=now - timedelta(hours=2))
    first = comment(
        parent=old, author=ana, body="Thickened water helped", created_at=now
    )
    loud = comment(article.discussion, author=vic, body="Loud words", created_at=now)
    last = comment(article.discussion, author=ana, body="Try soups", created_at=now)
    Mute.objects.create(muter=rosa, muted=vic)
    return article, rosa, {"old": old, "first": first, "loud": loud, "last": last}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_marks_and_a_folded_post_are_accessible(page, live_server, scene, scheme):
    article, rosa, said = scene
    page.emulate_media(color_scheme=scheme)
    sign_in(page, live_server, rosa)
    check(page, live_server.url + article.get_absolute_url(), article.title)
    first = page.locator(f"#comment-{said['first'].pk}")
    expect(first.get_by_text("New", exact=True)).to_be_visible()
    expect(page.get_by_text("Loud words")).to_be_hidden()


def test_the_keyboard_goes_from_new_comment_to_new_comment(page, live_server, scene):
    article, rosa, said = scene
    sign_in(page, live_server, rosa)
    page.goto(live_server.url + article.get_absolute_url())
    # Vic's post is folded away for Rosa: no "Next new comment" leads to it.
    expect(page.get_by_text("2 new comments on this page since your last visit."))
    top = page.locator("#new-comments").get_by_role("link", name="Next new comment")
    top.focus()
    expect(top).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#comment-{said['first'].pk}$"))
    following = page.locator(f"#comment-{said['first'].pk} > article")
    onward = following.get_by_role("link", name="Next new comment")
    onward.focus()
    expect(onward).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#comment-{said['last'].pk}$"))
    # The muted member's post opens from its summary, by keyboard too.
    summary = page.get_by_text("Post by a muted member")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Loud words")).to_be_visible()


def test_a_member_mutes_from_a_comment_without_javascript(browser, live_server, scene):
    article, rosa, said = scene
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, rosa)
    page.goto(live_server.url + article.get_absolute_url())
    card = page.locator(f"#comment-{said['last'].pk}")
    card.get_by_role("button", name="Mute the author of this comment").click()
    expect(page.get_by_text("You muted Ana")).to_be_visible()
    assert page.url.endswith(f"#comment-{said['last'].pk}")
    expect(page.get_by_text("Try soups")).to_be_hidden()
    context.close()


def test_profile_settings_and_forum_list_are_accessible(page, live_server, scene):
    _article, rosa, said = scene
    vic = said["loud"].author
    sign_in(page, live_server, rosa)
    check(page, live_server.url + vic.get_absolute_url(), "Vic")
    expect(page.get_by_role("button", name="Unmute Vic")).to_be_visible()
    check(page, live_server.url + reverse("accounts:settings"), "Account settings")
    expect(page.get_by_role("link", name="Vic")).to_be_visible()
    make.publish_first_posts()
    topic = make.topic(title="Night-time breathing")
    page.goto(live_server.url + topic.get_absolute_url())
    make.reply(topic)
    check(
        page, live_server.url + topic.category.get_absolute_url(), topic.category.name
    )
    expect(page.get_by_text("1 new reply")).to_be_visible()
