"""Ready-to-post thank-you and #FollowFriday texts for a week's supporters (never posted).

Each draft fits its platform's length rule (:mod:`.post_length`: 280 as X counts them, 300
graphemes on Bluesky, 500 characters on Mastodon by default). When the supporters do not fit
in one post they are spread over as few posts as the greedy packing needs, numbered ``(1/3)``,
``(2/3)``, ... Every supporter is mentioned exactly once, in the order of the thank list (most
retweets first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from retweetring.thanks.lists import ThankList
from retweetring.thanks.post_length import LengthRule, length_rule

__all__ = ["OPENINGS", "STYLES", "draft_posts", "drafts", "drafts_by_network"]

OPENINGS = {
    "thanks": "Huge thanks to everyone who shared our posts this week \N{PERSON WITH FOLDED HANDS}",
    "followfriday": (
        "#FollowFriday: brilliant local businesses who backed us this week "
        "\N{WHITE DOWN POINTING BACKHAND INDEX}"
    ),
}
"""The opening line of each post, by style."""

STYLES = tuple(OPENINGS)


def drafts(thanks: ThankList, style: str = "thanks", rule: LengthRule | None = None) -> list[str]:
    """Return posts mentioning every supporter in ``thanks`` once; none when there are none.

    A supporter whose username is not stored (shown as ``id:NUMBER``) cannot be mentioned and
    is left out.

    Parameters
    ----------
    thanks : ThankList
        The week's supporters.
    style : str
        ``thanks`` (a thank-you) or ``followfriday`` (a #FollowFriday recommendation).
    rule : LengthRule, optional
        The platform's length rule (:func:`.post_length.length_rule`); X's by default.

    Examples
    --------
    >>> from retweetring.thanks.lists import Supporter, ThankList, Week
    >>> fans = [Supporter(name, 1, 2, False, True, False) for name in ("harbour_cafe", "kiln")]
    >>> print(drafts(ThankList("hollys_bakery", 0, Week(2026, 47), tuple(fans)))[0])
    Huge thanks to everyone who shared our posts this week 🙏
    @harbour_cafe @kiln
    """
    if style not in OPENINGS:
        raise ValueError(f"unknown draft style {style!r}; choose one of {', '.join(STYLES)}")
    known = [s.username for s in thanks.supporters if not s.username.startswith("id:")]
    return draft_posts(known, OPENINGS[style], rule)


def drafts_by_network(
    thanks: ThankList, limits: dict[str, int] | None = None
) -> dict[str, dict[str, list[str]]]:
    """Return the drafts of every style for each network the thanked account (or person)
    posts on, as ``{network: {style: posts}}``, each by that network's length rule.

    Across networks (a list of ``platform`` ``all``), a network's drafts mention the
    supporters that have an account there, by that account (:meth:`ThankList.on`); the
    others are thanked on the other networks. ``limits`` replaces a network's longest post.

    Raises
    ------
    ValueError
        One mention does not fit in a post even on its own.
    """
    limits = limits or {}
    return {
        network: {
            style: drafts(thanks.on(network), style, length_rule(network, limits.get(network)))
            for style in STYLES
        }
        for network in thanks.networks
    }


def draft_posts(
    usernames: Sequence[str], opening: str, rule: LengthRule | None = None
) -> list[str]:
    """Return posts of ``opening`` and mentions of ``usernames``, each fitting ``rule``
    (X's length rule by default). A username is written after ``@`` as given, so a Mastodon
    account elsewhere is ``bea@mastodon.social``.

    Raises
    ------
    ValueError
        One mention does not fit in a post even on its own.
    """
    if not usernames:
        return []
    rule = rule or length_rule("x")
    count = 1
    for _ in range(10):
        posts = _pack(usernames, lambda i, n=count: _heading(opening, i, n), rule)
        if len(posts) <= count:
            break
        count = len(posts)
    return [
        f"{_heading(opening, i, len(posts))}\n{' '.join(mentions)}"
        for i, mentions in enumerate(posts, 1)
    ]


def _heading(opening: str, number: int, total: int) -> str:
    return opening if total == 1 else f"{opening} ({number}/{total})"


def _pack(
    usernames: Sequence[str], heading: Callable[[int], str], rule: LengthRule
) -> list[list[str]]:
    limit, measure = rule.limit, rule.measure
    posts: list[list[str]] = []
    current: list[str] = []
    for username in usernames:
        mention = f"@{username}"
        candidate = [*current, mention]
        if measure(f"{heading(len(posts) + 1)}\n{' '.join(candidate)}") <= limit:
            current = candidate
            continue
        if not current:
            raise ValueError(f"{mention} does not fit in a post of {limit} characters")
        posts.append(current)
        current = [mention]
        if measure(f"{heading(len(posts) + 1)}\n{mention}") > limit:
            raise ValueError(f"{mention} does not fit in a post of {limit} characters")
    posts.append(current)
    return posts
