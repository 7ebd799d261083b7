"""The page cache: hits before Django, invalidation, privacy, conditional GET."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.socialaccount.models import SocialApp
from django.utils import timezone

from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.services import moderate
from samizdat.pagecache.store import store
from samizdat.publishing.models import PostStatus


@pytest.fixture
def essay(make_post, make_comment):
    post = make_post("An essay", body="The *text* of the essay.")
    make_comment(post, body="First approved comment.")
    return post


def test_second_anonymous_read_is_a_hit_with_the_same_page(cached, essay):
    url = essay.get_absolute_url()
    first = cached.get(url)
    assert first.status_code == 200 and not first.hit
    second = cached.get(url)
    assert second.hit and cached.rendered == 1
    assert second.content == first.content
    assert "First approved comment." in second.text
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Cache-Control"].startswith("public")
    # Shared pages carry no cookie and no CSRF token (the form's script fetches one).
    assert "Set-Cookie" not in second.headers
    assert 'name="csrfmiddlewaretoken" value=""' in second.text
    # The security headers Django's middleware added are kept with the page.
    assert second.headers["X-Frame-Options"] == "DENY"
    assert second.headers["X-Content-Type-Options"] == "nosniff"


def test_conditional_get_answers_304(cached, essay):
    url = essay.get_absolute_url()
    first = cached.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = cached.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    assert cached.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert cached.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/", "/feed/", "/comments/feed/", "/sitemap.xml", "/category/essays/"],
)
def test_reader_pages_are_kept(cached, essay, url, make_post):
    from samizdat.publishing.models import Category

    category = Category.objects.create(slug="essays", name="Essays")
    essay.categories.add(category)
    store.invalidate()
    first = cached.get(url)
    assert first.status_code == 200, url
    assert cached.get(url).hit, url


def test_other_pages_are_not_kept(cached, essay, staff, client):
    assert not cached.get("/no/such/page/").hit
    assert not cached.get("/no/such/page/").hit  # 404s are rendered each time
    cached.get("/admin/login/")
    assert not cached.get("/admin/login/").hit
    assert not cached.get(essay.get_absolute_url() + "?replytocom=1").hit


def test_every_change_makes_the_page_fresh(
    cached, essay, make_comment, django_capture_on_commit_callbacks
):
    url = essay.get_absolute_url()
    cached.get(url)
    assert cached.get(url).hit

    with django_capture_on_commit_callbacks(execute=True):
        comment = make_comment(essay, body="A new approved comment.")
    page = cached.get(url)
    assert not page.hit and "A new approved comment." in page.text
    assert cached.get(url).hit

    # A moderation action in bulk (the admin's), which saves no comment itself.
    with django_capture_on_commit_callbacks(execute=True):
        moderate([comment], CommentStatus.SPAM)
    page = cached.get(url)
    assert not page.hit and "A new approved comment." not in page.text

    with django_capture_on_commit_callbacks(execute=True):
        essay.title = "An edited essay"
        essay.save()
    assert "An edited essay" in cached.get(url).text

    # Site settings readers see: the ways to log in offered by the comment form.
    assert "Log in with GitHub" not in cached.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        SocialApp.objects.create(provider="github", name="GitHub", client_id="x", secret="y")
    page = cached.get(url)
    assert not page.hit and "Log in with GitHub" in page.text


def test_a_change_during_a_render_leaves_that_render_stale(cached, essay, monkeypatch):
    """The generation is read before rendering: a page made from old data is not kept fresh."""
    from samizdat.pagecache import middleware

    url = essay.get_absolute_url()
    real_keep = middleware.PageCacheMiddleware.keep

    def keep_after_a_change(self, request, response):
        store.invalidate()  # another worker committed a change while this one rendered
        return real_keep(self, request, response)

    monkeypatch.setattr(middleware.PageCacheMiddleware, "keep", keep_after_a_change)
    cached.get(url)
    monkeypatch.setattr(middleware.PageCacheMiddleware, "keep", real_keep)
    assert not cached.get(url).hit


def test_readers_with_a_session_get_the_shared_page_and_their_own_parts_apart(
    cached, essay, reader_client
):
    url = essay.get_absolute_url()
    # Reader A posts a comment held for moderation: their session remembers it.
    alice = reader_client()
    response = alice.client.post(
        "/comments/post/",
        {
            "post_id": essay.pk,
            "body": "Alice's comment awaiting moderation.",
            "author_name": "Alice Private",
            "author_email": "alice@example.org",
            "remember": "on",
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get(author_name="Alice Private")
    assert comment.status == CommentStatus.PENDING
    # Sent to an address of her own (never shared) where she sees it, scripts or not.
    assert f"?unapproved={comment.pk}#comment-{comment.pk}" in response["Location"]
    own = alice.client.get(response["Location"].split("#")[0])
    assert "Alice's comment awaiting moderation." in own.content.decode()
    assert "private" in own["Cache-Control"]
    assert alice.client.cookies["samizdat_personal"].value == "1"

    # The post's address: the shared page, rendered as for nobody, even when Alice's
    # request is the one that renders it.
    first = alice.get(url)
    assert "samizdat_personal" in alice._cookies()["HTTP_COOKIE"]
    for page in (first, alice.get(url)):
        assert "Alice's comment" not in page.text and "alice@example.org" not in page.text
        assert "Alice Private" not in page.text
    assert alice.get(url).hit
    # Her own parts come from one small private request.
    me = alice.client.get("/identity/me/", {"post_id": essay.pk})
    assert "no-store" in me["Cache-Control"]
    parts = me.json()
    assert parts["author"] == {"author_name": "Alice Private", "author_email": "alice@example.org",
                               "author_url": "", "remember": True}  # fmt: skip
    (pending,) = parts["pending"]
    assert pending["id"] == comment.pk and pending["in"] is None
    assert "Alice's comment awaiting moderation." in pending["html"]
    assert "Your comment is awaiting moderation." in pending["html"]

    # Reader B: the same shared page, and nothing of Alice's from the small request.
    bob = reader_client()
    shared = bob.get(url)
    assert shared.hit and shared.content == first.content
    theirs = bob.client.get("/identity/me/", {"post_id": essay.pk}).json()
    assert theirs["author"] is None and theirs["pending"] == []
    assert "alice" not in str(theirs).lower()


def test_a_logged_in_commenter_is_served_the_shared_page(cached, essay, make_user):
    url = essay.get_absolute_url()
    cached.get(url)
    assert cached.get(url).hit
    user = make_user("carol", first_name="Carol", last_name="Reader")
    cached.client.force_login(user)
    page = cached.get(url)
    assert page.hit and "Carol" not in page.text
    me = cached.client.get("/identity/me/", {"post_id": essay.pk}).json()
    assert me["identity"]["display_name"] == "Carol Reader" and me["csrf_token"]


def test_staff_are_never_served_the_shared_page(cached, essay, staff, make_comment):
    url = essay.get_absolute_url()
    make_comment(essay, body="Waiting for the editor.", status=CommentStatus.PENDING)
    cached.get(url)
    assert cached.get(url).hit
    login = cached.client.post(
        "/admin/login/", {"username": "editor", "password": "correct horse battery staple"}
    )
    assert login.status_code == 302 and cached.client.cookies["samizdat_staff"].value == "1"
    page = cached.get(url)
    assert not page.hit and "Waiting for the editor." in page.text and "Approve" in page.text
    assert "private" in page.headers["Cache-Control"]
    cached.client.post("/admin/logout/")
    assert cached.client.cookies["samizdat_staff"].value == ""  # deleted
    assert "Waiting for the editor." not in cached.get(url).text


def test_a_protected_post_is_never_shared(cached, make_post, reader_client):
    post = make_post("Locked", body="Behind a password.", password="open sesame")
    url = post.get_absolute_url()
    stranger = cached.get(url)
    assert "Behind a password." not in stranger.text and not cached.get(url).hit
    reader = reader_client()
    reader.client.post(url, {"post_password": "open sesame"})
    page = reader.get(url)
    assert not page.hit and "Behind a password." in page.text
    assert "Behind a password." not in cached.get(url).text


def test_a_form_without_token_comes_back_with_the_text_kept(essay):
    """A reader without scripts posts from a shared page: nothing typed is lost."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/comments/post/",
        {
            "post_id": essay.pk,
            "body": "Typed without scripts.",
            "author_name": "No Script",
            "author_email": "noscript@example.org",
        },
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "Typed without scripts." in text and "noscript@example.org" in text
    assert "press the button again" in text
    token = client.cookies["csrftoken"].value
    assert token
    again = client.post(
        "/comments/post/",
        {
            "post_id": essay.pk,
            "body": "Typed without scripts.",
            "author_name": "No Script",
            "author_email": "noscript@example.org",
            "csrfmiddlewaretoken": _form_token(text),
        },
    )
    assert again.status_code == 302
    assert Comment.objects.filter(body="Typed without scripts.").exists()


