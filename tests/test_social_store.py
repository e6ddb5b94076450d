"""Storing Bluesky and Mastodon pages: string keys, one repost per pair, exact over approximate.

Every test runs on SQLite and on PostgreSQL (``any_db``).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic import command
from conftest import EXAMPLE, PERSONAL_TEXT, PROMO_TEXT
from sqlalchemy import func, select

from retweetring.graph import support_graph
from retweetring.records import (
    PLATFORM_BLUESKY,
    PLATFORM_MASTODON,
    SocialAccount,
    SocialPage,
    SocialPost,
    SocialRepost,
)
from retweetring.sources.ingest import import_file
from retweetring.store.session import (
    alembic_config,
    begin_write,
    create_db_engine,
    head_revision,
    open_database,
    upgrade,
)
from retweetring.store.social import (
    load_checkpoint,
    repost_id,
    save_checkpoint,
    social_id,
    write_social_page,
)
from retweetring.store.tables import accounts, approximate_retweets, retweets, tweets

BS = PLATFORM_BLUESKY
BEA, CAL = "did:plc:bea", "did:plc:cal"
CAL_POST = f"at://{CAL}/app.bsky.feed.post/1"
CAL_CHAT = f"at://{CAL}/app.bsky.feed.post/2"
SEEN = datetime(2026, 11, 20, 12)


def people() -> list[SocialAccount]:
    return [
        SocialAccount(BS, BEA, "bea.bsky.social", "Bea", SEEN),
        SocialAccount(BS, CAL, "cal.bsky.social", "Cal", SEEN),
    ]


def posts() -> list[SocialPost]:
    return [
        SocialPost(BS, CAL_POST, CAL, datetime(2026, 11, 18), PROMO_TEXT, ()),
        SocialPost(BS, CAL_CHAT, CAL, datetime(2026, 11, 18), PERSONAL_TEXT, ()),
    ]


def repost(original: str, at: datetime | None, exact: bool, key: str = "r") -> SocialRepost:
    return SocialRepost(BS, f"at://{BEA}/app.bsky.feed.repost/{key}", BEA, original, at, exact)


def write(engine, page: SocialPage, source: str = "test"):  # type: ignore[no-untyped-def]
    with begin_write(engine) as conn:
        return write_social_page(conn, page, BS, source=source)


def dump(engine) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)))
            for t in (accounts, tweets, retweets, approximate_retweets)
        }


@pytest.fixture
def engine(any_db: str):  # type: ignore[no-untyped-def]
    eng = open_database(any_db)
    yield eng
    eng.dispose()


def test_accounts_and_posts_keep_their_string_keys_under_derived_negative_ids(engine) -> None:
    write(engine, SocialPage(people(), posts(), [repost(CAL_POST, SEEN, False)]))
    with engine.connect() as conn:
        keys = dict(conn.execute(select(accounts.c.id, accounts.c.key)).all())
        post_keys = dict(conn.execute(select(tweets.c.id, tweets.c.key)).all())
    assert keys == {social_id(BS, BEA): BEA, social_id(BS, CAL): CAL}
    assert post_keys == {social_id(BS, CAL_POST): CAL_POST, social_id(BS, CAL_CHAT): CAL_CHAT}
    assert all(i < 0 for i in [*keys, *post_keys])


def test_writing_the_same_page_twice_changes_nothing(engine) -> None:
    page = SocialPage(people(), posts(), [repost(CAL_POST, SEEN, False)])
    first = write(engine, page)
    before = dump(engine)
    again = write(engine, page)
    assert dump(engine) == before
    assert (first.posts_new, first.reposts_new) == (2, 1)
    assert (again.posts_new, again.reposts_new, again.reposts_exact) == (0, 0, 0)


def test_an_exact_sighting_replaces_an_approximate_one_and_not_the_reverse(engine) -> None:
    write(engine, SocialPage(people(), posts(), [repost(CAL_POST, SEEN, False, "feed")]))
    exact_time = datetime(2026, 11, 19, 9, 30)
    done = write(engine, SocialPage([], [], [repost(CAL_POST, exact_time, True, "record")]))
    assert done.reposts_exact == 1 and done.reposts_new == 0
    later = write(engine, SocialPage([], [], [repost(CAL_POST, SEEN, False, "feed")]))
    assert later.reposts_exact == 0
    with engine.connect() as conn:
        rows = conn.execute(select(retweets.c.id, retweets.c.created_at, retweets.c.key)).all()
        marked = conn.scalar(select(func.count()).select_from(approximate_retweets))
    rid = repost_id(BS, BEA, CAL_POST)
    assert rows == [(rid, exact_time, f"at://{BEA}/app.bsky.feed.repost/record")]
    assert marked == 0


def test_on_one_page_the_exact_repost_wins(engine) -> None:
    exact_time = datetime(2026, 11, 19, 9, 30)
    page = SocialPage(
        people(),
        posts(),
        [repost(CAL_POST, SEEN, False, "a"), repost(CAL_POST, exact_time, True, "b")],
    )
    assert write(engine, page).reposts_new == 1
    with engine.connect() as conn:
        assert conn.scalar(select(retweets.c.created_at)) == exact_time
        assert conn.scalar(select(func.count()).select_from(approximate_retweets)) == 0


def test_a_repost_of_a_post_never_seen_is_not_attributed(engine) -> None:
    elsewhere = f"at://{CAL}/app.bsky.feed.post/99"
    done = write(engine, SocialPage(people(), posts(), [repost(elsewhere, SEEN, True)]))
    assert (done.unattributed, done.reposts_new) == (1, 0)


def test_reposts_of_promotional_posts_are_support_on_their_platform_only(engine) -> None:
    page = SocialPage(
        people(), posts(), [repost(CAL_POST, SEEN, True, "1"), repost(CAL_CHAT, SEEN, True, "2")]
    )
    write(engine, page)
    graph = support_graph(engine, platform=BS)
    bea, cal = social_id(BS, BEA), social_id(BS, CAL)
    assert list(graph.edges(data="weight")) == [(bea, cal, 1)]  # the personal post is not support
    assert graph.nodes[bea]["username"] == "bea.bsky.social"
    assert support_graph(engine).number_of_edges() == 0  # X (the default) is not mixed in
    assert support_graph(engine, platform=PLATFORM_MASTODON).number_of_edges() == 0


def test_a_handle_too_long_for_the_username_column_is_left_out_not_truncated(engine) -> None:
    long = "a" * 70 + ".example.com"
    write(engine, SocialPage([SocialAccount(BS, BEA, long, "Bea", SEEN)], [], []))
    with engine.connect() as conn:
        assert conn.execute(select(accounts.c.username, accounts.c.key)).all() == [(None, BEA)]


def test_checkpoints_are_saved_per_platform_and_member(engine) -> None:
    write(engine, SocialPage(people(), [], []))
    bea = social_id(BS, BEA)
    with begin_write(engine) as conn:
        assert load_checkpoint(conn, BS, bea) is None
        save_checkpoint(conn, BS, bea, {"sweep_cursor": "c1", "updated_at": SEEN})
        save_checkpoint(
            conn, BS, bea, {"newest": "at://x", "sweep_cursor": None, "updated_at": SEEN}
        )
        saved = load_checkpoint(conn, BS, bea)
    assert saved is not None
    assert (saved["newest"], saved["sweep_cursor"]) == ("at://x", None)


def test_a_database_filled_at_0004_upgrades_keeping_every_row(any_db: str) -> None:
    engine = create_db_engine(any_db)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    import_file(engine, EXAMPLE)
    columns = [accounts.c.platform, accounts.c.id, accounts.c.username]
    with engine.connect() as conn:
        before = {
            "accounts": sorted(conn.execute(select(*columns)).all()),
            "tweets": sorted(conn.execute(select(tweets.c.id, tweets.c.is_promotional)).all()),
            "retweets": sorted(conn.execute(select(retweets.c.id, retweets.c.created_at)).all()),
        }
    assert all(before.values())
    done = upgrade(engine)
    assert (done.before, done.after) == ("0004", head_revision())
    with engine.connect() as conn:
        assert sorted(conn.execute(select(*columns)).all()) == before["accounts"]
        assert (
            sorted(conn.execute(select(tweets.c.id, tweets.c.is_promotional)).all())
            == (before["tweets"])
        )
        assert (
            sorted(conn.execute(select(retweets.c.id, retweets.c.created_at)).all())
            == (before["retweets"])
        )
        assert conn.scalar(select(func.count()).where(accounts.c.key.is_not(None))) == 0
    write(engine, SocialPage(people(), posts(), [repost(CAL_POST, SEEN, True)]))
    assert support_graph(engine, platform=BS).number_of_edges() == 1
    engine.dispose()
