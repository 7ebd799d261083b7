"""The learned filter: its features, its model, training from decisions, the check."""

import io
import logging

import pytest
from django.core.management import call_command
from django.test import Client

from samizdat.antispam import learning
from samizdat.antispam.checks import LearnedFilter, Submission, Verdict
from samizdat.antispam.models import SpamModel
from samizdat.desk import services as desk
from samizdat.discussion.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db

SPAMMY = "Check out my channel!!! Subscribe to my channel http://my-channel.example"
REAL = "The second chapter reads the 1917 decrees too generously, I think."


def check(body, **fields):
    comment = Comment(author_name=fields.pop("author_name", "Ann"), body=body, **fields)
    return comment, LearnedFilter().check(Submission(comment, {}))


class TestFeatures:
    def test_what_matters_for_comment_spam_is_a_feature(self):
        found = learning.features(
            "CHECK OUT MY CHANNEL: https://www.Spam.com/x and spam.com/y!!! soooo",
            author_url="http://www.shop.example/page",
        )
        assert {"check out", "my channel", " chann"[:5]} <= set(found)
        assert found.count("#domain:spam.com") == 2, "each link's domain"
        assert {"#tld:com", "#links:2", "#repeated", "#exclamations"} <= set(found)
        assert "#capitals" not in found, "less than 60 % capitals"
        assert "#website:shop.example" in found
        assert "#capitals" in learning.features("PLEASE SUBSCRIBE TO ME NOW")

    def test_misspellings_share_pieces_with_the_word(self):
        assert {" sub", "subs", "scri"} <= set(learning.features("subscribe")) & set(
            learning.features("subscrib")
        )


