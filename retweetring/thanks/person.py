"""Who to thank across networks: the supporters of one person's linked accounts, by person.

The definitions (README, "Who to thank", across networks), for a person P (the account named
and every account linked to it with ``accounts link``; an unlinked account is a person of its
own) and a week:

- A **supporter** is every other person S with at least one support event in the week from
  one of S's accounts to one of P's accounts, on any network (support between P's own
  accounts is not support).
- ``retweets``: the sum over the networks of the distinct posts of P's accounts that S's
  accounts reposted that week (weights add, as in ``--platform all``).
- ``new``: no support event from any of S's accounts to any of P's accounts, on any network,
  before the week's start.
- ``returned``: one of P's accounts supported one of S's accounts, on any network, in the four
  ISO weeks that end with the week's end.
- ``thanked``: the thanks ledger holds one of S's accounts for one of P's accounts and the
  week.
- ``handles``: S's accounts on the networks P has an account on, network by network (X,
  Bluesky, Mastodon), the one that reposted P most that week first: where to thank S.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine

from retweetring.errors import NoDataError
from retweetring.people import (
    NETWORKS,
    Ref,
    accounts_by_person,
    person_of,
    person_ref,
    ref_labels,
)
from retweetring.store.session import connection
from retweetring.thanks.lists import (
    Handle,
    Supporter,
    ThankList,
    Week,
    as_week,
    has_retweets_in,
    returned_to,
    support_received,
    supported_before,
    thanked_ids,
)

__all__ = ["person_thank_list"]


def person_thank_list(
    db: Engine | Connection,
    name: str,
    week: Week | str | None = None,
    tz: str = "UTC",
    *,
    now: datetime | None = None,
    all_retweets: bool = False,
) -> ThankList:
    """Return who supported the person of the account ``name`` in ``week``, on any network.

    Parameters
    ----------
    db : Engine or Connection
        The database to read.
    name : str
        One of the person's accounts as ``platform:handle`` (``bluesky:bea.bsky.social``,
        ``mastodon:@bea@mastodon.social``); a name without ``platform:`` is an X username.
    week, tz, now, all_retweets
        As for :func:`~retweetring.thanks.lists.thank_list`.

    Returns
    -------
    ThankList
        Of ``platform`` ``all``: ``account`` is the person's first account, ``accounts`` all
        of them; each supporter is a person with their ``handles``.

    Raises
    ------
    UnknownAccountError
        No stored account is ``name``.
    NoDataError
        No repost at all is stored with a time in the week, on any network.
    """
    week = as_week(week, tz, now)
    with connection(db) as conn:
        persons = person_of(conn)
        me = person_ref(conn, name)
        grouped = accounts_by_person(persons)
        mine = grouped.get(me, [me])
        if not any(has_retweets_in(conn, week, platform) for platform in NETWORKS):
            raise NoDataError(
                f"no retweets, reposts or boosts stored in {week.describe()} on any network"
            )
        received: dict[Ref, dict[int, int]] = {}  # supporting account -> {P's account: posts}
        for platform, my_id in mine:
            counts = support_received(conn, my_id, week.window(), all_retweets, platform)
            for supporter_id, posts in counts.items():
                ref = (platform, supporter_id)
                if persons.get(ref, ref) != me:
                    received.setdefault(ref, {})[my_id] = posts
        networks = {platform for platform, _ in mine}
        theirs = {
            person: [ref for ref in grouped.get(person, [person]) if ref[0] in networks]
            for person in {persons.get(ref, ref) for ref in received}
        }
        earlier, returned, thanked = _flags(conn, mine, theirs, week, all_retweets)
        labels = ref_labels(conn, [*mine, *theirs, *(r for refs in theirs.values() for r in refs)])
    supporters = []
    for person, refs in theirs.items():
        handles = [
            Handle(
                platform,
                account_id,
                labels[platform, account_id].split(":", 1)[1],
                sum(received.get((platform, account_id), {}).values()),
                tuple(sorted(received.get((platform, account_id), {}))),
            )
            for platform, account_id in refs
        ]
        handles.sort(key=lambda h: (NETWORKS.index(h.platform), -h.retweets, h.username.lower()))
        supporters.append(
            Supporter(
                username=labels[person].split(":", 1)[1],
                account_id=person[1],
                retweets=sum(h.retweets for h in handles),
                new=not any(ref in earlier for ref in refs),
                returned=any(ref in returned for ref in refs),
                thanked=any(ref in thanked for ref in refs),
                handles=tuple(handles),
            )
        )
    supporters.sort(key=lambda s: (-s.retweets, s.username.lower(), s.username))
    return ThankList(
        account=labels[me].split(":", 1)[1],
        account_id=me[1],
        week=week,
        supporters=tuple(supporters),
        all_retweets=all_retweets,
        platform="all",
        accounts=tuple(labels[ref] for ref in mine),
    )


def _flags(
    conn: Connection,
    mine: list[Ref],
    theirs: dict[Ref, list[Ref]],
    week: Week,
    all_retweets: bool,
) -> tuple[set[Ref], set[Ref], set[Ref]]:
    """The supporters' accounts that supported P before the week, that P supported in the
    return weeks, and that the ledger holds for P and the week."""
    earlier: set[Ref] = set()
    returned: set[Ref] = set()
    thanked: set[Ref] = set()
    for platform, my_id in mine:
        ids = [i for refs in theirs.values() for p, i in refs if p == platform]
        if not ids:
            continue
        found = supported_before(conn, my_id, ids, week, all_retweets, platform)
        earlier |= {(platform, i) for i in found}
        found = returned_to(conn, my_id, ids, week, all_retweets, platform)
        returned |= {(platform, i) for i in found}
        thanked |= {(platform, i) for i in thanked_ids(conn, my_id, ids, week, platform)}
    return earlier, returned, thanked
