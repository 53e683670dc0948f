"""Taking part in a discussion with a keyboard, a pointer, or no JavaScript at all."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from comments.bulk import insert_thread
from comments.models import Comment, ModerationSettings
from tests.conftest import NOT_TARGETS, assert_accessible, small_targets
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def quick_writers(settings):
    # People here post several comments in a row: no first-comment hold, no wait.
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_RATE_SECONDS": 0}
    ModerationSettings.objects.create(hold_first_comments=False)


@pytest.fixture
def article():
    return ArticleFactory(title="Tofersen one year on")


def sign_in(page, live_server, user):
    """The member's session cookie in the browser, as after logging in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )


def textbox(scope, name):
    return scope.get_by_role("textbox", name=name, exact=True)


def reply_as_member(page, parent, to, text):
    """Reply with the form that opens under the comment (JavaScript on)."""
    card = page.locator(f"#comment-{parent.pk} > article")
    before = page.url
    card.get_by_role("link", name=f"Reply to {to}", exact=True).click()
    form = page.get_by_role("region", name=f"Reply to {to}")
    expect(textbox(form, "Comment")).to_be_focused()
    assert page.url == before  # no new page
    textbox(form, "Comment").fill(text)
    form.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    expect(page.get_by_text(text)).to_be_visible()
    return Comment.objects.get(body=text)


def test_a_guest_comments_and_a_member_replies_three_levels_deep(
    page, live_server, article
):
    page.goto(live_server.url + article.get_absolute_url())
    textbox(page, "Comment").fill("Has anyone here started on tofersen?")
    textbox(page, "Name").fill("Rosa")
    textbox(page, "Email").fill("rosa@example.org")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    first = Comment.objects.get(guest_name="Rosa")
    assert page.url.endswith(f"#comment-{first.pk}")
    expect(page.locator(f"#comment-{first.pk}")).to_contain_text("Has anyone here")
    expect(page.get_by_text("Your comment was posted.")).to_be_visible()

    member = UserFactory(display_name="Sam Idowu")
    sign_in(page, live_server, member)
    page.goto(live_server.url + article.get_absolute_url())
    one = reply_as_member(
        page, first, "Rosa", "Yes, since March. The punctures are ok."
    )
    two = reply_as_member(page, one, "Sam Idowu", "Adding: my neurologist checks NfL.")
    three = reply_as_member(page, two, "Sam Idowu", "Update: levels went down.")

    assert [c.depth for c in (first, one, two, three)] == [0, 1, 2, 3]
    nested = page.locator(
        f"#comment-{first.pk} ol > #comment-{one.pk} ol > #comment-{two.pk} "
        f"ol > #comment-{three.pk}"
    )
    expect(nested).to_be_visible()
    deepest = page.locator(f"#comment-{three.pk}")
    expect(deepest.get_by_role("link", name="In reply to Sam Idowu")).to_be_visible()
    expect(deepest.get_by_role("link", name="Sam Idowu").first).to_have_attribute(
        "href", member.get_absolute_url()
    )
    expect(page.get_by_role("heading", name="4 comments")).to_be_visible()


def test_without_javascript_reply_has_its_own_page(browser, live_server, article):
    rosa = comment_by_rosa(article)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Reply to Rosa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to Rosa")
    expect(page.get_by_role("blockquote")).to_contain_text("infusions near Leeds")
    textbox(page, "Comment").fill("Try the day unit.")
    textbox(page, "Name").fill("Ade")
    textbox(page, "Email").fill("ade@example.org")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(textbox(page, "Comment")).to_have_value("Try the day unit.")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.get(guest_name="Ade")
    assert reply.parent == rosa
    expect(page.locator(f"#comment-{rosa.pk} #comment-{reply.pk}")).to_be_visible()
    context.close()


def comment_by_rosa(article):
    rosa = Comment.objects.create(
        discussion=article.discussion,
        guest_name="Rosa",
        guest_email="rosa@example.org",
        body="Which clinic does the infusions near Leeds?",
    )
    article.discussion.record_change(published_delta=1)
    return rosa


def focus_by_tab(page, target, limit=80):
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} never received the focus")


