"""Benchmark: processing an uploaded 12-megapixel photo (check, orient, strip, resize).

    python bench/media.py [--runs 5]

Makes a 4000x3000 JPEG with GPS EXIF (noise, so it does not compress to nothing),
then times `samizdat.media.processing.store` on it: Pillow's verify and decode, EXIF
orientation, re-encoding without EXIF, and the 640/1024/1600 copies with WebP beside
them where smaller. Median of --runs, each on fresh bytes (the library skips a file it
already has), with the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.update(
        SAMIZDAT_DATA_DIR=tempfile.mkdtemp(prefix="samizdat-bench-media-"),
        SECRET_KEY="bench-only-" + "x" * 40,
        DJANGO_SETTINGS_MODULE="samizdat.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "samizdat", "migrate", "-v0"], check=True)
    import django

    django.setup()
    from PIL import Image

    from samizdat.media import processing

    base = Image.effect_noise((4000, 3000), 40).convert("RGB")
    times, sizes = [], []
    for run in range(args.runs):
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (59.0, 56.0, float(run)), 3: "E", 4: (30.0, 18.0, 0.0)}
        exif[0x0112] = 6
        out = io.BytesIO()
        base.save(out, "JPEG", quality=90, exif=exif.tobytes())
        data = out.getvalue()
        sizes.append(len(data))
        started = time.perf_counter()
        media = processing.store(data, f"photo-{run}.jpg", alt="bench")
        times.append(time.perf_counter() - started)
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Pillow {Image.__version__}, {dt.date.today()}"
    )
    print(f"photo: 4000x3000 JPEG, {statistics.median(sizes) / 1e6:.1f} MB, GPS EXIF, rotated")
    print(
        f"processing: median {statistics.median(times) * 1000:.0f} ms "
        f"(runs: {', '.join(f'{t * 1000:.0f}' for t in times)} ms); kept "
        f"{media.width}x{media.height} and {len(media.variants)} widths "
        f"({sum(1 for v in media.variants if v['webp'])} with WebP)"
    )


if __name__ == "__main__":
    main()
