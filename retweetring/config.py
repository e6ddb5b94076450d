"""Where the database is (``--db``, ``$RETWEETRING_DB``, ``./retweetring.db``); the X API token
and the prices of its reads."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

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


# --- X API prices ------------------------------------------------------------------------------

PRICES_AS_OF = "February 2026"
"""When the default prices were X's public pay-per-use prices (docs.x.com, pricing)."""


@dataclass(frozen=True)
class Prices:
    """What X charges for reads, to estimate dollars from the ledger's counts.

    The defaults are X's public pay-per-use prices of :data:`PRICES_AS_OF`; ``[x.prices]`` in the
    configuration file overrides any of them.
    """

    post_read: float = 0.005
    """Dollars per post (tweet) read."""
    user_read: float = 0.010
    """Dollars per user read."""
    monthly_post_cap: int = 3_000_000
    """Post reads allowed in one billing period."""
    billing_day: int = 1
    """The day of the month (UTC) on which a billing period starts."""

    def cost(self, posts: int, users: int) -> float:
        """Dollars for ``posts`` post reads and ``users`` user reads."""
        return posts * self.post_read + users * self.user_read


def prices() -> Prices:
    """Return the read prices: the defaults, overridden by ``[x.prices]`` in the config file.

    Raises
    ------
    ConfigError
        The file is not valid TOML, or a price is not a number of the right range.
    """
    path = config_path()
    if not path.is_file():
        return Prices()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    section = data.get("x", {})
    table = section.get("prices", {}) if isinstance(section, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [x.prices] must be a table")
    known = {f.name: f for f in fields(Prices)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(
                f"{path}: [x.prices] has no setting {key!r} (known: {', '.join(known)})"
            )
        values[key] = _price_value(path, key, value, known[key].type == "int")
    if not 1 <= values.get("billing_day", 1) <= 31:
        raise ConfigError(f"{path}: [x.prices] billing_day must be a day of the month, 1 to 31")
    return Prices(**values)


def _price_value(path: Path, key: str, value: object, whole: bool) -> float | int:
    """One ``[x.prices]`` setting, checked: a number not below zero (a whole one if ``whole``)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(f"{path}: [x.prices] {key} must be a number not below zero")
    if whole:
        if value != int(value):
            raise ConfigError(f"{path}: [x.prices] {key} must be a whole number")
        return int(value)
    return float(value)
