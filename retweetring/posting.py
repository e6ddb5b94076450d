"""Posting balance: how much of what each account posts is promotional.

Not to be confused with :mod:`retweetring.analytics.balance`, which is support given and
received. Here the input is, per account, how many original tweets it posted in a window and
how many of those were promotional; no graph is needed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from statistics import median

__all__ = [
    "NEVER_SELLS",
    "ONLY_SELLS",
    "TOO_FEW",
    "PostingBalance",
    "PostingBalances",
    "posting_balance",
]

ONLY_SELLS = "only sells"
NEVER_SELLS = "never sells"
TOO_FEW = "too few tweets"


@dataclass(frozen=True, slots=True)
class PostingBalance:
    """One account's originals, how many were promotional, and how that compares.

    Attributes
    ----------
    account : hashable
        The account.
    originals : int
        Original tweets it posted in the window.
    promotional : int
        How many of them are promotional.
    share : float or None
        ``promotional / originals``; None when it posted no originals.
    from_median : float or None
        ``share - median``; None when either is None.
    mark : str
        ``"only sells"`` (every original promotional), ``"never sells"`` (none is),
        ``"too few tweets"`` (fewer originals than `min_tweets`), else ``""``.
    """

    account: Hashable
    originals: int
    promotional: int
    share: float | None
    from_median: float | None
    mark: str


@dataclass(frozen=True, slots=True)
class PostingBalances:
    """The community's posting balance.

    Attributes
    ----------
    accounts : list of PostingBalance
        Every account, by `share` descending (accounts without originals last), then by
        ``str(account)``.
    median : float or None
        The median `share` over the accounts with at least `min_tweets` originals; None
        when there are none.
    counted : int
        How many accounts the median is taken over.
    min_tweets : int
        The threshold used.
    """

    accounts: list[PostingBalance]
    median: float | None
    counted: int
    min_tweets: int


def posting_balance(
    counts: Mapping[Hashable, tuple[int, int]], *, min_tweets: int = 3
) -> PostingBalances:
    """Return each account's share of promotional tweets and how far it is from the median.

    Parameters
    ----------
    counts : mapping
        ``account -> (originals, promotional)``: original tweets posted in the window and
        how many of them are promotional.
    min_tweets : int
        Accounts with fewer originals are marked ``"too few tweets"`` and left out of the
        median (at least 1).

    Returns
    -------
    PostingBalances
        One `PostingBalance` per account, the median share and how many accounts it covers.

    Raises
    ------
    ValueError
        `min_tweets` is below 1, or a count is negative or has more promotional tweets
        than originals.

    Examples
    --------
    >>> result = posting_balance({"ann": (4, 4), "bob": (5, 0), "cy": (4, 1), "di": (2, 1)})
    >>> result.median, result.counted
    (0.25, 3)
    >>> for b in result.accounts:
    ...     print(b.account, b.originals, b.promotional, b.share, b.from_median, repr(b.mark))
    ann 4 4 1.0 0.75 'only sells'
    di 2 1 0.5 0.25 'too few tweets'
    cy 4 1 0.25 0.0 ''
    bob 5 0 0.0 -0.25 'never sells'
    """
    if min_tweets < 1:
        raise ValueError(f"min_tweets must be at least 1, not {min_tweets}")
    for account, (originals, promotional) in counts.items():
        if not 0 <= promotional <= originals:
            raise ValueError(
                f"{account}: {promotional} promotional of {originals} originals is impossible"
            )
    shares = {
        account: promotional / originals if originals else None
        for account, (originals, promotional) in counts.items()
    }
    counted = [
        share
        for account, share in shares.items()
        if share is not None and counts[account][0] >= min_tweets
    ]
    middle = median(counted) if counted else None
    result = [
        PostingBalance(
            account,
            originals,
            promotional,
            shares[account],
            _difference(shares[account], middle),
            _mark(originals, promotional, min_tweets),
        )
        for account, (originals, promotional) in counts.items()
    ]
    result.sort(key=_order)
    return PostingBalances(result, middle, len(counted), min_tweets)


def _difference(share: float | None, middle: float | None) -> float | None:
    return None if share is None or middle is None else share - middle


def _mark(originals: int, promotional: int, min_tweets: int) -> str:
    if originals < min_tweets:
        return TOO_FEW
    if promotional == originals:
        return ONLY_SELLS
    if promotional == 0:
        return NEVER_SELLS
    return ""


def _order(balance: PostingBalance) -> tuple[bool, float, str]:
    share = balance.share
    return (share is None, -(share or 0.0), str(balance.account))
