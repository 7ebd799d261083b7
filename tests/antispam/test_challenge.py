"""The proof-of-work challenge (ALTCHA): the endpoint, and the check on each answer."""

import base64
import json
import time
from unittest import mock

import altcha
import pytest

from samizdat.antispam import challenge
from samizdat.antispam.checks import ProofOfWork, Result, Submission, Verdict
from samizdat.discussion.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge_on(settings):
    settings.SAMIZDAT_COMMENTS_CHALLENGE = "on"
    settings.SAMIZDAT_COMMENTS_CHALLENGE_WORK = 50  # quick to answer in a test


def answer(issued: dict) -> str:
    """Do the work a reader's browser does, and encode the answer as the widget does."""
    solved = altcha.Challenge.from_dict(issued)
    solution = altcha.solve_challenge(solved)
    return altcha.Payload(solved, solution).to_base64()


def verdicts(payload: str):
    return ProofOfWork().check(Submission(Comment(body="x"), {"altcha": payload}))


def test_off_by_default(client):
    assert verdicts("") == []
    assert client.get("/comments/challenge/").status_code == 404


def test_the_endpoint_gives_a_fresh_signed_challenge(client, challenge_on):
    first = client.get("/comments/challenge/")
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"] or "max-age=0" in first["Cache-Control"]
    issued = first.json()
    assert issued["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert issued["signature"] and issued["parameters"]["keySignature"]
    assert client.get("/comments/challenge/").json() != issued
    assert client.post("/comments/challenge/").status_code == 405


def test_an_answer_passes_once(challenge_on):
    payload = answer(challenge.new_challenge())
    assert verdicts(payload) == []
    assert verdicts(payload) == [Result(Verdict.SPAM, "proof of work used before")]


def test_no_answer_holds(challenge_on):
    """A reader without JavaScript is held for a moderator, not refused."""
    assert verdicts("") == [Result(Verdict.HOLD, "no proof of work (the challenge is on)")]


def test_an_expired_answer_holds(challenge_on):
    with mock.patch("time.time", return_value=time.time() - 7200):
        issued = challenge.new_challenge()
    assert verdicts(answer(issued)) == [Result(Verdict.HOLD, "proof of work expired")]


@pytest.mark.parametrize("how", ["garbage", "easier", "wrong key", "unsigned"])
def test_a_forged_answer_is_spam(challenge_on, how):
    issued = challenge.new_challenge()
    payload = json.loads(base64.b64decode(answer(issued)))
    if how == "garbage":
        encoded = "not base64 json"
    else:
        if how == "easier":
            payload["challenge"]["parameters"]["cost"] = 1
        elif how == "wrong key":
            payload["solution"]["derivedKey"] = "00" * 32
        else:
            del payload["challenge"]["signature"]
        encoded = base64.b64encode(json.dumps(payload).encode()).decode()
    assert verdicts(encoded) == [Result(Verdict.SPAM, "proof of work not valid")]


def test_the_form_carries_the_widget_only_when_on(client, post, settings):
    page = client.get(post.get_absolute_url()).content.decode()
    assert "altcha-widget" not in page and "altcha.min.js" not in page
    settings.SAMIZDAT_COMMENTS_CHALLENGE = "on"
    from samizdat.pagecache.store import store

    store.invalidate()
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<altcha-widget challenge="/comments/challenge/" name="altcha"' in page
    assert "/static/antispam/altcha/altcha.min.js" in page
