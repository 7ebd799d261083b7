"""import_wxr --media download: the corpus's attachments from a local stand-in server."""

import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from PIL import Image

from samizdat.media.models import MediaFile, MediaSource
from samizdat.publishing.models import Page, Post
from tests.corpora import corpus_file

pytestmark = pytest.mark.django_db(transaction=True)

OLD_HOST = "wpthemetestdata.files.wordpress.com"


class StandIn:
    """Serves every image path with a small JPEG, except: 404s, a slow one, a loop."""

    def __init__(self):
        self.hits: dict[str, int] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                if "dsc20050727" in self.path:
                    self.send_error(404)
                    return
                if self.path.endswith("canola2.jpg"):  # a redirect loop
                    self.send_response(302)
                    self.send_header("Location", self.path + "?again")
                    self.end_headers()
                    return
                if "?again" in self.path:
                    self.send_response(302)
                    self.send_header("Location", self.path.split("?")[0])
                    self.end_headers()
                    return
                if "/2013/" in self.path:
                    time.sleep(0.5)  # slow, but within the timeout
                if not re.search(r"\.(jpe?g|png|gif)$", self.path.split("?")[0]):
                    self.send_error(404)
                    return
                out = io.BytesIO()
                shade = sum(self.path.encode()) % 255
                Image.new("RGB", (900, 600), (shade, 80, 120)).save(out, "JPEG")
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(out.getvalue())))
                self.end_headers()
                self.wfile.write(out.getvalue())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def stand_in(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    server = StandIn()
    settings.SAMIZDAT_IMPORT_MEDIA_TEST_SERVER = server.url
    yield server
    server.server.shutdown()
    server.server.server_close()


def run_import(path) -> str:
    out = io.StringIO()
    call_command("import_wxr", str(path), "--media", "download", "--media-workers", "4", stdout=out)
    return out.getvalue()


def test_download_rewrite_resume_and_round_trip(stand_in, tmp_path):
    path = corpus_file("wxr/wpimporter_theme-unit-test-data.xml")
    output = run_import(path)
    downloaded = MediaSource.objects.count()
    assert downloaded > 20, output
    assert re.search(r"Media: \d+ downloaded, 0 already here, \d+ failed", output)
    assert (
        "not downloaded: https://wpthemetestdata.files.wordpress.com/2008/06/canola2.jpg" in output
    )
    assert "redirect" in output and "HTTP 404" in output
    # The posts now show the local copies, galleries included.
    for entry in [*Post.objects.all(), *Page.objects.all()]:
        for media in entry.attachments:
            failing = "dsc20050727" in media["url"] or "canola2" in media["url"]
            image = re.search(r"\.(jpe?g|png|gif)$", media["url"])
            if image and not failing:
                assert media["url"].startswith("/media/"), media
    kept = list(MediaSource.objects.values_list("url", flat=True))
    for entry in Post.objects.all():
        for url in kept:
            assert url not in entry.body
    assert any("/media/" in p.body_html for p in Post.objects.all())
    # A second run fetches nothing again; a re-import then a download is idempotent.
    hits = sum(stand_in.hits.values())
    again = run_import(path)
    assert MediaSource.objects.count() == downloaded
    assert MediaFile.objects.count() <= downloaded
    assert f"0 downloaded, {downloaded} already here" in again
    assert sum(stand_in.hits.values()) - hits <= len(re.findall("not downloaded", again)) * 12
    # Exported again, the attachments point at this site's copies.
    exported = tmp_path / "out.xml"
    call_command("export_wxr", "--output", str(exported), "--base-url", "https://new.example")
    text = exported.read_text()
    assert "<wp:attachment_url>https://new.example/media/" in text
