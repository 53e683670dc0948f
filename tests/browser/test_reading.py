"""A newcomer finds, reads and searches the news, with a keyboard or a pointer."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_look import jpeg
from tests.conftest import assert_accessible, small_targets
from tests.factories import ArticleFactory, SectionFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def news():
    research = SectionFactory(name="Research", slug="research")
    tag = TagFactory(name="Biomarkers", slug="biomarkers")
    editor = UserFactory(display_name="Dana Okafor")
    ArticleFactory(
        title="Caregivers find their voice",
        summary="A survey of families living with ALS.",
        section=SectionFactory(name="Living with ALS", slug="living"),
    )
    return ArticleFactory(
        title="Blood marker tracks ALS progression",
        summary="Neurofilament light fell in people on the study drug.",
        body="## What was found\n\nLevels fell by a third.\n\n- one\n- two",
        section=research,
        tags=[tag],
        authors=[editor],
        is_lead=True,
        image=jpeg(1600, 900),
        image_alt="A teal field under a pale sky",
        image_caption="Neurofilament light, drawn as a landscape.",
        image_credit="Illustration: Kindred",
        study_title="Neurofilament light in a phase 2 trial",
        study_journal="Journal of Imaginary Neurology",
        study_url="https://doi.org/10.5555/kindred.1",
    )


def test_newcomer_reads_an_article_and_searches(page, live_server, news):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    page.get_by_role("link", name="Blood marker tracks ALS progression").first.click()
    expect(
        page.get_by_role("heading", level=1, name="Blood marker tracks ALS progression")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Dana Okafor")).to_be_visible()
    expect(page.get_by_role("heading", name="The study")).to_be_visible()
    page.get_by_role("link", name="Biomarkers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Biomarkers")

    page.get_by_label("Search articles").fill("neurofilament")
    page.get_by_label("Search articles").press("Enter")
    expect(page.get_by_role("heading", level=2, name="1 result found")).to_be_visible()
    result = page.get_by_role(
        "link", name="Blood marker tracks ALS progression", exact=True
    )
    expect(result).to_be_visible()
    expect(page.locator("mark").first).to_have_text("Neurofilament")


def test_skip_link_is_the_first_stop_for_keyboard_users(page, live_server, news):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sections/research/",
        "/articles/blood-marker-tracks-als-progression/",
        "/search/?q=marker",
        "/search/?q=zzzz",
        "/search/?q=",
        "/archive/",
        "/tags/biomarkers/",
    ],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reading_pages_have_no_accessibility_violations(
    page, live_server, news, path, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_pages_work_at_320_px_without_sideways_scrolling(browser, live_server, news):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ["/", "/articles/blood-marker-tracks-als-progression/"]:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"
    context.close()


PUBLIC_PAGES = [
    "/",
    "/articles/blood-marker-tracks-als-progression/",
    "/search/?q=a",
    "/sections/research/",
    "/tags/biomarkers/",
    "/archive/",
    "/forums/",
]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_link_and_button_is_at_least_44_px(page, live_server, news, width):
    """Header and footer included; on a phone with the menu open."""
    page.set_viewport_size({"width": width, "height": 900})
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        if width < 1200:
            page.locator("details.menu > summary").click()
        small = small_targets(
            page, skip='[aria-hidden="true"], .article-body, .study, p, time'
        )
        assert small == [], f"{path} at {width} px: {small}"


def test_front_page_shows_every_story_once(page, live_server):
    research = SectionFactory(name="Research", slug="research")
    trials = SectionFactory(name="Clinical trials", slug="trials")
    now = timezone.now()
    for number in range(14):
        ArticleFactory(
            title=f"Story {number:02}",
            section=[research, trials][number % 2],
            published_at=now - timezone.timedelta(hours=number + 1),
        )
    page.goto(live_server.url)
    headlines = page.get_by_role("main").get_by_role("heading", level=3)
    stories = [text for text in headlines.all_inner_texts() if text.startswith("Story")]
    assert sorted(stories) == [f"Story {number:02}" for number in range(14)]
    sections = page.get_by_role("region", name="Clinical trials")
    expect(sections.get_by_role("link", name="Story 11", exact=True)).to_be_visible()