def _form_token(html: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_switched_off_nothing_is_kept(cached, essay, settings):
    settings.SAMIZDAT_PAGE_CACHE = False
    url = essay.get_absolute_url()
    first = cached.get(url)
    assert not cached.get(url).hit and cached.rendered == 2
    assert 'name="csrfmiddlewaretoken" value=""' not in first.text


def test_a_scheduled_post_going_live_bounds_how_long_pages_are_kept(cached, essay, make_post):
    soon = timezone.now() + dt.timedelta(seconds=30)
    make_post("Coming soon", status=PostStatus.SCHEDULED, published_at=soon)
    store.invalidate()
    cached.get("/")
    entry = store.lookup(next(iter(store.local)))
    assert entry is not None
    assert entry.expires <= soon.timestamp() + 1


def test_an_import_makes_pages_fresh(cached, essay, tmp_path, django_capture_on_commit_callbacks):
    from samizdat.interchange.importers import import_wxr

    cached.get("/")
    assert cached.get("/").hit
    wxr = tmp_path / "one.xml"
    wxr.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><item><title>Imported essay</title><wp:post_id>9</wp:post_id>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>"
        "</channel></rss>"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        import_wxr(wxr, background=False)
    # Only the import's own call: the imported post was written without signals.
    invalidations = [c for c in callbacks if c.__name__ == "invalidate"]
    assert len(invalidations) == 1
    invalidations[0]()
    page = cached.get("/")
    assert not page.hit and "Imported essay" in page.text


def test_an_unusable_generation_file_means_no_cache_not_errors(cached, essay, tmp_path, caplog):
    """A data dir the server may not write (a command once run as root): pages still work."""
    from samizdat.pagecache.store import FileGeneration

    blocked = tmp_path / "not-a-file"
    blocked.mkdir()  # a directory where the file should be: opening it fails
    real = store._generation
    store._generation = FileGeneration(blocked)
    try:
        url = essay.get_absolute_url()
        assert cached.get(url).status_code == 200
        again = cached.get(url)
        assert again.status_code == 200 and not again.hit
        store.invalidate()
        assert "cannot use" in caplog.text
    finally:
        store._generation = real


def test_head_is_served_from_a_kept_get_but_never_kept_itself(cached, essay):
    url = essay.get_absolute_url()
    first = cached.get(url, method="HEAD")
    assert not first.hit and first.content == b""
    page = cached.get(url)
    assert not page.hit and "First approved comment." in page.text
    head = cached.get(url, method="HEAD")
    assert head.hit and head.content == b""
    assert head.headers["Content-Length"] == str(len(page.content))


def test_keys_follow_the_scheme_and_host_django_sees(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    base = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_HOST": "Essays.Example.org"}
    plain = store.key(base)
    secure = store.key({**base, "HTTP_X_FORWARDED_PROTO": "https, http"})
    assert plain != secure and "|https|essays.example.org|/" in secure
    assert store.key({**base, "HTTP_X_FORWARDED_PROTO": "http"}) == plain
    assert store.key({**base, "QUERY_STRING": "s=x"}) is None
    # A session is served the shared page (its own parts come apart); staff and a
    # message to show are not.
    assert store.key({**base, "HTTP_COOKIE": "sessionid=abc; other=1"}) == plain
    assert store.key({**base, "HTTP_COOKIE": "sessionid=abc; samizdat_staff=1"}) is None
    assert store.key({**base, "HTTP_COOKIE": "messages=abc"}) is None
    assert store.key({**base, "HTTP_COOKIE": "csrftoken=abc"}) == plain
    assert store.key({**base, "REQUEST_METHOD": "POST"}) is None
