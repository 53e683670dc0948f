"""Full-text search over published articles (PostgreSQL), with typo-tolerant titles.

Words match through the "kindred" text search configuration (English stemming with
accents folded), written in web-search syntax: `"stem cell" -mice`, `or`. Titles also
match by trigram word similarity, so "amyotropic" still finds "amyotrophic".
"""

import unicodedata

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db.models import Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from articles.models import SEARCH_CONFIG, Article

# Unlikely sentinels around highlighted words: the snippet is escaped first and
# only then are these turned into <mark> (see the `highlight` template filter).
MARK_START, MARK_END = "\ue000", "\ue001"


class SearchError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def clean_query(raw):
    """The query as PostgreSQL can take it, or SearchError with a message for people."""
    limit = settings.KINDRED["SEARCH_MAX_LENGTH"]
    if len(raw) > limit:
        raise SearchError(
            _(
                "Your search is %(length)s characters long. Please use at most "
                "%(limit)s characters: a few words work best."
            )
            % {"length": len(raw), "limit": limit}
        )
    # Control characters (NUL above all) cannot reach the database: make them spaces.
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") else char
        for char in raw
    )
    text = " ".join(text.split())
    if not text:
        raise SearchError(_("Type a word or a phrase to search for."))
    return text


def search_articles(query):
    """Published articles matching `query`, best first, each with a `snippet`."""
    words = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    # The typo-tolerant title match takes the wanted words only; words the reader
    # excluded with a minus still exclude.
    tokens = query.replace('"', " ").split()
    wanted = " ".join(token for token in tokens if not token.startswith("-"))
    unwanted = [token[1:] for token in tokens if token.startswith("-") and token[1:]]
    title_match = Q(title__trigram_word_similar=wanted)
    if unwanted:
        title_match &= ~Q(
            search_vector=SearchQuery(
                " or ".join(unwanted), search_type="websearch", config=SEARCH_CONFIG
            )
        )
    articles = (
        Article.objects.published()
        .for_listing()
        .annotate(
            rank=SearchRank("search_vector", words)
            + TrigramWordSimilarity(Value(wanted), "title"),
            snippet=SearchHeadline(
                Concat("summary", Value("\n"), "body", output_field=TextField()),
                words,
                config=SEARCH_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .filter(Q(search_vector=words) | title_match)
        .order_by("-rank", "-published_at", "-pk")
    )
    return articles
