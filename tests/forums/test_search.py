"""Topics in the site search: titles and first posts ranked with articles, by
the same rules; never held or removed topics. And public topics in the sitemap."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from comments.services import edit_comment
from forums.models import Topic
from tests.factories import ArticleFactory, UserFactory
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published():
    make.publish_first_posts()


def search(client, query):
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    return response


def found(response):
    return [(result.kind, result.title) for result in response.context["page_obj"]]


def test_topics_and_articles_are_ranked_together(client):
    ArticleFactory(title="Caregivers share tips", body="A note on tofersen dosing.")
    make.topic(title="Tofersen: anyone on it?", body="Tofersen since May, ask me")
    ArticleFactory(title="Tofersen trial results", body="Tofersen slowed decline.")
    make.topic(title="Feeding tubes", body="Talking about tofersen too.")
    results = found(search(client, "tofersen"))
    assert set(results[:2]) == {
        ("topic", "Tofersen: anyone on it?"),
        ("article", "Tofersen trial results"),
    }
    assert set(results[2:]) == {
        ("article", "Caregivers share tips"),
        ("topic", "Feeding tubes"),
    }


def test_a_result_says_what_it_is_and_where_it_lives(client):
    room = make.category(name="Caregivers corner")
    topic = make.topic(room, title="Night shifts and sleep", body="Sleep is hard.")
    html = search(client, "sleep").content.decode()
    results = html.split('<ol class="search-results"')[1].split("</ol>")[0]
    assert "Forum topic" in results
    assert f'href="{room.get_absolute_url()}">Caregivers corner</a>' in results
    assert f'href="{topic.get_absolute_url()}">Night shifts and sleep</a>' in results
    assert "<mark>Sleep</mark> is hard" in results
    assert "1 result found for “sleep”" in html


def test_the_first_post_is_searched_and_its_edits_too(client):
    topic = make.topic(title="A question", body="Has anyone tried riluzole?")
    assert found(search(client, "riluzole")) == [("topic", "A question")]
    opening = topic.opening_post
    verdict = edit_comment(comment=opening, body="Has anyone tried edaravone?")
    assert verdict.action == "publish", verdict
    assert found(search(client, "riluzole")) == []
    assert found(search(client, "edaravone")) == [("topic", "A question")]


def test_renamed_titles_are_searched(client):
    topic = make.topic(title="Wheelchair ramps", body="Hello")
    topic.rename(title="Stairlifts at home", by=make.in_group("Moderators"))
    assert found(search(client, "stairlifts")) == [("topic", "Stairlifts at home")]
    assert found(search(client, "wheelchair")) == []


def test_phrases_exclusions_accents_and_typos_apply_to_topics(client):
    make.topic(title="Stem cell therapy in mice", body="stem cell work in mice")
    make.topic(title="Stem cell therapy in people", body="stem cell trial")
    make.topic(title="Cell biology and stem research", body="a cell, then a stem")
    assert found(search(client, '"stem cell" -mice')) == [
        ("topic", "Stem cell therapy in people")
    ]
    make.topic(title="Un café à São Paulo", body="Rencontre")
    assert found(search(client, "sao paulo cafe")) == [("topic", "Un café à São Paulo")]
    make.topic(title="Amyotrophic lateral sclerosis and sleep", body="Hello")
    assert found(search(client, "amyotropic")) == [
        ("topic", "Amyotrophic lateral sclerosis and sleep")
    ]


def test_held_removed_and_hidden_first_posts_are_never_found(client):
    moderator = make.in_group("Moderators")
    make.topic(title="Public tofersen topic", body="Hello")
    make.topic(title="Removed tofersen topic").remove(by=moderator, reason="Spam")
    held = make.topic(title="Held tofersen topic", body="Hello")
    held.opening_post.hold(reason="test", rule="test")
    quoted = make.topic(title="Quiet title", body="My tofersen words")
    quoted.opening_post.remove(by=moderator, reason="Off-topic")
    assert not Topic.objects.get(pk=held.pk).is_listed
    assert found(search(client, "tofersen")) == [("topic", "Public tofersen topic")]
    # Not even for the author or a moderator: search is the public's.
    client.force_login(moderator)
    assert found(search(client, "tofersen")) == [("topic", "Public tofersen topic")]


def test_search_query_count_is_fixed(client, django_assert_max_num_queries):
    for n in range(12):
        ArticleFactory(title=f"Trial news {n}")
        make.topic(title=f"Trial diary {n}", author=UserFactory())
    # the count, the page's rows, one query per kind of page among them, and
    # the header's sections
    with django_assert_max_num_queries(5):
        response = search(client, "trial")
    kinds = {result.kind for result in response.context["page_obj"]}
    assert response.context["page_obj"].paginator.count == 24
    assert kinds == {"article", "topic"}


def test_sitemap_lists_public_topics_only(client):
    moderator = make.in_group("Moderators")
    public = make.topic(title="Public topic")
    removed = make.topic(title="Removed topic")
    removed.remove(by=moderator, reason="Spam")
    held = make.topic(title="Held topic")
    held.opening_post.hold(reason="test", rule="test")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    sitemap = ElementTree.fromstring(response.content)
    locations = {
        loc.text
        for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }
    assert f"http://testserver{public.get_absolute_url()}" in locations
    assert f"http://testserver{public.category.get_absolute_url()}" in locations
    for hidden in (removed, held):
        assert f"http://testserver{hidden.get_absolute_url()}" not in locations
