"""One person, several accounts: linking accounts across networks and their joint support graph.

``accounts link x:bakery_bea bluesky:bea.bsky.social`` makes the accounts one person, who is
shown as the first account named. Across networks (``--platform all``) support on any network
counts for the person: the weight of person A -> person B is the sum over the networks of the
weights between their accounts there (so one post shared on two networks and reposted on both
counts twice), and support between one person's own accounts is not support.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, insert, select, tuple_

from retweetring.errors import UnknownAccountError
from retweetring.graph import Window, support_graph
from retweetring.records import PLATFORM_BLUESKY, PLATFORM_MASTODON, PLATFORM_X, account_label
from retweetring.store.queries import find_account
from retweetring.store.session import begin_write, connection
from retweetring.store.tables import account_links, accounts

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "NETWORKS",
    "link_accounts",
    "parse_ref",
    "people_graph",
    "person_of",
    "unlink_accounts",
]

NETWORKS = (PLATFORM_X, PLATFORM_BLUESKY, PLATFORM_MASTODON)
Ref = tuple[str, int]
"""An account as ``(platform, id)``."""


def parse_ref(db: Engine | Connection, text: str) -> Ref:
    """The stored account ``platform:handle`` names (``x:bakery_bea``, ``bluesky:bea.bsky.social``,
    ``mastodon:@bea@mastodon.social``); a name without ``platform:`` is an X username.

    Raises
    ------
    UnknownAccountError
        The platform is unknown or no stored account has that handle there.
    """
    platform, sep, handle = text.partition(":")
    if not sep:
        platform, handle = PLATFORM_X, text
    if platform not in NETWORKS:
        raise UnknownAccountError(
            f"{text!r}: say which network, as x:NAME, bluesky:HANDLE or mastodon:@user@server"
        )
    return platform, find_account(db, handle.lstrip("@"), platform)


def _persons(conn: Connection, refs: Sequence[Ref]) -> set[Ref]:
    """The persons (their first accounts) that ``refs`` already belong to."""
    query = select(account_links.c.person_platform, account_links.c.person_id).where(
        tuple_(account_links.c.platform, account_links.c.account_id).in_(list(refs))
    )
    return {(p, i) for p, i in conn.execute(query)}


def link_accounts(engine: Engine, names: Sequence[str]) -> list[str]:
    """Make the accounts ``names`` one person, shown as the first; returns their labels.

    An account already linked to others brings them along: the persons are merged.
    """
    with begin_write(engine) as conn:
        refs = list(dict.fromkeys(parse_ref(conn, name) for name in names))
        if len(refs) < 2:
            raise UnknownAccountError("name at least two different accounts to link")
        earlier = _persons(conn, refs)
        members = set(refs)
        if earlier:
            query = select(account_links.c.platform, account_links.c.account_id).where(
                tuple_(account_links.c.person_platform, account_links.c.person_id).in_(
                    list(earlier)
                )
            )
            members |= {(p, i) for p, i in conn.execute(query)}
        where = tuple_(account_links.c.platform, account_links.c.account_id).in_(list(members))
        conn.execute(delete(account_links).where(where))
        lead = refs[0]
        conn.execute(
            insert(account_links),
            [
                {"platform": p, "account_id": i, "person_platform": lead[0], "person_id": lead[1]}
                for p, i in sorted(members)
            ],
        )
        return [_label(conn, ref) for ref in refs]


def unlink_accounts(engine: Engine, names: Sequence[str]) -> list[str]:
    """Make these accounts their own persons again; returns their labels."""
    with begin_write(engine) as conn:
        refs = [parse_ref(conn, name) for name in names]
        for person in _persons(conn, refs):
            rest = [
                (p, i)
                for p, i in conn.execute(
                    select(account_links.c.platform, account_links.c.account_id).where(
                        account_links.c.person_platform == person[0],
                        account_links.c.person_id == person[1],
                    )
                )
                if (p, i) not in refs
            ]
            conn.execute(
                delete(account_links).where(
                    account_links.c.person_platform == person[0],
                    account_links.c.person_id == person[1],
                )
            )
            if len(rest) >= 2:
                lead = person if person in rest else min(rest)
                conn.execute(
                    insert(account_links),
                    [
                        {"platform": p, "account_id": i, "person_platform": lead[0],
                         "person_id": lead[1]}
                        for p, i in rest
                    ],
                )  # fmt: skip
        return [_label(conn, ref) for ref in refs]


def person_of(db: Engine | Connection) -> dict[Ref, Ref]:
    """Each linked account's person (its first account)."""
    with connection(db) as conn:
        return {
            (p, i): (pp, pi)
            for p, i, pp, pi in conn.execute(
                select(
                    account_links.c.platform,
                    account_links.c.account_id,
                    account_links.c.person_platform,
                    account_links.c.person_id,
                )
            )
        }


def _label(conn: Connection, ref: Ref) -> str:
    username = conn.scalar(
        select(accounts.c.username).where(accounts.c.platform == ref[0], accounts.c.id == ref[1])
    )
    return f"{ref[0]}:{account_label(ref[1], username)}"


def people_graph(
    db: Engine | Connection, window: Window | None = None, *, all_retweets: bool = False
) -> nx.DiGraph:
    """The support graph of every network, one node per person; weights add across networks.

    Nodes are the ids of the persons' first accounts (X ids are positive, Bluesky and Mastodon
    ones negative, so they never clash), labelled with that account's username. ``first`` and
    ``last`` are the earliest and latest support on any network.
    """
    import networkx as nx

    merged = nx.DiGraph()
    with connection(db) as conn:
        persons = person_of(conn)
        leads = set(persons.values())
        for platform in NETWORKS:
            graph = support_graph(
                conn, window or Window(), all_retweets=all_retweets, platform=platform
            )
            for node, data in graph.nodes(data=True):
                if persons.get((platform, node), (platform, node)) == (platform, node):
                    merged.add_node(node, **data)  # unlinked, or the person's first account
            for u, v, data in graph.edges(data=True):
                a = persons.get((platform, u), (platform, u))[1]
                b = persons.get((platform, v), (platform, v))[1]
                if a == b:
                    continue  # a person's support of their own other account
                if merged.has_edge(a, b):
                    edge = merged[a][b]
                    edge["weight"] += data["weight"]
                    edge["first"] = _pick_time(min, edge["first"], data["first"])
                    edge["last"] = _pick_time(max, edge["last"], data["last"])
                else:
                    merged.add_edge(a, b, **data)
        for lead in leads:
            if lead[1] in merged and "username" not in merged.nodes[lead[1]]:
                row = conn.execute(
                    select(accounts.c.username, accounts.c.name).where(
                        accounts.c.platform == lead[0], accounts.c.id == lead[1]
                    )
                ).first()
                merged.nodes[lead[1]]["username"] = account_label(lead[1], row[0] if row else None)
                merged.nodes[lead[1]]["name"] = (row[1] if row else None) or ""
    return merged


def _pick_time(pick: Callable[[list[datetime]], datetime], *times: datetime | None) -> Any:
    """``pick`` (min or max) of the times that are known; None when none is."""
    known = [t for t in times if t is not None]
    return pick(known) if known else None
