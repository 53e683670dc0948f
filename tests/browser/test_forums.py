"""The forums in chromium: starting a topic and replying with the keyboard alone,
a moderator's moves from the topic page, and every forum page checked by
axe-core and for 44 px targets."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, ModerationSettings
from forums.models import Category, Topic
from tests.browser.test_comments import focus_by_tab, sign_in, textbox
from tests.browser.test_every_page import check
from tests.conftest import assert_accessible, small_targets
from tests.factories import ArticleFactory, UserFactory
from tests.forums import make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def quick_writers(settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_RATE_SECONDS": 0}
    ModerationSettings.objects.create(hold_first_comments=False)


def person(name, moderator=False):
    user = UserFactory(display_name=name, is_staff=moderator)
    EmailAddress.objects.create(user=user, email=user.email, verified=True)
    if moderator:  # the Moderators group is data, flushed between these tests
        user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    return user


@pytest.fixture
def category():
    return make.category(name="Equipment and home adaptations", slug="equipment")


def reply_with_keyboard(page, parent, to, text):
    focus_by_tab(
        page,
        page.locator(f"#comment-{parent.pk} > article").get_by_role(
            "link", name=f"Reply to {to}", exact=True
        ),
    )
    page.keyboard.press("Enter")
    form = page.get_by_role("region", name=f"Reply to {to}")
    expect(textbox(form, "Comment")).to_be_focused()
    page.keyboard.type(text)
    focus_by_tab(page, form.get_by_role("button", name="Post comment"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    return Comment.objects.get(body=text)


def test_a_topic_started_and_answered_three_levels_deep_by_keyboard(
    page, live_server, category
):
    priya, tom, grace = person("Priya"), person("Tom"), person("Grace")
    sign_in(page, live_server, priya)
    page.goto(live_server.url + category.get_absolute_url())
    focus_by_tab(page, page.get_by_role("link", name="Start a topic"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start a topic in Equipment and home adaptations"
    )
    focus_by_tab(page, textbox(page, "Title"))
    page.keyboard.type("Ceiling hoist or mobile hoist?")
    focus_by_tab(page, textbox(page, "First post"))
    page.keyboard.type("Our bedroom is small. What worked for you?")
    focus_by_tab(page, page.get_by_role("button", name="Start topic"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ceiling hoist or mobile hoist?"
    )
    topic = Topic.objects.get()
    first = topic.opening_post

    sign_in(page, live_server, tom)
    page.goto(live_server.url + topic.get_absolute_url())
    one = reply_with_keyboard(page, first, "Priya", "Ceiling, no question.")
    sign_in(page, live_server, grace)
    page.goto(live_server.url + topic.get_absolute_url())
    two = reply_with_keyboard(page, one, "Tom", "Did the landlord agree?")
    sign_in(page, live_server, tom)
    page.goto(live_server.url + topic.get_absolute_url())
    three = reply_with_keyboard(page, two, "Grace", "He did, after a letter.")

    assert [c.depth for c in (first, one, two, three)] == [0, 1, 2, 3]
    expect(
        page.locator(
            f"#comment-{first.pk} ol > #comment-{one.pk} ol > #comment-{two.pk} "
            f"ol > #comment-{three.pk}"
        )
    ).to_be_visible()
    topic.refresh_from_db()
    assert (topic.reply_count, topic.last_poster) == (3, tom)


def test_a_moderator_pins_locks_and_moves_from_the_topic_page(
    page, live_server, category
):
    topic = make.topic(category, author=person("Priya"), title="Selling a wheelchair")
    other = make.category(name="Off topic", slug="off-topic")
    sign_in(page, live_server, person("Sam", moderator=True))
    page.goto(live_server.url + topic.get_absolute_url())
    tools = page.get_by_role("region", name="Moderator tools")
    tools.get_by_role("button", name="Pin topic").click()
    expect(page.get_by_text("The topic is pinned.")).to_be_visible()
    tools.get_by_label("Why lock it (shown on the topic)").fill("Sold, thank you all")
    tools.get_by_role("button", name="Lock topic").click()
    locked = page.get_by_text("This topic is locked: Sold, thank you all")
    expect(locked.first).to_be_visible()  # at the top, and where the form was
    tools.get_by_label("Move to category").select_option(label="Off topic")
    tools.get_by_role("button", name="Move topic", exact=True).click()
    expect(page).to_have_url(
        re.compile(r"/forums/off-topic/\d+-selling-a-wheelchair/$")
    )
    topic.refresh_from_db()
    assert (topic.is_pinned, topic.is_locked, topic.category) == (True, True, other)
    assert list(topic.records.values_list("action", flat=True)) == [
        "move",
        "lock",
        "pin",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_forum_pages_are_accessible_with_large_targets(
    page, live_server, category, scheme
):
    page.emulate_media(color_scheme=scheme)
    make.category(name="Announcements", who_may_start=Category.Starters.STAFF)
    topic = make.topic(category, author=person("Priya"), title="Ramps that fold")
    make.reply(topic, author=person("Tom"), body="Ours folds in two.")
    topic.pin(by=None)
    base = live_server.url
    check(page, base + "/forums/", "Forums")
    check(page, base + category.get_absolute_url(), category.name)
    check(page, base + "/forums/latest/", "Latest topics")
    check(page, base + topic.get_absolute_url(), "Ramps that fold")
    sign_in(page, live_server, person("Grace"))
    check(page, base + topic.get_absolute_url(), "Ramps that fold")
    check(
        page,
        base + f"/forums/{category.slug}/new/",
        "Start a topic in Equipment and home adaptations",
    )
    sign_in(page, live_server, person("Sam", moderator=True))
    check(page, base + topic.get_absolute_url(), "Ramps that fold")


def staff(name, *codenames):
    """A staff member with exactly these permissions (groups are flushed here)."""
    user = person(name)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_the_forum_admin_is_accessible_with_large_targets(page, live_server, category):
    topic = make.topic(category, author=person("Priya"), title="Ramps that fold")
    topic.pin(by=None)
    editor = staff(
        "Dana", "view_category", "add_category", "change_category", "delete_category"
    )
    moderator = staff(
        "Sam",
        "moderate_comment",
        "view_comment",
        "view_category",
        "view_topic",
        "change_topic",
        "view_topicrecord",
    )
    for who, pages in [
        (
            editor,
            [
                ("admin:forums_category_changelist", []),
                ("admin:forums_category_add", []),
                ("admin:forums_category_change", [category.pk]),
            ],
        ),
        (
            moderator,
            [
                ("admin:forums_topic_changelist", []),
                ("admin:forums_topic_change", [topic.pk]),
                ("admin:forums_topicrecord_changelist", []),
            ],
        ),
    ]:
        sign_in(page, live_server, who)
        for name, args in pages:
            page.goto(live_server.url + reverse(name, args=args))
            assert_accessible(page)
            small = small_targets(page)
            assert small == [], f"{name}: {small}"


def test_following_a_category_and_discussing_an_article_by_keyboard(
    page, live_server, category
):
    base = live_server.url
    sign_in(page, live_server, person("Grace"))
    page.goto(base + category.get_absolute_url())
    focus_by_tab(page, page.get_by_role("button", name="Follow this category"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("You follow this category:")).to_be_visible()
    check(page, base + category.get_absolute_url(), category.name)
    assert category.followers.count() == 1

    article = ArticleFactory(title="Ramps in rented homes")
    editor = staff("Dana", "change_article", "view_article")
    sign_in(page, live_server, editor)
    url = base + reverse("forums:discuss_article", args=[article.pk])
    check(page, url, "Discuss this in the forums")
    focus_by_tab(page, page.get_by_role("button", name="Start topic"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ramps in rented homes")
    topic = Topic.objects.get(article=article)
    check(page, base + topic.get_absolute_url(), "Ramps in rented homes")
    check(page, base + article.get_absolute_url(), "Ramps in rented homes")
    link = page.get_by_role("region", name="Discuss this in the forums")
    expect(link.get_by_role("link", name=topic.title)).to_be_visible()
