"""The exceptions retweetring raises; the CLI turns each into one line and a non-zero exit."""

from __future__ import annotations


class RetweetringError(Exception):
    """Base class of every error retweetring raises on purpose."""


class InputFileError(RetweetringError):
    """A file cannot be read as input at all (missing, unreadable, binary, empty)."""


class BadRecordError(RetweetringError):
    """One line or page of an input file is malformed; the rest of the file is still usable."""


class DatabaseError(RetweetringError):
    """The database cannot be opened, migrated or written."""


class SchemaTooNewError(DatabaseError):
    """The database was made by a newer retweetring than this one."""


class ConfigError(RetweetringError):
    """A configuration file or option is invalid."""


class UnknownAccountError(RetweetringError):
    """A username or id names no stored account."""


class UnknownTweetError(RetweetringError):
    """A tweet id names no stored tweet."""


class EmptyMapError(RetweetringError):
    """There is nothing to draw: no support in the window for the map asked for."""


class NoDataError(RetweetringError):
    """The database holds no data for the period asked about."""


class NotEnoughLabelsError(RetweetringError):
    """Too few tweets are marked promotional or personal to fit or measure a model."""


class MapSizeError(RetweetringError):
    """The image asked for is too small to hold a map's title and legend readably."""


class OutputError(RetweetringError):
    """An output file or folder cannot be written (full disk, no permission, ...)."""


class UnknownHandleError(RetweetringError):
    """A Bluesky or Mastodon handle names no account on its server."""


class AccountGoneError(RetweetringError):
    """A Bluesky or Mastodon account is suspended, deactivated or deleted."""


class ServerUnreachableError(RetweetringError):
    """A Bluesky or Mastodon server cannot be reached or keeps failing."""


class UnresolvedDidError(RetweetringError):
    """A Bluesky DID's document cannot be found, or names no personal data server."""
