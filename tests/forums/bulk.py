"""Many topics for query-count tests (forums.bulk, with one author)."""

import itertools

from forums.bulk import insert_topics
from tests.factories import UserFactory

_numbers = itertools.count(1)


def add_topics(category, count):
    author = UserFactory()
    return insert_topics(
        category,
        [
            {"title": f"Bulk topic {n}", "author": author, "body": "Hello."}
            for n in itertools.islice(_numbers, count)
        ],
    )
