"""Where the database is (``--db``, ``$RETWEETRING_DB``, ``./retweetring.db``); the X API token."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from retweetring.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DB_ENV = "RETWEETRING_DB"
DEFAULT_DB_FILE = "retweetring.db"


def database_url(db: str | None = None) -> str:
    """Return the SQLAlchemy URL for a ``--db`` value, a file path or a URL.

    Parameters
    ----------
    db : str or None
        A file path or an SQLAlchemy URL; None falls back to ``$RETWEETRING_DB`` and then to
        ``./retweetring.db``.

    Examples
    --------
    >>> database_url("sqlite:///x.db")
    'sqlite:///x.db'
    >>> database_url("/tmp/rr.db")
    'sqlite:////tmp/rr.db'
    """
    value = db or os.environ.get(DB_ENV) or DEFAULT_DB_FILE
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


# --- X API credentials -------------------------------------------------------------------------

TOKEN_ENV = "X_BEARER_TOKEN"
CONFIG_ENV = "RETWEETRING_CONFIG"
CONFIG_FILE = "config.toml"


class Secret:
    """A credential that never shows itself in ``repr``, ``str``, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret itself, to hand to the HTTP client and nowhere else."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


def config_dir() -> Path:
    """Return retweetring's directory in the user's configuration directory.

    ``$XDG_CONFIG_HOME/retweetring`` (default ``~/.config/retweetring``) on Linux and other
    Unix systems, ``~/Library/Application Support/retweetring`` on macOS and
    ``%APPDATA%\\retweetring`` on Windows.
    """
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "retweetring"


def config_path() -> Path:
    """Return the configuration file: ``$RETWEETRING_CONFIG``, else ``config.toml`` there."""
    override = os.environ.get(CONFIG_ENV)
    return Path(override).expanduser() if override else config_dir() / CONFIG_FILE


def bearer_token() -> Secret:
    """Return the X API bearer token from ``$X_BEARER_TOKEN`` or the configuration file.

    The file is TOML with ``bearer_token = "..."`` in an ``[x]`` table. On Unix it must not be
    readable or writable by the group or others.

    Raises
    ------
    ConfigError
        No token is configured, the file can be read by others, is not valid TOML, or the token
        is not a plausible bearer token. The message never contains the token.
    """
    value = os.environ.get(TOKEN_ENV)
    where = f"${TOKEN_ENV}"
    if not value:
        path = config_path()
        if not path.is_file():
            raise ConfigError(
                f'no X API bearer token: set {TOKEN_ENV}, or put bearer_token = "..." under [x] '
                f"in {path} (chmod 600)"
            )
        value = _token_from_file(path)
        where = str(path)
    value = value.strip()
    if not value or not all(33 <= ord(ch) < 127 for ch in value):
        raise ConfigError(
            f"the bearer token in {where} is not valid: it must be one word of printable ASCII "
            "characters (copy it again from the X developer portal)"
        )
    return Secret(value)


def redact(text: str) -> str:
    """Return ``text`` with every configured secret replaced by ``***``.

    The secrets are the bearer token from the environment and from the configuration file
    (when it can be read); anything that goes wrong while looking for them is ignored.
    """
    secrets = [os.environ.get(TOKEN_ENV, "")]
    try:
        path = config_path()
        if path.is_file():
            with path.open("rb") as fh:
                x = tomllib.load(fh).get("x", {})
            secrets.append(str(x.get("bearer_token", "")) if isinstance(x, dict) else "")
    except Exception:  # redaction must never fail
        pass
    for secret in {s.strip() for s in secrets}:
        if len(secret) >= 8:
            text = text.replace(secret, "***")
    return text


def _token_from_file(path: Path) -> str:
    """Return ``[x] bearer_token`` from the configuration file, refusing a shared file."""
    if os.name == "posix":
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                f"{path} can be read or changed by other users (mode {stat.filemode(mode)}) and "
                f"holds your X API token; refusing to use it. Fix: chmod 600 {path}"
            )
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    section = data.get("x")
    token = section.get("bearer_token") if isinstance(section, dict) else None
    if not isinstance(token, str):
        raise ConfigError(f'{path}: no bearer_token = "..." under [x]')
    return token
