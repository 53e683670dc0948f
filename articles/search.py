"""Site search (PostgreSQL full text), with typo-tolerant titles: published
articles, and every other kind of page that registers a Source (forum topics).

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
from django.db.models import Case, CharField, F, Func, Q, TextField, Value, When
from django.db.models.functions import Concat, Replace
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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


class Source:
    """One kind of page the site search finds. Articles are one; another app
    adds its own from its AppConfig.ready() with `register()` (the forums add
    topics), so this module never imports it. A source's model has a stored
    `search_vector` and a `title` with a trigram index."""

    kind = ""  # a short name, stored in the result rows
    label = ""  # what kind of page a result is, for people
    template = ""  # renders one result: `item` (from listing()) and `snippet`
    date_field = ""  # newer first among equal ranks

    def candidates(self):
        """What anyone may find: never a draft, a held or a removed page."""
        raise NotImplementedError

    def text(self):
        """The expression of the text a snippet is cut from, as readers see it."""
        raise NotImplementedError

    def listing(self):
        """The queryset a result row is read from, with what its template shows."""
        raise NotImplementedError


class ArticleSource(Source):
    kind = "article"
    label = _lazy("Article")
    template = "articles/_search_result.html"
    date_field = "published_at"

    def candidates(self):
        return Article.objects.published()

    def text(self):
        return plain_text(
            Concat("summary", Value("\n"), "body", output_field=TextField())
        )

    def listing(self):
        return Article.objects.for_listing()


SOURCES = {}


def register(source):
    SOURCES[source.kind] = source


register(ArticleSource())


class Terms:
    """A cleaned query as the searches use it: the full-text query, and for the
    typo-tolerant title match the wanted words and the excluded ones."""

    def __init__(self, query):
        self.words = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        tokens = query.replace('"', " ").split()
        self.wanted = " ".join(token for token in tokens if not token.startswith("-"))
        unwanted = [t[1:] for t in tokens if t.startswith("-") and t[1:]]
        self.unwanted = (
            SearchQuery(
                " or ".join(unwanted), search_type="websearch", config=SEARCH_CONFIG
            )
            if unwanted
            else None
        )

    def match(self):
        """Words anywhere, or a title close to the wanted words (typos) where
        no excluded word appears."""
        title_match = Q(title__trigram_word_similar=self.wanted)
        if self.unwanted is not None:
            title_match &= ~Q(search_vector=self.unwanted)
        return Q(search_vector=self.words) | title_match

    def rank(self):
        # F(): a bare name would be wrapped in to_tsvector(vector::text), which
        # parses the stored vector's text again and loses its weights.
        return SearchRank(F("search_vector"), self.words) + TrigramWordSimilarity(
            Value(self.wanted), "title"
        )


def matching(source, terms):
    """The rows (kind, item, rank, when) of `source` that match: small, so that
    every kind can be ranked together in one UNION and counted cheaply."""
    return (
        source.candidates()
        .filter(terms.match())
        .annotate(
            kind=Value(source.kind, output_field=CharField()),
            item=F("pk"),
            rank=terms.rank(),
            when=F(source.date_field),
        )
        .values("kind", "item", "rank", "when")
        .order_by()
    )


def search_site(query):
    """Every kind of page matching `query` (clean_query's output), best first:
    an ordered queryset of {kind, item, rank, when} rows for a Paginator. Turn a
    page of them into results with `results()`."""
    terms = Terms(query)
    first, *rest = [matching(source, terms) for source in SOURCES.values()]
    rows = first.union(*rest, all=True) if rest else first
    return rows.order_by("-rank", "-when", "kind", "-item")


class Result:
    def __init__(self, source, item):
        self.kind, self.label, self.template = (
            source.kind,
            source.label,
            source.template,
        )
        self.item = item
        self.title = item.title
        self.snippet = item.snippet

    def get_absolute_url(self):
        return self.item.get_absolute_url()


def results(rows, query):
    """The page's rows as Results, in their order, each with its snippet: one
    query for each kind of page among them."""
    rows = list(rows)
    terms = Terms(query)
    found = {}
    for kind in {row["kind"] for row in rows}:
        source = SOURCES[kind]
        ids = [row["item"] for row in rows if row["kind"] == kind]
        for item in with_snippets(source.listing().filter(pk__in=ids), source, terms):
            found[kind, item.pk] = Result(source, item)
    return [found[row["kind"], row["item"]] for row in rows]


def with_snippets(queryset, source, terms):
    return queryset.alias(
        text=source.text(),
        headline=SearchHeadline(
            "text",
            terms.words,
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
    ).annotate(snippet=with_ellipses())
