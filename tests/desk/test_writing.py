"""The writer's desk: saving with revisions, conflicts, autosave, preview, preview links."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from samizdat.desk import writing
from samizdat.publishing.models import Post, PostStatus, Revision

pytestmark = pytest.mark.django_db

ESSAY = "Carr writes of the decrees.[^1]\n\n[^1]: Carr, p. 129.\n"


def form(**fields):
    data = {
        "title": "On the decrees",
        "slug": "",
        "excerpt": "",
        "body": ESSAY,
        "tags": "history, russia",
        "comments_open": "on",
        "status": "draft",
        "published_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "base_revision": "",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_only_staff_may_write(client, make_user):
    assert client.get("/admin/desk/write/").status_code == 302
    client.force_login(make_user())
    assert client.get("/admin/desk/write/").status_code == 302


def test_write_save_and_keep_a_revision(admin_client, admin_user):
    page = admin_client.get("/admin/desk/write/")
    assert page.status_code == 200 and b'id="preview"' in page.content
    response = admin_client.post("/admin/desk/write/", form())
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/desk/write/{post.pk}/"
    assert (post.title, post.slug, post.author) == ("On the decrees", "on-the-decrees", admin_user)
    assert sorted(t.name for t in post.tags.all()) == ["history", "russia"]
    assert 'class="footnote-ref"' in post.body_html or "footnote" in post.body_html
    (revision,) = post.revisions.all()
    assert (revision.kind, revision.body, revision.author) == ("save", ESSAY, admin_user)


def test_a_conflicting_save_is_shown_and_overwrites_nothing(
    admin_client, admin_user, client, make_user
):
    admin_client.post("/admin/desk/write/", form())
    post = Post.objects.get()
    base = writing.latest_save(post).pk
    # Another tab saves first...
    admin_client.post(f"/admin/desk/write/{post.pk}/", form(body="Theirwords", base_revision=base))
    # ...then this one, opened on the same revision.
    response = admin_client.post(
        f"/admin/desk/write/{post.pk}/", form(body="Minewords", base_revision=base)
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Not saved" in content and "Theirwords" in content and "Minewords" in content
    post.refresh_from_db()
    assert post.body == "Theirwords"
    assert post.revisions.count() == 2


def test_bad_input_keeps_the_text(admin_client, make_post):
    make_post(slug="taken")
    response = admin_client.post("/admin/desk/write/", form(slug="taken", body="Kept words."))
    assert response.status_code == 400
    assert b"Another post has this slug." in response.content
    assert b"Kept words." in response.content
    assert Post.objects.filter(title="On the decrees").count() == 0


def test_live_preview_renders_as_the_page(admin_client):
    answer = admin_client.post(
        "/admin/desk/write/preview/", {"body": ESSAY + "\n<script>x</script>"}
    )
    data = answer.json()
    assert "footnote" in data["html"] and "<script" not in data["html"]
    assert data["words"] >= 6 and data["minutes"] == 1


def test_autosave_makes_a_draft_and_is_offered_back(admin_client, admin_user):
    answer = admin_client.post(
        "/admin/desk/write/autosave/", {"post": "", "title": "Half", "body": "Half a thought"}
    ).json()
    post = Post.objects.get(pk=answer["post"])
    assert post.status == PostStatus.DRAFT and answer["url"] == f"/admin/desk/write/{post.pk}/"
    admin_client.post(
        "/admin/desk/write/autosave/",
        {"post": post.pk, "title": "Half", "body": "Half a thought, and more"},
    )
    assert post.revisions.filter(kind="autosave").count() == 1, "one autosave per writer"
    page = admin_client.get(f"/admin/desk/write/{post.pk}/").content.decode()
    assert "Restore the autosave" in page and "Half a thought, and more" in page


def test_revisions_compare_and_restore(admin_client):
    admin_client.post("/admin/desk/write/", form(body="Firstline\n"))
    post = Post.objects.get()
    base = writing.latest_save(post).pk
    admin_client.post(
        f"/admin/desk/write/{post.pk}/", form(body="Secondline\n", base_revision=base)
    )
    first, second = post.revisions.order_by("created_at", "id")
    page = admin_client.get(f"/admin/desk/write/{post.pk}/revisions/?a={first.pk}&b={second.pk}")
    content = page.content.decode()
    assert "Firstline" in content and "Secondline" in content and "diff_" in content
    admin_client.post(f"/admin/desk/revisions/{first.pk}/restore/")
    post.refresh_from_db()
    assert post.body == "Firstline\n"
    assert post.revisions.order_by("-created_at", "-id").first().kind == Revision.Kind.RESTORE


def test_future_time_schedules_and_the_preview_link_shows_it(admin_client, client):
    later = timezone.localtime() + timedelta(days=2)
    admin_client.post(
        "/admin/desk/write/",
        form(status="published", published_at=later.strftime("%Y-%m-%dT%H:%M")),
    )
    post = Post.objects.get()
    assert post.status == PostStatus.SCHEDULED and not post.is_live
    assert client.get(post.get_absolute_url()).status_code == 404
    page = admin_client.get(f"/admin/desk/write/{post.pk}/").content.decode()
    link = page.split('id="preview-link" readonly value="', 1)[1].split('"', 1)[0]
    path = link.split("testserver", 1)[1]
    shown = client.get(path)
    assert shown.status_code == 200 and b"Carr writes of the decrees." in shown.content
    assert shown["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in shown["Cache-Control"]
    assert client.get("/preview/forged/").status_code == 404
    with mock.patch("time.time", return_value=timezone.now().timestamp() - 8 * 86400):
        old = writing.preview_link_token(post)
    assert client.get(f"/preview/{old}/").status_code == 404


def test_editor_page_lists_tags_for_autocomplete(admin_client, make_post):
    post = make_post()
    post.tags.create(name="Revolution", slug="revolution")
    page = admin_client.get("/admin/desk/write/").content.decode()
    assert '<option value="Revolution">' in page
    assert json.dumps("x")


def test_sources_are_saved_with_the_post_in_their_order(admin_client):
    rows = {
        "sources-TOTAL_FORMS": "2",
        "sources-0-position": "2", "sources-0-key": "pipes1990", "sources-0-kind": "book",
        "sources-0-title": "The Russian Revolution", "sources-0-authors": "Richard Pipes",
        "sources-1-position": "1", "sources-1-key": "carr1950", "sources-1-kind": "book",
        "sources-1-title": "The Bolshevik Revolution", "sources-1-authors": "E. H. Carr",
        "sources-1-year": "1950",
    }  # fmt: skip
    response = admin_client.post(
        "/admin/desk/write/", form(body="See [@carr1950, p. 3] and [@ghost].", **rows)
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert [s.key for s in post.sources.all()] == ["carr1950", "pipes1990"]


def test_preview_uses_the_rows_as_they_stand_and_warns_of_unknown_keys(admin_client):
    rows = json.dumps([{"key": "carr1950", "kind": "book", "title": "The Bolshevik Revolution",
                        "authors": "E. H. Carr", "year": "1950"}])  # fmt: skip
    answer = admin_client.post(
        "/admin/desk/write/preview/",
        {"body": "As shown [@carr1950, pp. 129-135] and [@ghost].", "sources": rows},
    ).json()
    assert "(Carr 1950, 129\u2013135)" in answer["html"]
    assert answer["missing_keys"] == ["ghost"]


def test_pasted_bibtex_becomes_rows_and_bad_bibtex_an_error(admin_client):
    good = admin_client.post(
        "/admin/desk/write/sources/",
        {
            "text": "@book{carr1950, author={Carr, E. H.}, "
            "title={The Bolshevik Revolution}, year={1950}}"
        },
    )
    assert good.json()["rows"][0]["key"] == "carr1950"
    bad = admin_client.post("/admin/desk/write/sources/", {"text": "@book{oops, title={"})
    assert bad.status_code == 400 and "BibTeX" in bad.json()["error"]
