import csv
import html

import pytest

from samizdat.discussion.models import Comment, CommentStatus
from tests.corpora import corpus_file


@pytest.fixture(scope="session")
def youtube():
    """The shared corpus of labelled YouTube comments: (author, text, is spam) rows."""
    rows = []
    names = ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", "Youtube03-LMFAO.csv")
    for path in [corpus_file(f"spam/{name}") for name in names]:
        with path.open(encoding="utf-8") as handle:
            rows += [
                (r["AUTHOR"], html.unescape(r["CONTENT"]), r["label"] == "1")
                for r in csv.DictReader(handle)
            ]
    return rows


@pytest.fixture
def decided(post, youtube):
    """Store ``n`` comments of the corpus with their labels as statuses (spam, approved)."""

    def store(n=None, **fields):
        rows = youtube if n is None else youtube[:n]
        return Comment.objects.bulk_create(
            Comment(
                post=post,
                author_name=author,
                body=body,
                status=CommentStatus.SPAM if spam else CommentStatus.APPROVED,
                **fields,
            )
            for author, body, spam in rows
        )

    return store
