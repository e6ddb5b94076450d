"""A PostgreSQL server that asks for a password: retweetring takes it from the URL,
``PGPASSWORD`` or a password file (``~/.pgpass``, or the file ``PGPASSFILE`` names), and never
shows it; a wrong or missing one is one line with the URL masked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import postgres
import pytest
from conftest import invoke, started_server

SECRET = "s3cret-Pw"


@pytest.fixture(scope="module")
def locked() -> Iterator[postgres.Server]:
    with started_server(password=SECRET) as server:
        yield server


@pytest.fixture
def no_password_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No password from the environment or the home folder; returns an empty home."""
    for name in ("PGPASSWORD", "PGPASSFILE", "RETWEETRING_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def _accounts(url: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = invoke(url, "accounts", "--format", "json", env=env)
    return result.exit_code, result.output


def test_a_password_in_the_url_opens_the_database(locked, no_password_env) -> None:
    url = locked.url().replace("postgres@", f"postgres:{SECRET}@")
    code, output = _accounts(url)
    assert code == 0, output
    assert json.loads(output) == []


def test_pgpassword_gives_the_password(locked, no_password_env) -> None:
    code, output = _accounts(locked.url(), env={"PGPASSWORD": SECRET})
    assert code == 0, output
    assert SECRET not in output


@pytest.mark.parametrize("where", ["home", "PGPASSFILE"])
def test_a_password_file_gives_the_password(locked, no_password_env, where: str) -> None:
    passfile = no_password_env / (".pgpass" if where == "home" else "elsewhere.pgpass")
    passfile.write_text(f"*:*:*:postgres:{SECRET}\n")
    passfile.chmod(0o600)  # libpq ignores a password file others can read
    env = {"PGPASSFILE": str(passfile)} if where == "PGPASSFILE" else None
    code, output = _accounts(locked.url(), env=env)
    assert code == 0, output


def test_a_wrong_password_is_one_line_naming_the_masked_url(locked, no_password_env) -> None:
    url = locked.url().replace("postgres@", "postgres:not-the-password@")
    code, output = _accounts(url)
    assert code == 1
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert "not-the-password" not in output and "postgres:***@" in output
    assert "Traceback" not in output


def test_no_password_at_all_is_one_line_too(locked, no_password_env) -> None:
    url = locked.url()
    code, output = _accounts(url)
    assert code == 1
    assert len(output.strip().splitlines()) == 1, output
    assert url in output and "no password supplied" in output
