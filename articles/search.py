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
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Concat, Replace
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


# Markdown as the words a reader sees, in the order applied (PostgreSQL regular
# expressions): images go, links keep their text, HTML tags and the marks at the
# start of headings, quotes and list items go, then emphasis and code marks.
MARKDOWN_TO_TEXT = (
    (r"!\[[^]]*\]\([^)]*\)", ""),
    (r"\[([^]]*)\]\([^)]*\)", r"\1"),
    (r"<[^>]*>", " "),
    (r"(^|\n)[ \t]*(#{1,6}|>|[-+*]|[0-9]+\.)[ \t]+", r"\1"),
    (r"[*`~]+|(^|\s)_+|_+(\s|[[:punct:]]|$)", r"\1\2"),
)


# A fragment leaves out the punctuation after its last word.
TEXT_END = r"[[:punct:][:space:]]+$"


def plain_text(expression):
    for pattern, replacement in MARKDOWN_TO_TEXT:
        expression = regexp_replace(expression, pattern, replacement)
    return regexp_replace(expression, r"^\s+|\s+$", "")


def regexp_replace(expression, pattern, replacement):
    return Func(
        expression,
        Value(pattern),
        Value(replacement),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def with_ellipses():
    """The headline with "… " before it unless it starts the text, and " …"
    after it unless it ends it (its fragments begin and end on whole words)."""
    starts = When(text__startswith=F("bare"), then=Value(""))
    ends = When(text_end__endswith=F("bare_end"), then=Value(""))
    return Concat(
        Case(starts, default=Value("… ")),
        "headline",
        Case(ends, default=Value(" …")),
        output_field=TextField(),
    )


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
        )
        .alias(
            text=plain_text(
                Concat("summary", Value("\n"), "body", output_field=TextField())
            ),
            headline=SearchHeadline(
                "text",
                words,
                config=SEARCH_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
            bare=regexp_replace(
                Replace(Replace("headline", Value(MARK_START)), Value(MARK_END)),
                r"^\s+|\s+$",
                "",
            ),
            text_end=regexp_replace("text", TEXT_END, ""),
            bare_end=regexp_replace("bare", TEXT_END, ""),
        )
        .annotate(snippet=with_ellipses())
        .filter(Q(search_vector=words) | title_match)
        .order_by("-rank", "-published_at", "-pk")
    )
    return articles
