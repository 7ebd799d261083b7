"""The samizdat command: help with no configuration, and one plain line per expected failure."""

import os
import subprocess
import sys

import pytest

SAMIZDAT = [sys.executable, "-m", "samizdat"]


@pytest.fixture
def env(tmp_path):
    """A bare environment: no SECRET_KEY, no database URL, an empty data dir."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV"}
    values = {k: v for k, v in os.environ.items() if k in keep}
    values["SAMIZDAT_DATA_DIR"] = str(tmp_path / "data")
    return values


def run(env, *args):
    return subprocess.run(
        [*SAMIZDAT, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def assert_plain_failure(result, *words):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 2, result.stderr
    for word in words:
        assert word in result.stderr


@pytest.mark.parametrize("args", [[], ["--help"], ["help"], ["-h"]])
def test_help_needs_no_configuration_and_lists_ours_first(env, args):
    result = run(env, *args)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for name in ("demo", "serve", "import_wxr", "export_wxr", "providers", "migrate"):
        assert f"  {name} " in out
    assert out.index("  demo ") < out.index("  migrate ")
    for hidden in ("startproject", "runserver", "startapp", "makemigrations"):
        assert hidden not in out


def test_help_lists_every_samizdat_command():
    from pathlib import Path

    from samizdat import cli

    listed = {name for commands in cli.COMMANDS.values() for name, _text in commands}
    root = Path(cli.__file__).parent
    ours = {p.stem for p in root.glob("*/management/commands/*.py") if p.stem != "__init__"}
    assert ours <= listed


def test_a_commands_help_needs_no_configuration(env):
    result = run(env, "export_wxr", "--help")
    assert result.returncode == 0, result.stderr
    assert "--output" in result.stdout


def test_hidden_commands_are_refused(env):
    assert_plain_failure(run(env, "startproject", "x"), "not a samizdat command")


@pytest.mark.parametrize("command", [["migrate"], ["serve", "--port", "1"]])
def test_missing_secret_key_is_one_line(env, command):
    assert_plain_failure(run(env, *command), "SECRET_KEY is not set")


def test_createsuperuser_before_migrate(env):
    env["SECRET_KEY"] = "k" * 50
    result = run(env, "createsuperuser", "--noinput", "--username", "a", "--email", "a@b.org")
    assert_plain_failure(result, "samizdat migrate")


def test_export_to_a_missing_directory(env):
    env["SECRET_KEY"] = "k" * 50
    assert run(env, "migrate", "--verbosity", "0").returncode == 0
    result = run(env, "export_wxr", "-o", "/nonexistent/dir/x.xml")
    assert_plain_failure(result, "Cannot write /nonexistent/dir/x.xml")


def test_traceback_on_request(env):
    result = run(env, "migrate", "--traceback")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
