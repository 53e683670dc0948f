import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import ArticleFactory, SectionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def forget_cached_pages():
    """Nothing cached but the section menu, which every page reads from the cache."""
    cache.clear()
    Section.navigation()


def queries_for(client, url):
    """Queries to answer `url` with nothing cached but the section menu."""
    forget_cached_pages()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def make_articles(count, **fields):
    return [ArticleFactory(**fields) for _ in range(count)]


def test_home_shows_lead_story_latest_and_sections(client):
    research = SectionFactory(name="Research", slug="research")
    older = ArticleFactory(title="Older news", section=research)
    lead = ArticleFactory(title="The lead story", is_lead=True, section=research)
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["lead"] == lead
    assert older in response.context["latest"]
    assert "The lead story" in html and "Older news" in html
    assert 'href="/sections/research/"' in html
    assert html.count("<h1") == 1


def test_home_without_articles_says_so(client):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assert "No articles have been published yet." in response.content.decode()


def assert_budget(client, django_assert_num_queries, url, budget):
    forget_cached_pages()
    with django_assert_num_queries(budget):
        assert client.get(url).status_code == 200


# Home: the flagged lead (none here), the newest instead, the latest, the newest of
# each section; archive: the count, then one page with bylines and tags.
@pytest.mark.parametrize(
    "name, budget", [("articles:home", 4), ("articles:archive", 2)]
)
def test_list_pages_keep_their_query_count_as_data_grows(
    client, django_assert_num_queries, name, budget
):
    make_articles(2)
    assert_budget(client, django_assert_num_queries, reverse(name), budget)
    for section in [SectionFactory() for _ in range(4)]:
        make_articles(6, section=section, tags=[TagFactory()])
    assert_budget(client, django_assert_num_queries, reverse(name), budget)


def test_section_and_tag_pages_keep_their_query_count(
    client, django_assert_num_queries
):
    section = SectionFactory()
    tag = TagFactory()
    make_articles(1, section=section, tags=[tag])
    urls = [section.get_absolute_url(), tag.get_absolute_url()]
    for _ in ("one article", "sixteen"):
        for url in urls:  # the section or tag, the count, one page of articles
            assert_budget(client, django_assert_num_queries, url, 3)
        make_articles(15, section=section, tags=[tag])


def test_section_page_lists_only_its_articles(client):
    ours, theirs = SectionFactory(name="Clinical trials"), SectionFactory()
    ArticleFactory(title="Trial opens", section=ours)
    ArticleFactory(title="Elsewhere", section=theirs)
    response = client.get(ours.get_absolute_url())
    html = response.content.decode()
    assert "<h1>Clinical trials</h1>" in html
    assert "Trial opens" in html and "Elsewhere" not in html


def test_tag_page_lists_tagged_articles(client):
    tag = TagFactory(name="Eye-gaze")
    ArticleFactory(title="Dwell click tips", tags=[tag])
    ArticleFactory(title="Untagged")
    html = client.get(tag.get_absolute_url()).content.decode()
    assert "Dwell click tips" in html and "Untagged" not in html


def test_unknown_section_or_tag_is_404(client):
    assert client.get(reverse("articles:section", args=["nope"])).status_code == 404
    assert client.get(reverse("articles:tag", args=["nope"])).status_code == 404


def test_archive_is_paginated_and_keeps_page_links(client, settings):
    settings.KINDRED = {**settings.KINDRED, "ARTICLES_PER_PAGE": 5}
    make_articles(12)
    first = client.get(reverse("articles:archive"))
    assert len(first.context["page_obj"]) == 5
    assert "Page 1 of 3" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    last = client.get(reverse("articles:archive"), {"page": 3})
    assert len(last.context["page_obj"]) == 2
    assert client.get(reverse("articles:archive"), {"page": "x"}).status_code == 200


