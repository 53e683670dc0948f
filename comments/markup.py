"""The one way user text becomes HTML: Markdown, then bleach.

Comments, articles and anything else people write go through `render_markup`;
templates mark only the stored `*_html` fields that it produced as safe.
"""

import re
from functools import partial
from urllib.parse import urlsplit

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

PROTOCOLS = frozenset({"http", "https", "mailto"})
TAGS = frozenset(
    {
        "p",
        "br",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "del",
    }
)
STAFF_TAGS = TAGS | {
    "h2",
    "h3",
    "h4",
    "img",
    "figure",
    "figcaption",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
    "sup",
    "sub",
}
STAFF_ATTRIBUTES = {
    "img": ["src", "alt", "title", "width", "height"],
    "abbr": ["title"],
}
# Browsers drop ASCII tabs and newlines inside URLs ("java\tscript:"), and bleach
# lets "javascript:123" through as if it had no scheme, so the scheme is checked here.
URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def _safe_url(value: str) -> bool:
    url = URL_NOISE.sub("", value)
    if not url:
        return False
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return False
    if scheme:
        return scheme in PROTOCOLS
    # No scheme: relative URLs are fine, but a colon before any / ? # means the
    # parser missed a scheme.
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in head


def _allow_attribute(extra: dict, tag: str, name: str, value: str) -> bool:
    if tag == "a" and name in ("href", "title", "rel"):
        return name != "href" or _safe_url(value)
    if tag == "ol" and name == "start":  # "5. Add this" continues a list at 5
        return value.isascii() and value.isdigit() and len(value) <= 6
    if name == "src":
        return name in extra.get(tag, ()) and _safe_url(value)
    return name in extra.get(tag, ())


def _link_rel(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not _safe_url(href):
        return None  # linkify callbacks drop the link, keeping its text
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


def _cleaner(tags: frozenset, extra_attributes: dict) -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=tags,
        attributes=partial(_allow_attribute, extra_attributes),
        protocols=PROTOCOLS,
        strip=True,
        filters=[
            partial(LinkifyFilter, callbacks=[_link_rel], skip_tags={"pre", "code"})
        ],
    )


_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True})
_staff_markdown = MarkdownIt("commonmark", {"html": True}).enable("table")
_cleaners = {False: _cleaner(TAGS, {}), True: _cleaner(STAFF_TAGS, STAFF_ATTRIBUTES)}


def render_markup(text: str, *, staff: bool = False) -> str:
    """Markdown to sanitised HTML. `staff` widens the allowlist for editors."""
    if not text:
        return ""
    text = text.replace("\x00", "\ufffd")
    html = (_staff_markdown if staff else _markdown).render(text)
    return _cleaners[staff].clean(html).strip()
