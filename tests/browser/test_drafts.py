"""Drafts in the browser: typed text is saved while typing and comes back."""

import re
import threading
import time
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, Draft, ModerationSettings
from tests.conftest import NOT_TARGETS, assert_accessible, small_targets
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "My father started on the trial drug in May and"


@pytest.fixture(autouse=True)
def no_first_comment_hold():
    ModerationSettings.objects.create(hold_first_comments=False)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )


def comment_box(page):
    return page.get_by_role("textbox", name="Comment", exact=True)


def test_typing_is_saved_and_a_reload_restores_it(page, live_server):
    article = ArticleFactory(title="Tofersen one year on")
    member = UserFactory(display_name="Sam Idowu")
    sign_in(page, live_server, member)
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    comment_box(page).press_sequentially(TEXT[:20])
    comment_box(page).press_sequentially(TEXT[20:])
    status = page.locator("#comments [data-draft-status]")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("Draft saved")
    assert Draft.objects.get(author=member).body == TEXT

    page.reload()
    expect(comment_box(page)).to_have_value(TEXT)
    expect(page.get_by_text("Your unsent draft from")).to_be_visible()
    discard = page.get_by_role("button", name="Discard draft")
    expect(discard).to_be_visible()
    assert_accessible(page)
    small = small_targets(page, within="#comments form", skip=NOT_TARGETS)
    assert small == [], small

    discard.click()
    expect(page.get_by_text("Your draft was discarded.")).to_be_visible()
    expect(comment_box(page)).to_have_value("")
    assert not Draft.objects.exists()


def test_the_restored_form_works_with_the_keyboard_alone(browser, live_server):
    article = ArticleFactory()
    member = UserFactory()
    Draft.objects.keep(
        author=member, place=f"discussion-{article.discussion_id}", body=TEXT
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, member)
    page.goto(live_server.url + article.get_absolute_url())
    expect(comment_box(page)).to_have_value(TEXT)
    comment_box(page).focus()
    page.keyboard.press("Tab")  # Post comment
    page.keyboard.press("Tab")  # Preview
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Discard draft")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your draft was discarded.")).to_be_visible()
    assert not Draft.objects.exists()
    context.close()


def test_a_restored_topic_form_is_accessible(page, live_server):
    from tests.forums import make

    category = make.category(name="Caregivers", slug="caregivers")
    member = make.verified()
    Draft.objects.keep(
        author=member,
        place=f"topic-in-{category.pk}",
        title="Respite weekends",
        body=TEXT,
        url=reverse("forums:start", args=[category.slug]),
        label="New topic in Caregivers",
    )
    sign_in(page, live_server, member)
    page.goto(live_server.url + reverse("forums:start", args=[category.slug]))
    expect(page.get_by_role("textbox", name="Title")).to_have_value("Respite weekends")
    expect(page.get_by_role("textbox", name="First post")).to_have_value(TEXT)
    expect(page.get_by_text("Your unsent draft from")).to_be_visible()
    assert_accessible(page)
    small = small_targets(page, within="main form", skip=NOT_TARGETS)
    assert small == [], small

    # The member's list of drafts, from the account settings.
    page.goto(live_server.url + reverse("accounts:settings"))
    page.get_by_role("link", name="Your unsent drafts").click()
    link = page.get_by_role("link", name="New topic in Caregivers")
    expect(link).to_be_visible()
    expect(page.get_by_role("textbox", name="Text (copy it to keep it)")).to_have_value(
        TEXT
    )
    assert_accessible(page)
    small = small_targets(page, within="main", skip=NOT_TARGETS)
    assert small == [], small
    link.click()
    expect(page.get_by_role("textbox", name="First post")).to_have_value(TEXT)


def test_an_inline_reply_is_saved_too_and_waits_on_the_reply_page(page, live_server):
    from tests.comments.make import comment

    article = ArticleFactory()
    parent = comment(article.discussion, guest_name="Rosa")
    member = UserFactory()
    sign_in(page, live_server, member)
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Reply to Rosa", exact=True).click()
    region = page.get_by_role("region", name="Reply to Rosa")
    comment_box(region).press_sequentially(TEXT)
    expect(region.get_by_role("status")).to_have_text("Draft saved")
    assert Draft.objects.get().place == f"reply-{parent.pk}"

    page.goto(live_server.url + reverse("comments:reply", args=[parent.pk]))
    expect(comment_box(page)).to_have_value(TEXT)
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text(TEXT)).to_be_visible()
    assert not Draft.objects.exists()


def test_a_save_still_on_its_way_never_brings_back_a_posted_comment(page, live_server):
    # The save reaches the server, which is slow to answer it; the member posts
    # meanwhile. The post is sent only once the save is answered, so the draft
    # it forgets is not written again behind it.
    from comments import drafting

    article = ArticleFactory()
    member = UserFactory()
    arrived, answered = threading.Event(), threading.Event()
    slow = drafting._autosave

    def slow_save(*args, **kwargs):
        arrived.set()
        time.sleep(1.5)
        try:
            return slow(*args, **kwargs)
        finally:
            answered.set()

    sign_in(page, live_server, member)
    page.goto(live_server.url + article.get_absolute_url())
    with mock.patch.object(drafting, "_autosave", slow_save):
        comment_box(page).fill(TEXT)
        while not arrived.is_set():
            page.wait_for_timeout(100)
        page.get_by_role("button", name="Post comment").click()
        expect(page.get_by_text("Your comment was posted.")).to_be_visible()
        assert answered.wait(5)
    assert Comment.objects.get().body == TEXT
    assert not Draft.objects.exists()


def test_a_save_that_fails_says_so(page, live_server):
    article = ArticleFactory()
    sign_in(page, live_server, UserFactory())
    page.route(
        "**/post/",
        lambda route: (
            route.abort()
            if "save_draft" in (route.request.post_data or "")
            else route.continue_()
        ),
    )
    page.goto(live_server.url + article.get_absolute_url())
    comment_box(page).fill(TEXT)
    status = page.locator("#comments [data-draft-status]")
    expect(status).to_have_text(
        re.compile(r"^Draft not saved: the site did not answer")
    )
    assert not Draft.objects.exists()
