import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get(reverse("articles:search"), {"q": query, **params})
    assert response.status_code == 200
    return response


def titles(response):
    return [article.title for article in response.context["page_obj"]]


def test_results_are_ranked_with_title_matches_first(client):
    ArticleFactory(title="Caregivers share tips", body="A note on tofersen dosing.")
    ArticleFactory(title="Tofersen trial results", body="Tofersen slowed decline.")
    assert titles(search(client, "tofersen")) == [
        "Tofersen trial results",
        "Caregivers share tips",
    ]


def test_snippets_highlight_matches_and_escape_the_rest(client):
    ArticleFactory(
        title="Breathing support",
        summary="Night ventilation <b>helps</b> & comforts.",
        body="Ventilation at night eased symptoms.",
    )
    html = search(client, "ventilation").content.decode()
    assert "<mark>ventilation</mark>" in html.lower()
    snippet = html.split('<ol class="search-results"')[1].split("</ol>")[0]
    assert "&amp; comforts" in snippet and "<b>" not in snippet


def test_web_search_syntax_phrases_and_exclusions(client):
    ArticleFactory(title="Stem cell therapy in mice", body="stem cell work in mice")
    ArticleFactory(title="Stem cell therapy in people", body="stem cell trial")
    ArticleFactory(title="Cell biology and stem research", body="a cell, then a stem")
    assert titles(search(client, '"stem cell" -mice')) == [
        "Stem cell therapy in people"
    ]


def test_search_ignores_accents(client):
    ArticleFactory(title="Un café avec les chercheurs de São Paulo")
    assert titles(search(client, "sao paulo cafe")) == [
        "Un café avec les chercheurs de São Paulo"
    ]
    ArticleFactory(title="Naive questions about trials")
    assert "Naive questions about trials" in titles(search(client, "naïve"))


def test_titles_tolerate_typos(client):
    ArticleFactory(title="Amyotrophic lateral sclerosis explained")
    assert titles(search(client, "amyotropic")) == [
        "Amyotrophic lateral sclerosis explained"
    ]


def test_drafts_and_scheduled_articles_are_not_found(client):
    ArticleFactory(title="Draft about tofersen", status=Article.Status.DRAFT)
    ArticleFactory(
        title="Scheduled tofersen news",
        published_at=timezone.now() + timezone.timedelta(hours=1),
    )
    ArticleFactory(title="Published tofersen news")
    assert titles(search(client, "tofersen")) == ["Published tofersen news"]


def test_no_results_page_is_clear(client):
    ArticleFactory(title="Something else")
    html = search(client, "zebrafish").content.decode()
    assert "0 results found for “zebrafish”" in html
    assert "Nothing matched." in html


def test_results_are_paginated_keeping_the_query(client, settings):
    settings.KINDRED = {**settings.KINDRED, "ARTICLES_PER_PAGE": 2}
    for n in range(5):
        ArticleFactory(title=f"Trial news {n}")
    first = search(client, "trial")
    assert len(first.context["page_obj"]) == 2
    assert "q=trial&amp;page=2" in first.content.decode()
    assert len(search(client, "trial", page=3).context["page_obj"]) == 1


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Type a word or a phrase to search for."),
        ("   \t ", "Type a word or a phrase to search for."),
        ("\x00\x01\x1b", "Type a word or a phrase to search for."),
        ("x" * 10_000, "Your search is 10000 characters long."),
    ],
)
def test_empty_or_absurd_queries_get_a_clear_message(client, query, message):
    response = search(client, query)
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert "page_obj" not in response.context


@pytest.mark.parametrize(
    "query",
    [
        "tofersen\x00trial",
        "'; DROP TABLE articles_article; --",
        '"unclosed',
        "!!!",
        "-",
        "a & | ! ( )",
        "<script>alert(1)</script>",
        "the",
    ],
)
def test_odd_queries_never_fail(client, query):
    ArticleFactory(title="Tofersen trial")
    html = search(client, query).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_search_page_without_a_query_shows_the_form(client):
    response = client.get(reverse("articles:search"))
    assert response.status_code == 200
    assert 'label for="search-q"' in response.content.decode()


def test_search_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(25):
        ArticleFactory(title=f"Trial news {n}")
    with django_assert_max_num_queries(4):
        search(client, "trial")


def snippet_of(client, query):
    html = search(client, query).content.decode()
    return html.split('<ol class="search-results"')[1].split("</ol>")[0]


def test_snippets_are_the_words_readers_see_not_markdown(client):
    ArticleFactory(
        title="A study",
        summary="",
        body=(
            "## Results\n\n![A chart of outcomes](/media/chart.png)\n\n"
            "The **riluzole** group did _better_, see [the paper](https://x.org/p)."
        ),
    )
    snippet = snippet_of(client, "riluzole")
    assert "<mark>riluzole</mark>" in snippet.lower()
    for source in ("**", "![", "](", "##", "_better_", "https://x.org"):
        assert source not in snippet
    assert "the paper" in snippet and "Results" in snippet


def test_snippets_cut_from_a_long_text_end_on_words_with_ellipses(client):
    words = " ".join(f"word{n}" for n in range(200))
    ArticleFactory(title="Long", summary="", body=f"{words} tofersen {words}")
    snippet = snippet_of(client, "tofersen")
    text = snippet.split('<p class="snippet">', 1)[1].split("</p>", 1)[0]
    assert text.startswith("… word") and text.endswith(" …")
    assert re.fullmatch(r"… (word\d+ )+<mark>tofersen</mark>( word\d+)+ …", text)


def test_a_whole_short_text_has_no_ellipsis(client):
    ArticleFactory(title="Short", summary="", body="Tofersen helps some people.")
    text = (
        snippet_of(client, "tofersen")
        .split('<p class="snippet">', 1)[1]
        .split("</p>", 1)[0]
    )
    assert text == "<mark>Tofersen</mark> helps some people"


def test_the_count_is_a_heading_and_in_the_title_not_a_live_region(client):
    """A search answers with a new page: the count belongs in its title (read
    first) and a heading (found by heading navigation). A status role on the
    heading makes it a live region too, which axe flags and nothing updates."""
    ArticleFactory(title="Tofersen trial results")
    html = search(client, "tofersen").content.decode()
    assert "<title>Search: tofersen (1 result) · " in html
    heading = re.search(r'<h2 id="results-heading"([^>]*)>([^<]*)</h2>', html)
    assert heading.group(2) == "1 result found for “tofersen”"
    assert "role" not in heading.group(1)
