"""Where the database is: the ``--db`` option, ``RETWEETRING_DB``, or ``./retweetring.db``."""

from __future__ import annotations

import os
from pathlib import Path

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