class TestModel:
    def test_scores_as_scikit_learn_does(self, youtube):
        """The plain-Python score is the library's predict_proba, to rounding."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        documents = [learning.features(body, author) for author, body, _ in youtube]
        labels = [int(spam) for _, _, spam in youtube]
        model = learning.fit(((body, author, "", ""), spam) for author, body, spam in youtube)
        vectorizer = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=2)
        reference = LogisticRegression(C=10.0, max_iter=3000).fit(
            vectorizer.fit_transform(documents), labels
        )
        tests = [learning.features(SPAMMY), learning.features(REAL), ["never", "seen"]]
        expected = reference.predict_proba(vectorizer.transform(tests))[:, 1]
        assert [model.score(t) for t in tests] == pytest.approx(list(expected), abs=1e-6)
        assert model.score(tests[0]) > 0.9 > 0.4 > model.score(tests[1])

    def test_stored_and_read_back(self, youtube):
        model = learning.fit(((body, author, "", ""), spam) for author, body, spam in youtube[:200])
        again = learning.Model.from_bytes(model.to_bytes())
        assert again.score(learning.features(SPAMMY)) == pytest.approx(
            model.score(learning.features(SPAMMY)), abs=1e-4
        )

    @pytest.mark.parametrize(
        "data", [b"", b"not zlib", learning.zlib.compress(b'{"version": 1}'), b"x" * 10]
    )
    def test_unreadable_data_is_a_model_error(self, data):
        with pytest.raises(learning.ModelError):
            learning.Model.from_bytes(data)


class TestTraining:
    def test_too_few_examples_abstain(self, decided):
        decided(40)  # the first 40 rows of the Psy video: 32 spam, 8 real
        out = io.StringIO()
        call_command("spam", "train", stdout=out)
        assert out.getvalue().startswith("Not trained: 32 spam and 8 approved comments")
        assert "at least 20 of each" in out.getvalue()
        assert SpamModel.objects.get().abstains
        comment, results = check(SPAMMY)
        assert results == [] and comment.spam_score is None

    def test_trained_on_every_decision(self, decided):
        decided()
        out = io.StringIO()
        call_command("spam", "train", stdout=out)
        assert out.getvalue().startswith("Trained on 586 spam and 552 approved comments")
        stored = SpamModel.objects.get()
        assert (stored.spam_examples, stored.ham_examples, stored.abstains) == (586, 552, False)
        call_command("spam", "train", stdout=io.StringIO())
        assert SpamModel.objects.count() == 1, "one model is kept"

    def test_its_own_unreviewed_guesses_do_not_teach_it(
        self, decided, post, make_comment, admin_user
    ):
        decided()
        make_comment(post, status=CommentStatus.SPAM, spam_score=0.97)  # filed by the filter
        make_comment(post, status=CommentStatus.SPAM, spam_score=0.45)  # below spam: a person
        reviewed = make_comment(post, status=CommentStatus.APPROVED, spam_score=0.99)
        desk.perform("spam", [reviewed.pk], admin_user)  # a moderator filed it
        assert learning.train().spam == 586 + 2

    def test_pending_and_trash_teach_nothing(self, decided, post, make_comment):
        decided()
        make_comment(post, status=CommentStatus.PENDING)
        make_comment(post, status=CommentStatus.TRASH)
        result = learning.train()
        assert (result.spam, result.ham) == (586, 552)


class TestCheck:
    def test_passes_everything_before_any_model(self):
        comment, results = check(SPAMMY)
        assert results == [] and comment.spam_score is None

    def test_scores_and_files(self, decided, settings):
        decided()
        learning.train()
        comment, results = check(SPAMMY)
        assert [r.verdict for r in results] == [Verdict.SPAM]
        assert str(results[0]).startswith("spam: learned filter, score ")
        assert comment.spam_score > 0.9
        comment, results = check(REAL)
        assert results == [] and comment.spam_score < 0.4
        settings.SAMIZDAT_SPAM_HOLD_SCORE = 0.0
        (held,) = check(REAL)[1]
        assert held.verdict == Verdict.HOLD

    def test_unreadable_model_holds_and_logs(self, decided, caplog):
        decided()
        learning.train()
        SpamModel.objects.update(data=b"\x78\x9c truncated")
        learning.forget()
        from samizdat.antispam import degrade

        degrade._last.clear()
        with caplog.at_level(logging.WARNING, logger="samizdat.antispam.learning"):
            _comment, results = check(REAL)
        assert [str(r) for r in results] == ["held: learned filter unreadable"]
        assert "reading the learned spam filter failed" in caplog.text
        assert "zlib" in caplog.text or "Error" in caplog.text

    def test_missing_model_data_holds(self, decided):
        decided()
        learning.train()
        SpamModel.objects.update(data=b"")
        learning.forget()
        assert [str(r) for r in check(REAL)[1]] == ["held: learned filter unreadable"]

    def test_a_new_model_is_read_by_the_running_process(self, decided, settings):
        settings.SAMIZDAT_SPAM_MODEL_CHECK_SECONDS = 0
        assert check(SPAMMY)[1] == []
        decided()
        learning.train()  # as another process would: the row changes
        assert check(SPAMMY)[1][0].verdict == Verdict.SPAM


class TestThroughTheSite:
    def test_posted_spam_goes_to_spam_with_its_score(self, decided, comment_data):
        decided()
        learning.train()
        client = Client()
        client.post("/comments/post/", comment_data(body=SPAMMY, author_name="Spammer"))
        spam = Comment.objects.get(author_name="Spammer")
        assert spam.status == CommentStatus.SPAM and spam.spam_score > 0.9
        assert spam.moderation_reasons[0].startswith("spam: learned filter, score")
        Client(REMOTE_ADDR="198.51.100.7").post(
            "/comments/post/",
            comment_data(body=REAL, author_name="Reader", author_email="r@example.org"),
        )
        real = Comment.objects.get(author_name="Reader")
        assert real.status != CommentStatus.SPAM and real.spam_score < 0.4

    def test_moderators_decisions_retrain(
        self, decided, settings, post, make_comment, admin_user, django_capture_on_commit_callbacks
    ):
        settings.SAMIZDAT_SPAM_AUTOTRAIN = "inline"
        decided()
        wrong = make_comment(post, body="Subscribe to my channel for cheap followers")
        with django_capture_on_commit_callbacks(execute=True):
            desk.perform("spam", [wrong.pk], admin_user)
        assert SpamModel.objects.get().spam_examples == 587
        with django_capture_on_commit_callbacks(execute=True):
            desk.perform("not_spam", [wrong.pk], admin_user)
        assert SpamModel.objects.get().spam_examples == 586

    def test_trash_of_a_pending_comment_does_not_retrain(
        self, settings, post, make_comment, admin_user, django_capture_on_commit_callbacks
    ):
        settings.SAMIZDAT_SPAM_AUTOTRAIN = "inline"
        held = make_comment(post, status=CommentStatus.PENDING)
        with django_capture_on_commit_callbacks(execute=True):
            desk.perform("trash", [held.pk], admin_user)
        assert not SpamModel.objects.exists()

    def test_spam_queue_is_sorted_most_doubtful_first(self, post, make_comment, admin_client):
        for score, name in ((0.95, "Sure"), (None, "Unscored"), (0.61, "Doubtful"), (0.8, "Mid")):
            make_comment(post, status=CommentStatus.SPAM, spam_score=score, author_name=name)
        names = [c.author_name for c in desk.queue(desk.QueueFilter(status="spam"))]
        assert names == ["Doubtful", "Mid", "Sure", "Unscored"]
        page = admin_client.get("/admin/desk/?status=spam").content.decode()
        order = [page.index(f">{name}</strong>") for name in names]
        assert order == sorted(order)
        assert "Most doubtful first" in page


def _import_decided_export(tmp_path, youtube, capture) -> None:
    """Import 25 spam, 25 approved and 5 pending comments from a WordPress export."""
    from xml.sax.saxutils import escape

    from samizdat.interchange.importers import import_wxr

    spam = [row for row in youtube if row[2]][:25]
    real = [row for row in youtube if not row[2]][:30]
    statuses = ["spam"] * 25 + ["1"] * 25 + ["0"] * 5
    comments = "".join(
        f"<wp:comment><wp:comment_id>{n}</wp:comment_id>"
        f"<wp:comment_author>{escape(author)}</wp:comment_author>"
        f"<wp:comment_content>{escape(body)}</wp:comment_content>"
        f"<wp:comment_approved>{status}</wp:comment_approved></wp:comment>"
        for n, ((author, body, _), status) in enumerate(zip(spam + real, statuses, strict=True), 1)
    )
    wxr = tmp_path / "export.xml"
    wxr.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<item><title>Essay</title><content:encoded>Text</content:encoded>"
        "<wp:post_id>7</wp:post_id><wp:status>publish</wp:status>"
        "<wp:post_name>essay</wp:post_name><wp:post_type>post</wp:post_type>"
        f"{comments}</item></channel></rss>",
        encoding="utf-8",
    )
    with capture(execute=True):
        import_wxr(wxr)
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 5


class TestImport:
    def test_imported_statuses_train_the_filter(
        self, tmp_path, youtube, settings, django_capture_on_commit_callbacks
    ):
        """WordPress's spam and approved comments teach it; pending ones do not."""
        settings.SAMIZDAT_SPAM_AUTOTRAIN = "inline"
        _import_decided_export(tmp_path, youtube, django_capture_on_commit_callbacks)
        stored = SpamModel.objects.get()
        assert (stored.spam_examples, stored.ham_examples, stored.abstains) == (25, 25, False)
        assert check(SPAMMY)[1][0].verdict == Verdict.SPAM

    def test_the_import_leaves_training_to_the_worker(
        self, tmp_path, youtube, settings, django_capture_on_commit_callbacks, run_tasks
    ):
        """The import does not wait for training: it queues it, once."""
        settings.SAMIZDAT_SPAM_AUTOTRAIN = "queue"
        settings.SAMIZDAT_SPAM_RETRAIN_DELAY = 0
        _import_decided_export(tmp_path, youtube, django_capture_on_commit_callbacks)
        assert not SpamModel.objects.exists()
        results = list(run_tasks(due=True))
        assert [r.task_path for r in results].count("samizdat.antispam.tasks.retrain") == 1
        stored = SpamModel.objects.get()
        assert (stored.spam_examples, stored.ham_examples) == (25, 25)


def test_decisions_queue_one_retraining_for_the_worker(
    decided, settings, post, make_comment, admin_user, django_capture_on_commit_callbacks, run_tasks
):
    settings.SAMIZDAT_SPAM_AUTOTRAIN = "queue"
    settings.SAMIZDAT_SPAM_RETRAIN_DELAY = 0
    decided()
    first, second = make_comment(post), make_comment(post)
    with django_capture_on_commit_callbacks(execute=True):
        desk.perform("spam", [first.pk], admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        desk.perform("spam", [second.pk], admin_user)
    results = list(run_tasks(due=True))
    assert [r.task_path for r in results].count("samizdat.antispam.tasks.retrain") == 1
    assert SpamModel.objects.get().spam_examples == 588
