"""The learned filter: a comment's features, the model that scores them, its training.

The model is a logistic regression over TF-IDF weighted features, trained with
scikit-learn on this site's own decisions (approved comments against spam). Training
runs rarely and off the request; scoring runs on every comment, so the trained model is
exported as one weight and one IDF per feature and scored here in plain Python: a
comment costs tens of microseconds instead of the 1.8 ms of scikit-learn's per-call
overhead, and web workers never import NumPy.

The model is kept in the database (``SpamModel``), so every worker and machine shares
it; each process reloads it when a newer one is saved.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from samizdat.antispam.app_settings import app_settings

log = logging.getLogger(__name__)

#: Bumped when ``features`` changes: a model trained on other features is retrained.
FEATURE_VERSION = 1

_WORD = re.compile(r"\w+")
# A link, written out or bare (the domains spam uses most); the host is group 1 or 2.
_LINK = re.compile(
    r"(?:https?://|\bwww\.)([^\s/?#<>\"'()\[\]]+)"
    r"|\b((?:[a-z0-9-]+\.)+(?:com|net|org|info|biz|ly|tk|co|me|us|be|gl|ru|pl|de|uk|io|xyz"
    r"|cc|tv|in|top|site|online|shop))\b",
    re.IGNORECASE,
)
_REPEAT = re.compile(r"(.)\1{3,}")


def _host(text: str) -> str:
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text.strip().lower()).split("/")[0]
    host = host.rsplit("@", 1)[-1].split(":")[0].rstrip(".")
    return host.removeprefix("www.")


def features(
    body: str, author_name: str = "", author_email: str = "", author_url: str = ""
) -> list[str]:
    """Return the features of a comment, repeated as often as they occur.

    Words and word pairs carry the phrases of comment spam ("check out", "my channel");
    the 3 to 5 letter pieces of each word catch their misspellings ("subscrib",
    "chanel"); features starting with ``#`` describe the comment: each link's domain,
    how many links, letters repeated, shouting, the author's website domain.
    """
    found: list[str] = []
    words = _WORD.findall(body.lower())
    found += words
    found += [f"{first} {second}" for first, second in itertools.pairwise(words)]
    for word in set(words):
        padded = f" {word} "
        for size in (3, 4, 5):
            found += [padded[i : i + size] for i in range(len(padded) - size + 1)]
    links = 0
    for match in _LINK.finditer(body):
        links += 1
        domain = _host(match.group(1) or match.group(2))
        found += ["#domain:" + domain, "#tld:" + domain.rsplit(".", 1)[-1]]
    if links:
        found.append(f"#links:{min(links, 3)}")
    if _REPEAT.search(body):
        found.append("#repeated")
    letters = [char for char in body if char.isalpha()]
    if len(letters) >= 8 and sum(char.isupper() for char in letters) > 0.6 * len(letters):
        found.append("#capitals")
    if "!!" in body:
        found.append("#exclamations")
    count = len(words)
    found.append(
        "#words:" + ("1" if count < 4 else "2" if count < 12 else "3" if count < 40 else "4")
    )
    if author_url.strip():
        found.append("#website:" + _host(author_url))
    return found


def comment_features(comment) -> list[str]:
    return features(comment.body, comment.author_name, comment.author_email, comment.author_url)


class ModelError(Exception):
    """The stored model cannot be read."""


@dataclass
class Model:
    """A trained model: for each feature its IDF and weight, and the intercept."""

    weights: dict[str, tuple[float, float]]
    intercept: float

    def score(self, found: Iterable[str]) -> float:
        """Return the probability that a comment with these features is spam.

        The same sums as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` then
        ``LogisticRegression.predict_proba``: each known feature weighs (1 + ln count)
        times its IDF, the vector is scaled to length 1, then dotted with the weights.
        """
        dot = norm = 0.0
        for feature, count in Counter(found).items():
            known = self.weights.get(feature)
            if known is None:
                continue
            value = (1.0 + math.log(count)) * known[0]
            norm += value * value
            dot += value * known[1]
        if norm:
            dot /= math.sqrt(norm)
        margin = dot + self.intercept
        if margin < -30:  # math.exp overflows past ~709; this far out the answer is 0
            return 0.0
        return 1.0 / (1.0 + math.exp(-margin))

    def to_bytes(self) -> bytes:
        packed = {
            "version": FEATURE_VERSION,
            "intercept": self.intercept,
            "features": list(self.weights),
            "idf": [round(idf, 5) for idf, _weight in self.weights.values()],
            "weight": [round(weight, 5) for _idf, weight in self.weights.values()],
        }
        return zlib.compress(json.dumps(packed, separators=(",", ":")).encode(), 6)

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        try:
            packed = json.loads(zlib.decompress(bytes(data)))
            if packed["version"] != FEATURE_VERSION:
                raise ModelError(f"trained on features of version {packed['version']}")
            weights = dict(
                zip(
                    packed["features"],
                    zip(map(float, packed["idf"]), map(float, packed["weight"]), strict=True),
                    strict=True,
                )
            )
            return cls(weights, float(packed["intercept"]))
        except ModelError:
            raise
        except (zlib.error, ValueError, KeyError, TypeError) as error:
            raise ModelError(f"{type(error).__name__}: {error}") from error


#: What a comment is to the filter: (body, author name, author email, author URL).
Fields = tuple[str, str, str, str]


def fit(examples: Iterable[tuple[Fields, bool]]) -> Model:
    """Train a model on (fields, is spam) pairs of both kinds.

    The examples are read once, as they come: features are counted into the sparse
    matrix without a list of every comment's features in memory.
    """
    # Imported here: NumPy and scikit-learn load only in the process that trains.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    labels: list[int] = []

    def documents():
        for fields, spam in examples:
            labels.append(int(spam))
            yield fields

    vectorizer = TfidfVectorizer(
        analyzer=_features_of,
        sublinear_tf=True,
        # A feature seen once says more about that comment than about spam.
        min_df=2,
        max_features=app_settings.MODEL_FEATURES,
    )
    matrix = vectorizer.fit_transform(documents())
    classifier = LogisticRegression(C=10.0, max_iter=3000)
    classifier.fit(matrix, labels)
    weights = {
        feature: (float(vectorizer.idf_[column]), float(classifier.coef_[0][column]))
        for feature, column in vectorizer.vocabulary_.items()
    }
    return Model(weights, float(classifier.intercept_[0]))


def _features_of(fields: Fields) -> list[str]:
    return features(*fields)


def decided_comments(limit: int):
    """Return (spam, ham) querysets of this site's decided comments, newest ``limit`` each.

    Ham is every approved comment. Spam is every comment in Spam except those the
    learned filter filed there itself and no person has looked at since: training on
    its own guesses would only make the filter surer of its mistakes. Imported comments
    count with the status their export gave them.
    """
    from django.db.models import Q

    from samizdat.discussion.models import Comment, CommentStatus

    fields = ("body", "author_name", "author_email", "author_url")
    spam = (
        Comment.objects.filter(status=CommentStatus.SPAM)
        .filter(
            Q(moderated_at__isnull=False)
            | Q(spam_score__isnull=True)
            | Q(spam_score__lt=app_settings.SPAM_SCORE)
        )
        .order_by("-created_at")
        .values_list(*fields)[:limit]
    )
    ham = (
        Comment.objects.filter(status=CommentStatus.APPROVED)
        .order_by("-created_at")
        .values_list(*fields)[:limit]
    )
    return spam, ham


@dataclass
class Training:
    """What a training run used, and whether it made a model."""

    spam: int
    ham: int
    trained: bool
    seconds: float


def train() -> Training:
    """Rebuild the model from every decision in the database, and store it.

    With fewer than ``SAMIZDAT_SPAM_MIN_EXAMPLES`` of either kind no model is made: a
    filter that has seen three spams would file the fourth reader as one. The stored
    row then says so, and the learned check passes every comment.
    """
    from samizdat.antispam.models import SpamModel

    started = time.perf_counter()
    spam_rows, ham_rows = decided_comments(app_settings.TRAINING_LIMIT)
    spam, ham = spam_rows.count(), ham_rows.count()
    minimum = app_settings.MIN_EXAMPLES
    model = None
    if spam >= minimum and ham >= minimum:
        model = fit(
            itertools.chain(
                ((row, True) for row in spam_rows.iterator(chunk_size=2000)),
                ((row, False) for row in ham_rows.iterator(chunk_size=2000)),
            )
        )
    with transaction.atomic():
        saved = SpamModel.objects.create(
            spam_examples=spam,
            ham_examples=ham,
            abstains=model is None,
            data=model.to_bytes() if model else b"",
        )
        SpamModel.objects.exclude(pk=saved.pk).delete()
    forget()
    return Training(spam, ham, model is not None, time.perf_counter() - started)


# The model as this process last read it: (row id, Model or None), and when it looked.
_loaded: tuple[int | None, Model | None] = (None, None)
_checked = -math.inf
_load_lock = threading.Lock()


def forget() -> None:
    """Make the next ``current()`` read the stored model again, now."""
    global _checked, _loaded
    _checked = -math.inf
    _loaded = (None, None)


def current() -> Model | None:
    """Return the site's model, or None while it has too few examples to have one.

    Looks for a newer one at most every ``SAMIZDAT_SPAM_MODEL_CHECK_SECONDS``. Raises
    ModelError when the stored model cannot be read.
    """
    global _loaded, _checked
    from samizdat.antispam.models import SpamModel

    now = time.monotonic()
    if now - _checked < app_settings.MODEL_CHECK_SECONDS:
        return _loaded[1]
    with _load_lock:
        latest = SpamModel.objects.order_by("-pk").values_list("pk", "abstains").first()
        if latest is None or latest[1]:
            _loaded = (None, None)
        elif latest[0] != _loaded[0]:
            data = SpamModel.objects.filter(pk=latest[0]).values_list("data", flat=True).first()
            if not data:
                raise ModelError("the stored model has no data")
            _loaded = (latest[0], Model.from_bytes(data))
        # A model that cannot be read is not remembered: it is tried (and logged) again.
        _checked = now
    return _loaded[1]


def schedule_retrain() -> None:
    """Retrain soon, on the task queue (``SAMIZDAT_SPAM_AUTOTRAIN``: queue, inline, off).

    Queued a little later than the decision, once: a burst of decisions trains once.
    """
    from datetime import timedelta

    from django.utils import timezone

    from samizdat.antispam.tasks import retrain
    from samizdat.core.background import enqueue_once

    mode = app_settings.AUTOTRAIN
    if mode == "off":
        return
    if mode == "inline":
        retrain_now()
        return
    enqueue_once(retrain, run_after=timezone.now() + timedelta(seconds=app_settings.RETRAIN_DELAY))


def retrain_now() -> None:
    """Train, log what it learned from, and never raise (the old model stays)."""
    if app_settings.AUTOTRAIN == "off":
        return
    try:
        result = train()
    except Exception:
        # A failed training keeps the old model; the next decision tries again.
        log.exception("retraining the spam filter failed; the previous model stays")
        return
    log.info(
        "spam filter retrained on %d spam and %d approved comments in %.1f s%s",
        result.spam,
        result.ham,
        result.seconds,
        "" if result.trained else " (too few to learn from: it passes every comment)",
    )
