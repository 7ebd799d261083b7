"""The media library: what uploads are refused, what is kept, and how images are shown."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from samizdat.media.models import MediaFile

pytestmark = pytest.mark.django_db

GPS = 0x8825
ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def photo(width=2400, height=1600, *, gps=True, orientation=None, fmt="JPEG") -> bytes:
    """A noisy photo (so it does not compress to nothing) with GPS EXIF."""
    image = Image.effect_noise((width, height), 60).convert("RGB")
    exif = Image.Exif()
    if gps:
        exif[GPS] = {1: "N", 2: (59.0, 56.0, 0.0), 3: "E", 4: (30.0, 18.0, 0.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes()) if fmt == "JPEG" else image.save(out, fmt)
    return out.getvalue()


def upload(client, data: bytes, name="photo.jpg", alt="A street in Petrograd"):
    return client.post("/admin/media/upload/", {"file": io_file(data, name), "alt": alt})


def io_file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_photo_is_stripped_oriented_and_resized(admin_client):
    answer = upload(admin_client, photo(orientation=6))
    assert answer.status_code == 200, answer.content
    data = answer.json()
    media = MediaFile.objects.get(pk=data["id"])
    # Orientation 6 (rotate 90): the stored pixels are turned, and the tag is gone.
    assert (media.width, media.height) == (1600, 2400)
    with default_storage.open(media.file.name) as stored:
        image = Image.open(stored)
        exif = image.getexif()
        assert GPS not in exif and ORIENTATION not in exif
        assert image.size == (1600, 2400)
    assert [v["width"] for v in media.variants] == [640, 1024]
    for variant in media.variants:
        name = variant["url"].removeprefix("/media/")
        with default_storage.open(name) as stored:
            assert GPS not in Image.open(stored).getexif()
    assert data["markdown"] == f"![A street in Petrograd]({media.url})"
    assert media.alt == "A street in Petrograd"
    again = upload(admin_client, photo(orientation=6))
    assert again.json()["id"] != media.pk or MediaFile.objects.count() == 1


def test_webp_only_where_smaller(admin_client):
    media = MediaFile.objects.get(pk=upload(admin_client, photo()).json()["id"])
    for variant in media.variants:
        if variant["webp"]:
            jpeg = default_storage.size(variant["url"].removeprefix("/media/"))
            webp = default_storage.size(variant["webp"].removeprefix("/media/"))
            assert webp < jpeg


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("broken.jpg", lambda: photo()[:2000], "not an image that can be read"),
        ("report.jpg", lambda: b"%PDF-1.7\n1 0 obj <<>> endobj\n" * 50, "not an image"),
        (
            "logo.svg",
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG images are not accepted",
        ),
        ("huge.png", lambda: _huge_png(), "too many pixels"),
    ],
)
def test_bad_files_are_refused_clearly(admin_client, name, make, message):
    answer = upload(admin_client, make(), name=name)
    assert answer.status_code == 400
    assert message in answer.json()["error"]
    assert not MediaFile.objects.exists()
    assert not any(default_storage.listdir("")[1])


def _huge_png() -> bytes:
    """A 20,000 x 20,000 PNG (1 bit a pixel), written by hand: kilobytes, 400 megapixels."""
    width = height = 20_000
    packer = zlib.compressobj(9)
    row = b"\x00" * (width // 8 + 1)  # filter byte, then black pixels
    raw = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_too_large_a_file(admin_client, settings):
    settings.SAMIZDAT_UPLOAD_MAX_MB = 0.01
    answer = upload(admin_client, photo())
    assert answer.status_code == 400 and "larger than 0.01 MB" in answer.json()["error"]


def test_readers_get_sizes_srcset_and_lazy_loading(admin_client, make_post, client):
    first = MediaFile.objects.get(pk=upload(admin_client, photo()).json()["id"])
    second = MediaFile.objects.get(pk=upload(admin_client, photo(1800, 1200)).json()["id"])
    post = make_post(body=f"![First]({first.url})\n\nText.\n\n![]({second.url})\n")
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'width="{first.width}" height="{first.height}"' in page
    assert f"{first.variants[0]['url']} 640w" in page
    assert 'alt="First"' in page
    first_tag = page.split(f'src="{first.url}"', 1)[1].split(">", 1)[0]
    second_tag = page.split(f'src="{second.url}"', 1)[1].split(">", 1)[0]
    assert 'loading="lazy"' not in first_tag and 'loading="lazy"' in second_tag
    assert 'alt="A street in Petrograd"' in second_tag, "the library's alt fills an empty one"


def test_library_shows_use_and_refuses_to_delete_what_is_used(admin_client, make_post):
    media = MediaFile.objects.get(pk=upload(admin_client, photo()).json()["id"])
    post = make_post(title="Petrograd", body=f"![x]({media.url})")
    page = admin_client.get("/admin/media/").content.decode()
    assert "Used in:" in page and "Petrograd" in page
    admin_client.post(f"/admin/media/{media.pk}/delete/")
    assert MediaFile.objects.filter(pk=media.pk).exists()
    post.body = "No image now."
    post.save()
    admin_client.post(f"/admin/media/{media.pk}/delete/")
    assert not MediaFile.objects.exists()
    assert not default_storage.exists(media.file.name)


def test_files_are_served_safely(admin_client, client):
    media = MediaFile.objects.get(pk=upload(admin_client, photo()).json()["id"])
    response = client.get(media.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get("/media/../../etc/passwd").status_code == 404


def test_featured_image_in_feeds_and_share_tags(admin_client, make_post, client):
    import feedparser

    media = MediaFile.objects.get(pk=upload(admin_client, photo()).json()["id"])
    post = make_post(title="With a picture", featured_image=media)
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="http://testserver{media.url}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    feed = feedparser.parse(client.get("/feed/").content)
    entry = next(e for e in feed.entries if e.title == "With a picture")
    assert entry.enclosures[0].href == f"http://testserver{media.url}"
    assert entry.media_content[0]["url"] == f"http://testserver{media.url}"


def test_editor_preview_flags_missing_alt(admin_client):
    answer = admin_client.post("/admin/desk/write/preview/", {"body": "![](x.png) ![ok](y.png)"})
    assert answer.json()["missing_alt"] == 1
