"""What a drawn map shows, in numbers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from retweetring.reports.maps.text import count_text

__all__ = ["MapResult"]


@dataclass(frozen=True)
class MapResult:
    """What a map shows, in numbers.

    Attributes
    ----------
    path : Path
        The PNG written.
    kind : str
        ``"community"`` or ``"ego"``.
    width, height : int
        The image size in pixels.
    accounts : int
        Accounts drawn (for an ego map, including the account in the centre).
    left_out : int
        Accounts that would be on the map but were left out by `top`.
    mutual_pairs : int
        Mutual pairs drawn.
    one_sided : int
        One-sided support relationships drawn.
    communities : int
        Communities with at least one account on the map (community map only).
    introductions : int
        Introduction opportunities drawn (ego map only).
    labelled : tuple of str
        Usernames of the accounts labelled on the map.
    account : str or None
        The ego map's account (username).
    """

    path: Path
    kind: str
    width: int
    height: int
    accounts: int
    left_out: int
    mutual_pairs: int
    one_sided: int
    communities: int = 0
    introductions: int = 0
    labelled: tuple[str, ...] = field(default=())
    account: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready plain data."""
        data = asdict(self)
        data["path"] = str(self.path)
        data["labelled"] = list(self.labelled)
        return data

    def summary(self) -> str:
        """Return one line saying what was drawn and what was left out."""
        what = "map" if self.kind == "community" else f"map of @{self.account}"
        parts = [
            count_text(self.accounts, "account"),
            count_text(self.mutual_pairs, "mutual pair"),
            f"{self.one_sided:,} one-sided",
        ]
        if self.kind == "community":
            parts.append(count_text(self.communities, "community"))
        else:
            parts.append(count_text(self.introductions, "introduction"))
        left = f"; {self.left_out:,} left out (--top)" if self.left_out else "; none left out"
        return f"wrote {what} to {self.path} ({self.width}x{self.height}): {', '.join(parts)}{left}"
