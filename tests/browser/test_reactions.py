"""Reactions in chromium: by keyboard alone with JavaScript (the page stays,
the counts and the pressed button change, a status is spoken), and without
JavaScript (the form posts and the member lands back at the comment)."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Reaction
from tests.browser.test_comments import focus_by_tab, sign_in
from tests.browser.test_every_page import check
from tests.comments.make import comment
from tests.conftest import NOT_TARGETS, assert_accessible, small_targets
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article():
    return ArticleFactory(title="Sleeping with a BiPAP mask")


@pytest.fixture
def post(article):
    author = UserFactory(display_name="Rosa")
    comment(article.discussion, author=author, body="The first weeks were hard.")
    return comment(article.discussion, author=author, body="It got easier.")


def button(page, post, name):
    return page.locator(f"#comment-{post.pk} .reaction-form").get_by_role(
        "button", name=name, exact=True
    )


def react(page, post):
    """The "React" that unfolds the four buttons."""
    return page.locator(f"#comment-{post.pk} details.react > summary").first


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reacting_by_keyboard_changes_the_counts_in_place(
    page, live_server, article, post, scheme
):
    page.emulate_media(color_scheme=scheme)
    member = UserFactory(display_name="Ade")
    sign_in(page, live_server, member)
    check(page, live_server.url + article.get_absolute_url(), article.title)
    page.evaluate("window.stayedOnThePage = true")

    thinking = button(page, post, "Thinking of you")
    expect(thinking).to_be_hidden()  # folded: one tab stop a comment, not four
    focus_by_tab(page, react(page, post), limit=200)
    page.keyboard.press("Enter")
    focus_by_tab(page, thinking)
    page.keyboard.press("Enter")
    expect(thinking).to_have_attribute("aria-pressed", "true")
    counts = page.locator(f"#reaction-counts-{post.pk}")
    expect(counts).to_have_text("1 person: Thinking of you")
    status = page.get_by_role("status").filter(has_text="Your reaction")
    expect(status).to_have_text("Your reaction: Thinking of you.")
    expect(thinking).to_be_focused()
    assert Reaction.objects.get().kind == "thinking"

    helpful = button(page, post, "Helpful")
    focus_by_tab(page, helpful)
    page.keyboard.press("Space")
    expect(helpful).to_have_attribute("aria-pressed", "true")
    expect(thinking).to_have_attribute("aria-pressed", "false")
    expect(counts).to_have_text("1 person: Helpful")
    page.keyboard.press("Enter")  # the same button again takes it back
    expect(helpful).to_have_attribute("aria-pressed", "false")
    expect(counts).to_have_text("")
    expect(status).to_have_text("Your reaction was taken back.")
    assert not Reaction.objects.exists()
    assert page.evaluate("window.stayedOnThePage") is True
    check_in_place(page)


def check_in_place(page):
    """axe-core and the 44 px targets on the page as the script left it."""
    assert_accessible(page)
    assert small_targets(page, within="main", skip=NOT_TARGETS) == []


def test_without_javascript_the_form_posts_and_lands_at_the_comment(
    browser, live_server, article, post
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, UserFactory())
    page.goto(live_server.url + article.get_absolute_url())
    react(page, post).click()
    button(page, post, "Same here").click()
    expect(page).to_have_url(re.compile(rf"#comment-{post.pk}$"))
    expect(page.locator(f"#reaction-counts-{post.pk}")).to_have_text(
        "1 person: Same here"
    )
    expect(button(page, post, "Same here")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#comment-{post.pk}").get_by_role("status")).to_have_text(
        "Your reaction: Same here."
    )
    button(page, post, "Same here").click()
    expect(page.locator(f"#comment-{post.pk}").get_by_role("status")).to_have_text(
        "Your reaction was taken back."
    )
    assert not Reaction.objects.exists()
    context.close()
