"""The README's production section, proved: its nginx site passes `nginx -t`, and its
commands run in order against a scratch directory, as far as they go without systemd."""

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
SITE = "essays.example.org"


def production_section() -> str:
    text = README.read_text()
    start = text.index("## Production deployment")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def code_blocks(section: str) -> list[tuple[str, str]]:
    """Return (language, code) for each fenced block, dedented as the list indents it."""
    blocks = []
    for match in re.finditer(r"^( *)```(\w*)\n(.*?)^\1```", section, re.M | re.S):
        blocks.append((match[2], textwrap.dedent(match[3])))
    return blocks


def require(tool: str) -> str:
    path = shutil.which(tool) or (
        f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else None
    )
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is required in CI (apt-get install nginx-light)")
        pytest.skip(f"{tool} not installed")
    return path


def test_steps_come_in_a_working_order():
    shell = "\n".join(code for lang, code in code_blocks(production_section()) if lang == "sh")
    order = [
        "useradd --system",
        "install -d -o samizdat",
        "python3 -m venv /opt/samizdat",
        "> /etc/samizdat.env",
        "samizdat migrate",
        "samizdat createsuperuser",
        "systemctl enable --now samizdat",
        "nginx -t",
    ]
    positions = [shell.index(step) for step in order]
    assert positions == sorted(positions), order
    assert "http2 on;" not in production_section().split("```nginx")[1].split("```")[0]


def test_nginx_site_passes_nginx_t(tmp_path):
    nginx = require("nginx")
    openssl = require("openssl")
    (site,) = [code for lang, code in code_blocks(production_section()) if lang == "nginx"]
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={SITE}", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = site.replace(f"/etc/letsencrypt/live/{SITE}/fullchain.pem", str(cert))
    site = site.replace(f"/etc/letsencrypt/live/{SITE}/privkey.pem", str(key))
    assert str(cert) in site and str(key) in site, "the site names certbot's certificate paths"
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\naccess_log off;\n{site}\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


# What cannot run here, and what stands in for it. Everything else runs as written.
SKIPPED = (
    "apt-get ",
    "useradd ",
    "systemctl ",
    "runuser -u postgres",
    "nginx -t",
    "/opt/samizdat/bin/pip ",
)


def test_documented_commands_run_in_order(tmp_path):
    blocks = code_blocks(production_section())
    scratch = tmp_path / "root"
    (scratch / "etc/nginx/sites-available").mkdir(parents=True)
    (scratch / "etc/nginx/sites-enabled").mkdir(parents=True)
    (scratch / "opt").mkdir()
    (site,) = [code for lang, code in blocks if lang == "nginx"]
    (scratch / "etc/nginx/sites-available/samizdat").write_text(site)
    venv_bin = Path(sys.executable).parent

    lines, skipped = [], []
    for lang, code in blocks:
        if lang != "sh":
            continue
        for line in code.splitlines():
            if line.strip().startswith(SKIPPED):
                skipped.append(line.strip())
                continue
            line = line.replace("/opt/samizdat/bin/samizdat", str(venv_bin / "samizdat"))
            line = line.replace("-o samizdat -g samizdat ", "")
            line = line.replace("runuser -u samizdat -- ", "")
            line = line.replace("samizdat createsuperuser", "samizdat createsuperuser --noinput")
            for path in ("/var/lib/samizdat", "/etc/samizdat.env", "/etc/nginx", "/opt/samizdat"):
                line = line.replace(path, f"{scratch}{path}")
            lines.append(line)
    database = os.environ.get("DATABASE_URL")
    script = "\n".join(lines)
    # The database: the test's own server in place of the one step 2 creates, or SQLite.
    documented = "DATABASE_URL=postgres://samizdat:PASSWORD@127.0.0.1:5432/samizdat"
    assert documented in script
    script = script.replace(
        documented, f"DATABASE_URL={scratch_database(database)}" if database else ""
    )
    script += (
        "\nsamizdat shell -c 'from django.contrib.auth.models import User;"
        ' assert User.objects.filter(is_superuser=True, username="owner").exists()\''
        "\ntest -L " + f"{scratch}/etc/nginx/sites-enabled/samizdat"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SAMIZDAT_", "SECRET_KEY", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SUPERUSER_USERNAME="owner",
        DJANGO_SUPERUSER_EMAIL="owner@example.org",
        DJANGO_SUPERUSER_PASSWORD="a long and unguessable pass phrase",
    )
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert (scratch / "etc/samizdat.env").stat().st_mode & 0o077 == 0, "the env file is private"
    assert re.search(r"^SECRET_KEY=\S{40,}$", (scratch / "etc/samizdat.env").read_text(), re.M)
    assert any(line.startswith("useradd ") for line in skipped)
    assert "systemctl enable --now samizdat" in skipped


def scratch_database(url: str) -> str:
    """Create an empty PostgreSQL database beside the test's, for the documented migrate."""
    import psycopg

    name = f"samizdat_readme_{os.getpid()}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name