def test_article_page_shows_everything_a_reader_needs(client):
    editor = UserFactory(display_name="Dana Editor", email="dana@example.com")
    second = UserFactory(display_name="Sam Writer")
    tag = TagFactory(name="Biomarkers")
    article = ArticleFactory(
        title="Neurofilament levels fall in trial",
        summary="A blood marker dropped in treated patients.",
        body="## What they found\n\nLevels fell by **30%**.",
        authors=[editor, second],
        tags=[tag],
        study_title="NfL in a phase 2 trial",
        study_journal="Journal of Imaginary Neurology",
        study_url="https://doi.org/10.5555/kindred.1",
    )
    ArticleFactory(title="Another biomarker story", tags=[tag])
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="article-title">Neurofilament levels fall in trial</h1>' in html
    assert "A blood marker dropped in treated patients." in html
    assert "Dana Editor" in html and "Sam Writer" in html
    assert "dana@example.com" not in html
    assert "<h2>What they found</h2>" in html and "<strong>30%</strong>" in html
    assert 'href="https://doi.org/10.5555/kindred.1"' in html
    assert "Journal of Imaginary Neurology" in html
    assert '<time datetime="' in html
    assert tag.get_absolute_url() in html
    assert "Another biomarker story" in html.split('id="related-heading"')[1]
    assert 'property="og:title" content="Neurofilament levels fall in trial"' in html
    assert '"@type": "NewsArticle"' in html
    assert html.count("<h1") == 1


def test_structured_data_cannot_break_out_of_its_script(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_article_page_query_count_does_not_grow(client):
    tag = TagFactory()
    article = ArticleFactory(tags=[tag])
    ArticleFactory(tags=[tag], section=article.section)
    before = queries_for(client, article.get_absolute_url())
    for _ in range(8):
        ArticleFactory(tags=[tag], section=article.section, authors=[UserFactory()])
    article.tags.add(*[TagFactory() for _ in range(3)])
    article.authors.add(UserFactory(), UserFactory())
    assert queries_for(client, article.get_absolute_url()) == before


def test_drafts_and_scheduled_articles_are_hidden_until_due(client):
    draft = ArticleFactory(title="Secret draft", status=Article.Status.DRAFT)
    scheduled = ArticleFactory(
        title="Tomorrow's story",
        published_at=timezone.now() + timezone.timedelta(days=1),
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    for name in ["articles:home", "articles:archive", "articles:feed"]:
        html = client.get(reverse(name)).content.decode()
        assert "Secret draft" not in html and "Tomorrow" not in html
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert "Tomorrow" in client.get(reverse("articles:home")).content.decode()


def test_members_cannot_preview_drafts_but_editors_can(client):
    from django.contrib.auth.models import Group

    draft = ArticleFactory(title="Secret draft", status=Article.Status.DRAFT)
    member = UserFactory()
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "this draft is not published" in response.content.decode()


def test_article_body_goes_through_the_sanitiser(client):
    article = ArticleFactory(
        body="<script>alert(1)</script>\n\n"
        "[x](javascript:alert(1)) <a href='javascript:alert(2)'>y</a>"
        "<img src=x onerror=alert(1)>"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="article-body">')[1].split("</div>")[0]
    assert "<script" not in body and "onerror" not in body
    assert 'href="javascript:' not in body and "alert(2)" not in body


def test_feeds_sitemap_and_robots(client):
    SectionFactory(name="Research", slug="research")
    research = SectionFactory(slug="research")
    ArticleFactory(title="In research", section=research)
    ArticleFactory(title="Somewhere else")
    ArticleFactory(title="Not yet", status=Article.Status.DRAFT)
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    site = ElementTree.fromstring(client.get(reverse("articles:feed")).content)
    titles = [entry.findtext(f"{atom}title") for entry in site.iter(f"{atom}entry")]
    assert sorted(titles) == ["In research", "Somewhere else"]
    feed = client.get(reverse("articles:section_feed", args=["research"])).content
    section = ElementTree.fromstring(feed)
    titles = [entry.findtext(f"{atom}title") for entry in section.iter(f"{atom}entry")]
    assert titles == ["In research"]
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = [
        loc.text
        for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert any(url.endswith("/articles/in-research/") for url in locations)
    assert not any("not-yet" in url for url in locations)
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and "Sitemap:" in robots.content.decode()
