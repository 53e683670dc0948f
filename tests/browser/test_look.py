"""The publication's layout as a reader meets it: the phone menu, responsive lead
images, and pages that never scroll sideways."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from tests.comments.make import comment
from tests.factories import ArticleFactory, SectionFactory, TagFactory, UserFactory
from tests.forums import make as forum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (15, 94, 99)).save(buffer, "JPEG")
    return SimpleUploadedFile("lead.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def article():
    return ArticleFactory(
        title="Blood marker tracks ALS progression",
        section=SectionFactory(name="Research", slug="research"),
        image=jpeg(2000, 1200),
        image_alt="A teal field",
        is_lead=True,
    )


def phone(browser, **options):
    context = browser.new_context(viewport={"width": 390, "height": 800}, **options)
    return context, context.new_page()


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_menu_opens_by_keyboard_with_or_without_javascript(
    browser, live_server, article, javascript
):
    context, page = phone(browser, java_script_enabled=javascript)
    page.goto(live_server.url)
    header = page.get_by_role("banner")
    research = header.get_by_role("link", name="Research", exact=True)
    expect(research).to_be_hidden()
    menu = header.locator("summary", has_text="Menu")
    for _ in range(3):  # skip link, the logo, then the menu button
        page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(research).to_be_visible()
    expect(header.get_by_role("searchbox", name="Search articles")).to_be_visible()
    expect(header.get_by_role("link", name="Log in")).to_be_visible()
    research.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Research")
    context.close()


def test_desktop_header_shows_the_menu_in_one_row_without_a_button(
    page, live_server, article
):
    page.goto(live_server.url)
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    header = page.get_by_role("banner")
    tops = [
        header.get_by_role(role, name=name).first.bounding_box()["y"]
        for role, name in [
            ("link", "Kindred"),
            ("link", "Research"),
            ("searchbox", "Search articles"),
            ("link", "Log in"),
        ]
    ]
    assert max(tops) - min(tops) < 30, tops


@pytest.mark.parametrize("width, wanted", [(390, 480), (1280, 960)])
def test_the_lead_image_is_loaded_at_the_size_the_screen_needs(
    browser, live_server, article, width, wanted
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    loaded = []
    page.on(
        "requestfinished",
        lambda request: "/media/" in request.url and loaded.append(request.url),
    )
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_load_state("networkidle")
    image = page.get_by_role("img", name="A teal field")
    expect(image).to_be_visible()
    (variant,) = [v for v in article.picture if v["width"] == wanted]
    assert loaded == [live_server.url + variant["url"]]
    assert image.evaluate("img => img.currentSrc").endswith(f"-{wanted}w.jpg")
    context.close()


PAGES = [
    "/",
    "/sections/research/",
    "/articles/blood-marker-tracks-als-progression/",
    "/search/?q=marker",
    "/about/",
    "/community-guidelines/",
    "/accounts/login/",
    "/no-such-page/",
]


@pytest.mark.parametrize(
    "viewport, scale",
    [({"width": 320, "height": 640}, 1), ({"width": 640, "height": 450}, 2)],
    ids=["320px", "200% zoom of 1280px"],
)
def test_no_page_scrolls_sideways(browser, live_server, article, viewport, scale):
    # 200% zoom of a 1,280 px window is a 640 CSS px viewport at twice the density.
    forum.publish_first_posts()
    starter = forum.verified(display_name="Fran Lindqvist-Okonkwo")
    topic = forum.topic(
        author=starter, title="Hoists, ramps and a very long title " * 3
    )
    first = forum.reply(topic, body="Ours came from the council " + "x" * 80)
    forum.reply(topic, parent=first, body="Same here.")
    tag = TagFactory(name="Biomarkers")
    article.tags.add(tag)
    pages = [
        *PAGES,
        "/archive/",
        tag.get_absolute_url(),
        reverse("forums:index"),
        reverse("forums:latest"),
        topic.category.get_absolute_url(),
        topic.get_absolute_url(),
        starter.get_absolute_url(),
    ]
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    for path in pages:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} is {width} px wide"
    context.close()


def test_community_pages_are_linked_from_every_footer(page, live_server, article):
    page.goto(live_server.url + article.get_absolute_url())
    footer = page.get_by_role("contentinfo")
    for name, heading in [
        ("About us", "About us"),
        ("Community guidelines", "Community guidelines"),
        ("Privacy", "Privacy"),
        ("Contact", "Contact"),
    ]:
        footer.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page).to_have_url(live_server.url + reverse("pages:contact"))


def test_only_the_removed_comment_carries_the_warning_bar(page, live_server, article):
    removed = comment(article.discussion, body="Buy my cure.")
    removed.remove(by=UserFactory(is_staff=True), reason="Advertising")
    reply = comment(parent=removed, body="Please do not sell things here.")
    page.goto(live_server.url + article.get_absolute_url())
    bar = "el => getComputedStyle(el).borderLeftWidth"
    card = page.locator(f"#comment-{removed.pk} > .comment-card")
    expect(card).to_contain_text("Removed by a moderator")
    assert card.evaluate(bar) == "4px"
    assert page.locator(f"#comment-{reply.pk} > .comment-card").evaluate(bar) == "0px"
