"""The admin offers the imports as an upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samizdat.publishing.models import Post
from tests.corpora import corpus_file

URL = reverse("admin:interchange_importedobject_upload")


@pytest.fixture
def editor(client, staff):
    client.force_login(staff)
    return client


def upload(client, name, **options):
    path = corpus_file(f"wxr/{name}")
    return client.post(
        URL, {"kind": "wxr", "file": SimpleUploadedFile(name, path.read_bytes()), **options}
    )


@pytest.mark.django_db
def test_upload_imports_and_reports(editor):
    response = upload(editor, "wpimporter_small-export.xml")
    assert response.status_code == 200
    assert 'id="import-report"' in response.content.decode()
    assert Post.objects.exists()


@pytest.mark.django_db
def test_upload_dry_run(editor):
    response = upload(editor, "wpimporter_small-export.xml", dry_run="on")
    assert "Dry run: nothing was saved" in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_upload_of_broken_file_shows_the_error(editor):
    response = upload(editor, "wpimporter_malformed.xml")
    html = response.content.decode()
    assert "wpimporter_malformed.xml is not well-formed XML at line 90" in html
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_only_staff(client):
    assert client.get(URL).status_code == 302