def test_a_reply_made_with_the_keyboard_alone(page, live_server, article):
    rosa = comment_by_rosa(article)
    page.goto(live_server.url + article.get_absolute_url())

    focus_by_tab(page, page.get_by_role("link", name="Reply to Rosa"))
    page.keyboard.press("Enter")
    form = page.get_by_role("region", name="Reply to Rosa")
    expect(textbox(form, "Comment")).to_be_focused()
    page.keyboard.type("St James's has a day unit.")
    focus_by_tab(page, textbox(form, "Name"))
    page.keyboard.type("Ade")
    focus_by_tab(page, textbox(form, "Email"))
    page.keyboard.type("ade@example.org")
    focus_by_tab(page, form.get_by_role("button", name="Post comment"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.get(guest_name="Ade")
    assert reply.parent == rosa
    assert page.url.endswith(f"#comment-{reply.pk}")
    expect(page.locator(f"#comment-{rosa.pk} #comment-{reply.pk}")).to_contain_text(
        "St James's has a day unit."
    )


def test_cancelling_an_inline_reply_returns_to_the_link(page, live_server, article):
    comment_by_rosa(article)
    page.goto(live_server.url + article.get_absolute_url())
    link = page.get_by_role("link", name="Reply to Rosa")
    link.click()
    form = page.get_by_role("region", name="Reply to Rosa")
    form.get_by_role("button", name="Cancel reply").click()
    expect(form).to_have_count(0)
    expect(link).to_be_focused()


@pytest.fixture
def deep_thread(article):
    """Rosa's question with ten replies, each to the one before (past the cap)."""
    people = ["Rosa", "Ade", "Lin", "Marek", "Jo"]
    rows = [
        {
            "body": f"Reply number {n}: what helped with **swallowing** for you?",
            "guest_name": people[n % len(people)],
            "guest_email": f"person{n}@example.org",
            "reply_to": n - 1 if n else None,
        }
        for n in range(11)
    ]
    rows.append({"body": "A separate question.", "guest_name": "Kit", "reply_to": None})
    return insert_thread(article.discussion, rows)


def test_threads_collapse_and_expand_without_javascript(
    browser, live_server, article, deep_thread
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    first, reply = deep_thread[0], deep_thread[1]
    summary = page.locator(f"#comment-{first.pk} > details > summary")
    expect(summary).to_contain_text("replies to Rosa")
    expect(page.locator(f"#comment-{reply.pk}")).to_be_visible()

    summary.click()
    expect(page.locator(f"#comment-{reply.pk}")).to_be_hidden()
    expect(page.locator(f"#comment-{first.pk} > article .comment-body")).to_be_visible()
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#comment-{reply.pk}")).to_be_visible()
    context.close()


def test_continue_this_thread_and_back(page, live_server, article, deep_thread):
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Continue this thread").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Continued thread")
    expect(page.get_by_text("Reply number 10:")).to_be_visible()
    page.get_by_role("link", name="Back to this place").click()
    assert article.get_absolute_url() in page.url
    assert "#comment-" in page.url


def test_a_permalink_past_the_cap_lands_on_the_comment(
    page, live_server, article, deep_thread
):
    deepest = deep_thread[10]  # past the indentation cap, hidden on the article
    page.goto(live_server.url + reverse("comments:permalink", args=[deepest.pk]))
    expect(page).to_have_url(re.compile(rf"/thread/#comment-{deepest.pk}$"))
    comment = page.locator(f"#comment-{deepest.pk}")
    expect(comment.locator("> article .comment-body")).to_be_visible()
    expect(comment).to_be_in_viewport()
    assert page.evaluate(
        "document.querySelector(':target').id"
    ) == comment.get_attribute("id")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_discussion_pages_have_no_accessibility_violations(
    page, live_server, article, deep_thread, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", name="Leave a comment")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Reply to Rosa", exact=True).first.click()
    expect(page.get_by_role("region", name="Reply to Rosa")).to_be_visible()
    assert_accessible(page)  # with the inline reply form open

    page.goto(live_server.url + reverse("comments:reply", args=[deep_thread[0].pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to Rosa")
    assert_accessible(page)

    page.get_by_role("button", name="Post comment").click()  # empty: errors shown
    expect(page.get_by_text("Please write your comment").first).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Continue this thread").first.click()
    assert_accessible(page)


def test_discussion_targets_are_at_least_44_px(page, live_server, article, deep_thread):
    page.goto(live_server.url + article.get_absolute_url())
    small = small_targets(page, within="#comments", skip=NOT_TARGETS)
    assert small == [], small


def test_the_thread_fits_a_320_px_screen(browser, live_server, article, deep_thread):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
