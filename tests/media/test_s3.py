"""The media library in S3: against moto's S3-compatible server, on loopback."""

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from samizdat.media import processing

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3(settings):
    import boto3

    beside = Path(sys.executable).parent / "moto_server"
    server = str(beside) if beside.exists() else shutil.which("moto_server")
    if server is None:
        message = "moto_server (pip install 'moto[server]') is not installed"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    process = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials).create_bucket(
        Bucket="essays"
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "essays", "endpoint_url": endpoint, "region_name": "us-east-1",
                "access_key": "test", "secret_key": "test", "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }  # fmt: skip
    yield boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
    process.terminate()
    process.wait(timeout=10)


def test_an_upload_lands_in_the_bucket_and_pages_use_it(s3, make_post, client):
    out = io.BytesIO()
    Image.effect_noise((1300, 900), 50).convert("RGB").save(out, "JPEG")
    media = processing.store(out.getvalue(), "bucket.jpg", alt="In a bucket")
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="essays")["Contents"]}
    assert media.file.name in keys and len(keys) >= 3  # the photo, its 640 and 1024 copies
    assert media.url.startswith("http://127.0.0.1:") and "/essays/" in media.url
    assert default_storage.exists(media.file.name)
    post = make_post(body=f"![x]({media.url})")
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'width="{media.width}"' in page and "640w" in page
