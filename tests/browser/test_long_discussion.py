"""A long discussion keeps the reader's place: bounded pages, page markers, and
the focus on the comment after every action."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, ModerationSettings
from tests.comments.make import comment
from tests.comments.make import thread as build_thread
from tests.conftest import NOT_TARGETS, assert_accessible, small_targets
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def quick_writers(settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_RATE_SECONDS": 0}
    ModerationSettings.objects.create(hold_first_comments=False)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )


def test_a_20000_comment_discussion_shows_a_bounded_page_with_markers(
    page, live_server
):
    article, _ = build_thread(20_000)
    page.goto(live_server.url + article.get_absolute_url())
    comments = page.locator("#comments li[id^='comment-']")
    assert 90 <= comments.count() <= 106
    heading = page.get_by_role("heading", name=re.compile(r"comments, page 1 of \d+"))
    expect(heading).to_be_visible()
    total = re.search(r"page 1 of (\d+)", heading.inner_text())[1]
    expect(page).to_have_title(re.compile(rf"\(comments, page 1 of {total}\)"))
    top = page.get_by_role("navigation", name="Pages of comments, top")
    bottom = page.get_by_role("navigation", name="Pages of comments, bottom")
    expect(top).to_contain_text(f"Page 1 of {total}")
    expect(bottom).to_contain_text(f"Page 1 of {total}")
    first_comment = comments.first.bounding_box()["y"]
    assert top.bounding_box()["y"] < first_comment < bottom.bounding_box()["y"]

    top.get_by_role("link", name="More comments").click()
    expect(page).to_have_title(re.compile(rf"\(comments, page 2 of {total}\)"))
    expect(
        page.get_by_role("navigation", name="Pages of comments, top")
    ).to_contain_text(f"Page 2 of {total}")
    assert page.locator("#comments li[id^='comment-']").count() <= 106
    assert_accessible(page)
    small = small_targets(page, within="#comments", skip=NOT_TARGETS)
    assert small == [], small


def test_a_long_thread_continues_on_the_next_page_with_its_context(
    page, live_server, settings
):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 5}
    article = ArticleFactory()
    big = comment(article.discussion, body="The thread that goes on")
    replies = [
        comment(parent=big, body=f"Reply {n} in the long thread") for n in range(7)
    ]
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="This thread continues on page 2").click()
    expect(page.get_by_text("The first thread continues from page 1")).to_be_visible()
    expect(page.locator(f"#comment-{big.pk}")).to_contain_text(
        "The thread that goes on"
    )
    expect(page.get_by_text("Reply 6 in the long thread")).to_be_visible()
    page.goto(live_server.url + reverse("comments:permalink", args=[replies[6].pk]))
    expect(page).to_have_url(re.compile(rf"\?page=2#comment-{replies[6].pk}$"))
    expect(page.locator(f"#comment-{replies[6].pk}")).to_be_in_viewport()


def test_expand_all_and_collapse_all(page, live_server):
    article = ArticleFactory()
    for n in range(3):
        top = comment(article.discussion, guest_name=f"Person {n}", body=f"Top {n}")
        comment(parent=top, body=f"Answer {n}")
    page.goto(live_server.url + article.get_absolute_url())
    summary = page.locator("#comments details.replies > summary").first
    expect(summary).to_have_text("Hide replies to Person 0", use_inner_text=True)
    page.get_by_role("button", name="Collapse all").click()
    for n in range(3):
        expect(page.get_by_text(f"Answer {n}")).to_be_hidden()
    expect(summary).to_have_text("Show 1 reply to Person 0", use_inner_text=True)
    page.get_by_role("button", name="Expand all").click()
    for n in range(3):
        expect(page.get_by_text(f"Answer {n}")).to_be_visible()


def expect_focused_with_notice(page, pk, text):
    item = page.locator(f"#comment-{pk}")
    expect(item).to_be_focused()
    expect(item).to_have_class(re.compile(r"\bjust-changed\b"))
    notice = item.get_by_role("status")
    expect(notice).to_have_text(text)
    expect(notice).to_be_in_viewport()


def test_after_each_action_the_comment_has_the_focus_and_the_confirmation(
    page, live_server
):
    article = ArticleFactory()
    for n in range(30):
        comment(article.discussion, body=f"Earlier comment {n}")
    theirs = comment(article.discussion, body="Someone else's words")
    author = UserFactory(display_name="Noor")
    sign_in(page, live_server, author)

    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("textbox", name="Comment").fill("My first thoughts")
    page.get_by_role("button", name="Post comment").click()
    mine = Comment.objects.get(body="My first thoughts")
    expect_focused_with_notice(page, mine.pk, "Your comment was posted.")

    page.goto(live_server.url + reverse("comments:edit", args=[mine.pk]))
    expect(page.get_by_role("textbox", name="Comment")).to_be_focused()
    page.get_by_role("textbox", name="Comment").fill("My second thoughts")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name=re.compile("Preview"))
    expect(preview).to_be_focused()
    expect(preview).to_be_in_viewport()
    page.get_by_role("button", name="Save changes").click()
    expect_focused_with_notice(page, mine.pk, "Your comment was updated.")

    page.goto(live_server.url + reverse("comments:report", args=[theirs.pk]))
    expect(
        page.get_by_role("group", name="What is wrong with this comment?")
    ).to_be_visible()
    assert page.get_by_role("radio", checked=True).count() == 0
    page.get_by_role("radio", name="Spam").check()
    page.get_by_role("button", name="Send report").click()
    expect_focused_with_notice(
        page,
        theirs.pk,
        "Thank you: your report was received. A moderator will look at this comment.",
    )

    page.goto(live_server.url + reverse("comments:delete", args=[mine.pk]))
    expect(page.get_by_role("button", name="Delete comment")).to_be_focused()
    page.get_by_role("button", name="Delete comment").click()
    expect_focused_with_notice(page, theirs.pk, "Your comment was deleted.")
    assert_accessible(page)


def test_the_reply_page_opens_in_its_form(page, live_server):
    article = ArticleFactory()
    first = comment(article.discussion, guest_name="Rosa", body="A question")
    page.goto(live_server.url + reverse("comments:reply", args=[first.pk]))
    expect(page.get_by_role("textbox", name="Comment")).to_be_focused()
