"""What other apps show under an article, above its comments, or in its sidebar,
without articles importing them (the forums' "Discuss this in the forums" link,
the latest forum topics).

An app registers, from its AppConfig.ready(), the related name under which its
object hangs on an Article (a reverse one-to-one), the relations to read with
it, and the template that shows it. The article page reads them all in the
article's own query (select_related), so a link costs no query of its own.
"""

from django.core.exceptions import ObjectDoesNotExist

_below = {}
_aside = {}


def show_below(related_name, template, *, with_related=()):
    _below[related_name] = (template, tuple(with_related))


def related_names():
    return [
        path
        for name, (_template, more) in _below.items()
        for path in [name, *(f"{name}__{relation}" for relation in more)]
    ]


def below(article):
    """[{"template", "object"}] for what exists for `article`, in order."""
    shown = []
    for name, (template, _more) in _below.items():
        try:
            found = getattr(article, name)
        except ObjectDoesNotExist:
            continue
        if found is not None:
            shown.append({"template": template, "object": found})
    return shown


def show_aside(template, items):
    """An app's block in the article page's sidebar. `items()` is called only when
    the sidebar is rendered, which is cached with the article (see detail.html),
    so it costs a query at most once per article per ten minutes."""
    _aside[template] = items


def aside():
    """[{"template", "items"}] for the sidebar; the template calls `items`."""
    return [
        {"template": template, "items": items} for template, items in _aside.items()
    ]
