"""The article page's sidebar shows the latest forum topics, and only those
readers may open."""

import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory
from tests.forums import make

pytestmark = pytest.mark.django_db


def sidebar(client, article):
    cache.clear()
    html = client.get(article.get_absolute_url()).content.decode()
    start = html.index('<div class="article-aside">')
    return html[start : html.index('<div class="article-discussion">', start)]


def test_the_latest_topics_show_beside_the_article(client):
    make.publish_first_posts()
    older = make.topic(title="Ramps and grants")
    newer = make.topic(title="Eye-gaze at night")
    make.reply(newer, body="We use a blink switch.")
    aside = sidebar(client, ArticleFactory())
    assert "In the forums" in aside
    assert aside.index("Eye-gaze at night") < aside.index("Ramps and grants")
    assert f'href="{newer.get_absolute_url()}"' in aside
    assert "1 reply" in aside and older.category.name in aside


def test_held_topics_stay_out_of_the_sidebar(client):
    make.topic(title="A first topic, held")  # first posts are held by default
    aside = sidebar(client, ArticleFactory())
    assert "A first topic, held" not in aside
    assert "In the forums" not in aside
