"""One person, several accounts: linking accounts across networks and their joint support graph.

``accounts link x:bakery_bea bluesky:bea.bsky.social`` makes the accounts one person, who is
shown as the first account named (and listed with all their accounts, ``platform:handle``).
Across networks (``--platform all``) support on any network counts for the person: the weight
of person A -> person B is the sum over the networks of the weights between their accounts
there (so one post shared on two networks and reposted on both counts twice), and support
between one person's own accounts is not support.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, insert, select, tuple_

from retweetring.errors import UnknownAccountError
from retweetring.graph import Window, support_graph
from retweetring.records import PLATFORM_X, PLATFORMS, account_label
from retweetring.store.queries import find_account, posting_counts
from retweetring.store.session import begin_write, connection
from retweetring.store.tables import account_links, accounts

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "NETWORKS",
    "accounts_by_person",
    "link_accounts",
    "network_graph",
    "parse_ref",
    "people_graph",
    "people_posting_counts",
    "person_of",
    "person_ref",
    "ref_labels",
    "unlink_accounts",
]

NETWORKS = PLATFORMS
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


def person_ref(db: Engine | Connection, text: str) -> Ref:
    """The person (their first account) that the account ``platform:handle`` belongs to.

    Raises
    ------
    UnknownAccountError
        As :func:`parse_ref`.
    """
    with connection(db) as conn:
        ref = parse_ref(conn, text)
        return person_of(conn).get(ref, ref)


def accounts_by_person(persons: dict[Ref, Ref]) -> dict[Ref, list[Ref]]:
    """Each linked person's accounts (from :func:`person_of`): the first one, then the
    others in network order.

    >>> accounts_by_person({("x", 1): ("x", 1), ("bluesky", -5): ("x", 1)})
    {('x', 1): [('x', 1), ('bluesky', -5)]}
    """
    others: dict[Ref, list[Ref]] = {}
    for ref, lead in persons.items():
        others.setdefault(lead, [])
        if ref != lead:
            others[lead].append(ref)
    return {
        lead: [lead, *sorted(rest, key=lambda ref: (NETWORKS.index(ref[0]), ref[1]))]
        for lead, rest in others.items()
    }


def ref_labels(db: Engine | Connection, refs: Sequence[Ref]) -> dict[Ref, str]:
    """Each account of ``refs`` as ``platform:handle`` (``x:bakery_bea``, ``bluesky:bea.bsky.
    social``, ``mastodon:bea@mastodon.social``; ``platform:id:N`` without a stored handle)."""
    found: dict[Ref, str | None] = {}
    with connection(db) as conn:
        for platform in NETWORKS:
            ids = [i for p, i in refs if p == platform]
            for start in range(0, len(ids), 500):
                query = select(accounts.c.id, accounts.c.username).where(
                    accounts.c.platform == platform, accounts.c.id.in_(ids[start : start + 500])
                )
                found.update({(platform, i): name for i, name in conn.execute(query)})
    return {ref: f"{ref[0]}:{account_label(ref[1], found.get(ref))}" for ref in refs}


def _label(conn: Connection, ref: Ref) -> str:
    return ref_labels(conn, [ref])[ref]


def people_graph(
    db: Engine | Connection, window: Window | None = None, *, all_retweets: bool = False
) -> nx.DiGraph:
    """The support graph of every network, one node per person; weights add across networks.

    Nodes are the ids of the persons' first accounts (X ids are positive, Bluesky and Mastodon
    ones negative, so they never clash), labelled with that account's username; ``accounts``
    holds every account of the person as ``platform:handle``, the first one first (see
    :func:`accounts_by_person`). ``first`` and ``last`` are the earliest and latest support on any
    network.
    """
    import networkx as nx

    merged = nx.DiGraph()
    with connection(db) as conn:
        persons = person_of(conn)
        leads = set(persons.values())
        ref_of: dict[int, Ref] = {}
        for platform in NETWORKS:
            graph = support_graph(
                conn, window or Window(), all_retweets=all_retweets, platform=platform
            )
            for node, data in graph.nodes(data=True):
                if persons.get((platform, node), (platform, node)) == (platform, node):
                    merged.add_node(node, **data)  # unlinked, or the person's first account
                    ref_of[node] = (platform, node)
            for u, v, data in graph.edges(data=True):
                a = persons.get((platform, u), (platform, u))
                b = persons.get((platform, v), (platform, v))
                if a == b:
                    continue  # a person's support of their own other account
                ref_of[a[1]], ref_of[b[1]] = a, b
                if merged.has_edge(a[1], b[1]):
                    edge = merged[a[1]][b[1]]
                    edge["weight"] += data["weight"]
                    edge["first"] = _pick_time(min, edge["first"], data["first"])
                    edge["last"] = _pick_time(max, edge["last"], data["last"])
                else:
                    merged.add_edge(a[1], b[1], **data)
        for lead in leads:
            if lead[1] in merged and "username" not in merged.nodes[lead[1]]:
                row = conn.execute(
                    select(accounts.c.username, accounts.c.name).where(
                        accounts.c.platform == lead[0], accounts.c.id == lead[1]
                    )
                ).first()
                merged.nodes[lead[1]]["username"] = account_label(lead[1], row[0] if row else None)
                merged.nodes[lead[1]]["name"] = (row[1] if row else None) or ""
        grouped = accounts_by_person(persons)
        labels = ref_labels(conn, [ref for refs in grouped.values() for ref in refs])
        for node, ref in ref_of.items():
            if ref in grouped:
                merged.nodes[node]["accounts"] = tuple(labels[r] for r in grouped[ref])
            else:  # unlinked: the username its network's graph gave it
                username = merged.nodes[node].get("username") or account_label(node, None)
                merged.nodes[node]["accounts"] = (f"{ref[0]}:{username}",)
    return merged


def people_posting_counts(
    db: Engine | Connection, window: Window | None = None
) -> dict[Ref, tuple[str, int, int]]:
    """Each person's original posts in ``window`` on every network and how many of them are
    promotional (:func:`~retweetring.store.queries.posting_counts`; a person's accounts add
    up), as ``person -> (name, originals, promotional)``; the name is the person's first
    account's handle, as in :func:`people_graph`."""
    totals: dict[Ref, list[int]] = {}
    names: dict[Ref, str] = {}
    with connection(db) as conn:
        persons = person_of(conn)
        for platform in NETWORKS:
            for row in posting_counts(conn, window, platform=platform):
                ref = (platform, row.id)
                lead = persons.get(ref, ref)
                if ref == lead:
                    names[lead] = account_label(row.id, row.username)
                total = totals.setdefault(lead, [0, 0])
                total[0] += row.originals
                total[1] += row.promotional
        unnamed = [lead for lead in totals if lead not in names]
        for ref, label in ref_labels(conn, unnamed).items():
            names[ref] = label.partition(":")[2]
    return {lead: (names[lead], originals, promo) for lead, (originals, promo) in totals.items()}


def network_graph(
    db: Engine | Connection,
    window: Window | None = None,
    *,
    all_retweets: bool = False,
    platform: str = PLATFORM_X,
) -> nx.DiGraph:
    """The support graph of one network (:func:`~retweetring.graph.support_graph`), or with
    ``platform="all"`` the persons' graph of every network (:func:`people_graph`)."""
    if platform == "all":
        return people_graph(db, window, all_retweets=all_retweets)
    return support_graph(db, window or Window(), all_retweets=all_retweets, platform=platform)


def _pick_time(pick: Callable[[list[datetime]], datetime], *times: datetime | None) -> Any:
    """``pick`` (min or max) of the times that are known; None when none is."""
    known = [t for t in times if t is not None]
    return pick(known) if known else None
