"""Importing the X data export: zip, extracted folder, bare tweets.js; support from retweets."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retweetring.errors import BadRecordError, InputFileError
from retweetring.graph import support_graph
from retweetring.sources import archive as archive_module
from retweetring.sources.archive import open_archive, parse_archive_time, synthetic_tweet_id
from retweetring.sources.ingest import import_file
from retweetring.store.session import open_database

PROMO = "Fresh sourdough today, 20% off all loaves - order now at the shop!"
PERSONAL = "What a beautiful sunrise over the harbour this morning."
OWNER_ID = "900100"


class XArchive:
    """Builds an X data export by hand, in the older (top-level) or newer ({"tweet"}) shape."""

    START = datetime(2026, 10, 5, 9, 0, 0)

    def __init__(
        self, username: str = "harbour_cafe", name: str = "The Harbour Café", shape: str = "new"
    ) -> None:
        self.owner = {"accountId": OWNER_ID, "username": username, "accountDisplayName": name}
        self.website: str | None = None
        """The website in data/profile.js; None: the archive has no profile.js."""
        self.shape = shape
        self.parts: list[list[dict[str, Any]]] = [[]]
        self._next = 1_800_000_000_000_000_000

    def _add(self, text: str, mentions: list[dict[str, str]], part: int) -> str:
        self._next += 1
        when = self.START + timedelta(hours=len(self.all_tweets()))
        tweet = {
            "id_str": str(self._next),
            "id": str(self._next),
            "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "full_text": text,
            "retweeted": False,
            "entities": {"user_mentions": mentions, "urls": [], "hashtags": []},
        }
        while len(self.parts) <= part:
            self.parts.append([])
        self.parts[part].append(tweet)
        return tweet["id_str"]

    def all_tweets(self) -> list[dict[str, Any]]:
        return [t for part in self.parts for t in part]

    def post(self, text: str, part: int = 0) -> str:
        """The owner tweets ``text``; returns the tweet id."""
        return self._add(text, [], part)

    def retweet(self, author_id: str, username: str, text: str, part: int = 0) -> str:
        """The owner retweets ``text`` by @username, truncated as X stores it in the archive."""
        full = f"RT @{username}: {text}"
        if len(full) > 140:
            full = full[:139] + "\u2026"
        mention = {
            "name": username.title(),
            "screen_name": username,
            "indices": ["3", str(4 + len(username))],
            "id_str": author_id,
            "id": author_id,
        }
        return self._add(full, [mention], part)

    def tweets_js(self, part: int = 0) -> str:
        entries: list[Any] = self.parts[part]
        if self.shape == "new":
            entries = [{"tweet": t} for t in entries]
        name = "tweets" if self.shape == "new" else "tweet"
        return f"window.YTD.{name}.part0 = {json.dumps(entries, indent=2)}"

    def account_js(self) -> str:
        return f"window.YTD.account.part0 = {json.dumps([{'account': self.owner}])}"

    def profile_js(self) -> str:
        description = {"bio": "Coffee by the sea", "website": self.website, "location": "Quay"}
        profile = {"description": description, "avatarMediaUrl": "https://pbs.twimg.com/a.jpg"}
        return f"window.YTD.profile.part0 = {json.dumps([{'profile': profile}], indent=2)}"

    def members(self) -> dict[str, str]:
        name = "tweets" if self.shape == "new" else "tweet"
        files = {"data/account.js": self.account_js(), "Your archive.html": "<html></html>"}
        if self.website is not None:
            files["data/profile.js"] = self.profile_js()
        for part in range(len(self.parts)):
            suffix = "" if part == 0 else f"-part{part}"
            files[f"data/{name}{suffix}.js"] = self.tweets_js(part)
        return files

    def zip(self, path: Path, extra: dict[str, str] | None = None) -> Path:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for member, content in {**self.members(), **(extra or {})}.items():
                zf.writestr(member, content)
        return path

    def folder(self, path: Path) -> Path:
        for member, content in self.members().items():
            (path / member).parent.mkdir(parents=True, exist_ok=True)
            (path / member).write_text(content, encoding="utf-8")
        return path

    def bare_tweets_js(self, path: Path) -> Path:
        path.write_text(self.tweets_js(), encoding="utf-8")
        return path


def _edges(db: Path, all_retweets: bool = False) -> dict[tuple[str, str], int]:
    engine = open_database(str(db))
    try:
        graph = support_graph(engine, all_retweets=all_retweets)
    finally:
        engine.dispose()
    names = graph.nodes
    return {
        (names[a]["username"], names[b]["username"]): data["weight"]
        for a, b, data in graph.edges(data=True)
    }


def _rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(db) as conn:
        return {
            "accounts": conn.execute("SELECT id, username FROM accounts ORDER BY id").fetchall(),
            "tweets": conn.execute(
                "SELECT id, author_id, created_at, text, is_promotional FROM tweets ORDER BY id"
            ).fetchall(),
            "retweets": conn.execute("SELECT * FROM retweets ORDER BY id").fetchall(),
        }


def _community_archive(shape: str = "new") -> XArchive:
    """The owner posts twice, retweets a promotion of @bakery and a personal tweet of @florist."""
    archive = XArchive(shape=shape)
    archive.post("Our autumn menu is here: pumpkin soup £5, book a table today!")
    archive.post("Thanks to everyone who came out in the rain yesterday.")
    archive.retweet("700001", "bakery", PROMO)
    archive.retweet("700002", "florist", PERSONAL)
    return archive


@pytest.mark.parametrize("shape", ["old", "new"])
def test_zip_in_both_shapes_records_support_for_promotional_retweets(run, db_path, tmp_path, shape):
    path = _community_archive(shape).zip(tmp_path / "twitter-2026-11-20.zip")
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert "X archive of @harbour_cafe, 4 tweets read" in result.output
    assert _edges(db_path) == {("harbour_cafe", "bakery"): 1}
    assert _edges(db_path, all_retweets=True) == {
        ("harbour_cafe", "bakery"): 1,
        ("harbour_cafe", "florist"): 1,
    }


def test_owner_s_own_tweets_are_stored_as_originals_with_archive_times(db_path, tmp_path):
    archive = _community_archive()
    path = archive.zip(tmp_path / "a.zip")
    engine = open_database(str(db_path))
    import_file(engine, path)
    engine.dispose()
    rows = _rows(db_path)
    own = [r for r in rows["tweets"] if r[1] == int(OWNER_ID)]
    assert [(r[0], r[2], r[4]) for r in own] == [
        (int(archive.parts[0][0]["id_str"]), "2026-10-05 09:00:00.000000", 1),
        (int(archive.parts[0][1]["id_str"]), "2026-10-05 10:00:00.000000", 0),
    ]
    assert (int(OWNER_ID), "harbour_cafe") in rows["accounts"]


def test_owner_s_tweet_retweeted_later_through_the_api_is_support_for_the_owner(
    run, db_path, tmp_path
):
    archive = _community_archive()
    promo_id = archive.parts[0][0]["id_str"]
    run("import", str(archive.zip(tmp_path / "a.zip")))
    original = {"id": promo_id, "author_id": OWNER_ID, "text": archive.parts[0][0]["full_text"]}
    page = {
        "data": [
            {
                "id": "2000000000000000001",
                "author_id": "700001",
                "created_at": "2026-11-02T10:00:00.000Z",
                "text": "RT @harbour_cafe: Our autumn menu",
                "referenced_tweets": [{"type": "retweeted", "id": promo_id}],
            }
        ],
        "includes": {"tweets": [original], "users": [{"id": "700001", "username": "bakery"}]},
    }
    (tmp_path / "api.jsonl").write_text(json.dumps(page) + "\n")
    assert run("import", str(tmp_path / "api.jsonl")).exit_code == 0
    assert _edges(db_path) == {("harbour_cafe", "bakery"): 1, ("bakery", "harbour_cafe"): 1}


def test_retweet_row_is_keyed_by_the_owner_s_tweet_and_the_original_id_is_synthetic(
    db_path, tmp_path
):
    archive = _community_archive()
    engine = open_database(str(db_path))
    import_file(engine, archive.zip(tmp_path / "a.zip"))
    engine.dispose()
    retweets = _rows(db_path)["retweets"]
    rt_ids = {int(t["id_str"]) for t in archive.parts[0][2:]}
    assert {r[1] for r in retweets} == rt_ids
    assert {r[2] for r in retweets} == {int(OWNER_ID)}
    assert {r[3] for r in retweets} == {
        synthetic_tweet_id(700001, PROMO),
        synthetic_tweet_id(700002, PERSONAL),
    }


def test_folder_and_bare_tweets_js_give_the_same_rows_as_the_zip(run, tmp_path):
    archive = _community_archive()
    # a self-retweet mentions the owner with their id: a bare tweets.js can then name them
    archive.retweet(OWNER_ID, "harbour_cafe", "Our autumn menu is here: pumpkin soup")
    dbs = {kind: tmp_path / f"{kind}.db" for kind in ("zip", "folder", "bare")}
    zipped = archive.zip(tmp_path / "a.zip")
    folder = archive.folder(tmp_path / "extracted")
    (tmp_path / "loose").mkdir()
    bare = archive.bare_tweets_js(tmp_path / "loose" / "tweets.js")
    assert run("import", str(zipped), db=dbs["zip"]).exit_code == 0
    assert run("import", str(folder), db=dbs["folder"]).exit_code == 0
    result = run("import", "--owner", "@harbour_cafe", str(bare), db=dbs["bare"])
    assert result.exit_code == 0, result.output
    expected = _rows(dbs["zip"])
    assert len(expected["retweets"]) == 3
    assert _rows(dbs["folder"]) == expected
    assert _rows(dbs["bare"]) == expected


def test_data_folder_itself_and_tweets_js_inside_an_extracted_archive_are_accepted(run, tmp_path):
    archive = _community_archive()
    folder = archive.folder(tmp_path / "extracted")
    dbs = [tmp_path / "one.db", tmp_path / "two.db", tmp_path / "three.db"]
    assert run("import", str(folder / "data"), db=dbs[0]).exit_code == 0
    # account.js beside tweets.js names the owner: no --owner needed
    assert run("import", str(folder / "data" / "tweets.js"), db=dbs[1]).exit_code == 0
    assert run("import", str(folder), db=dbs[2]).exit_code == 0
    assert _rows(dbs[0]) == _rows(dbs[1]) == _rows(dbs[2])


def test_bare_tweets_js_with_an_owner_known_from_earlier_imports(run, db_path, tmp_path):
    user = {"id": OWNER_ID, "username": "Harbour_Cafe", "name": "The Harbour Café"}
    (tmp_path / "users.jsonl").write_text(json.dumps({"data": [user]}) + "\n")
    run("import", str(tmp_path / "users.jsonl"))
    bare = _community_archive().bare_tweets_js(tmp_path / "tweets.js")
    result = run("import", "--owner", "harbour_cafe", str(bare))
    assert result.exit_code == 0, result.output
    assert _edges(db_path) == {("Harbour_Cafe", "bakery"): 1}


def test_reimporting_changes_nothing(run, db_path, tmp_path):
    archive = _community_archive()
    zipped = archive.zip(tmp_path / "a.zip")
    run("import", str(zipped))
    before = _rows(db_path)
    assert "already imported" in run("import", str(zipped)).output
    forced = run("import", "--force", "--format", "json", str(zipped))
    (summary,) = json.loads(forced.output)
    assert summary["archive_owner"] == "harbour_cafe"
    assert (summary["tweets_new"], summary["retweets_new"]) == (0, 0)
    # the same tweets from the extracted folder (another digest) add nothing either
    assert run("import", str(archive.folder(tmp_path / "x"))).exit_code == 0
    assert _rows(db_path) == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM imports").fetchone() == (3,)


def test_the_same_retweet_in_two_owners_archives_is_one_tweet_with_two_supporters(
    run, db_path, tmp_path
):
    first = XArchive("harbour_cafe")
    first.retweet("700001", "bakery", PROMO)
    second = XArchive("deli")
    second.owner["accountId"] = "900200"
    second._next += 1_000
    second.retweet("700001", "bakery", PROMO)
    run("import", str(first.zip(tmp_path / "one.zip")))
    run("import", str(second.zip(tmp_path / "two.zip")))
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM tweets").fetchone() == (1,)
    assert _edges(db_path) == {("harbour_cafe", "bakery"): 1, ("deli", "bakery"): 1}


def test_truncated_retweet_counts_only_when_its_visible_text_is_promotional(run, db_path, tmp_path):
    archive = XArchive()
    archive.retweet("700001", "bakery", "Book your birthday cake now, only £20 - order online!")
    # the offer is past the 140 characters the archive keeps: what is left reads as personal
    padding = "What a week it has been in the shop, thank you all for the lovely messages, the "
    padding += "flowers, "
    archive.retweet(
        "700002",
        "florist",
        padding + "cards and the kind words. Anyway: 20% off all roses, order now!",
    )
    run("import", str(archive.zip(tmp_path / "a.zip")))
    with sqlite3.connect(db_path) as conn:
        texts = dict(conn.execute("SELECT author_id, text FROM tweets").fetchall())
    assert texts[700002].endswith("\u2026") and "20% off" not in texts[700002]
    assert _edges(db_path) == {("harbour_cafe", "bakery"): 1}
    assert _edges(db_path, all_retweets=True)[("harbour_cafe", "florist")] == 1


def test_self_retweets_are_not_support(run, db_path, tmp_path):
    archive = XArchive()
    own = archive.post(PROMO)
    self_rt = archive.retweet(OWNER_ID, "harbour_cafe", PROMO)
    archive.retweet(OWNER_ID, "harbour_cafe", "An old offer no longer in the archive: 10% off!")
    archive.retweet("700001", "bakery", PROMO)
    run("import", str(archive.zip(tmp_path / "a.zip")))
    assert _edges(db_path, all_retweets=True) == {("harbour_cafe", "bakery"): 1}
    with sqlite3.connect(db_path) as conn:
        linked = conn.execute("SELECT original_id FROM retweets WHERE id = ?", (int(self_rt),))
        # a self-retweet points at the owner's own tweet when the archive holds it
        assert linked.fetchone() == (int(own),)
        owners = conn.execute("SELECT count(*) FROM tweets WHERE author_id = ?", (int(OWNER_ID),))
        assert owners.fetchone() == (2,)


def test_retweets_of_every_part_file_are_read(run, db_path, tmp_path):
    archive = XArchive()
    archive.retweet("700001", "bakery", PROMO, part=0)
    archive.retweet("700003", "cafe", PROMO, part=1)
    zipped = archive.zip(tmp_path / "a.zip")
    assert "data/tweets-part1.js" in zipfile.ZipFile(zipped).namelist()
    run("import", str(zipped))
    assert _edges(db_path) == {("harbour_cafe", "bakery"): 1, ("harbour_cafe", "cafe"): 1}


def test_retweet_whose_author_is_not_mentioned_is_counted_as_not_attributed(run, db_path, tmp_path):
    archive = XArchive()
    archive.retweet("700001", "bakery", PROMO)
    archive.parts[0][0]["entities"]["user_mentions"] = []
    result = run("import", str(archive.zip(tmp_path / "a.zip")))
    assert result.exit_code == 0
    assert "1 retweet whose author is not in the archive" in result.output
    assert _edges(db_path, all_retweets=True) == {}


def test_malformed_json_in_tweets_js_is_a_one_line_error_and_writes_nothing(run, db_path, tmp_path):
    bare = tmp_path / "tweets.js"
    bare.write_text('window.YTD.tweets.part0 = [\n  {"tweet": {"id_str": "1",}}\n]')
    result = run("import", "--owner", "harbour_cafe", str(bare))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert f"{bare}: not valid JSON after the window.YTD prefix" in result.output
    broken = XArchive()
    zipped = tmp_path / "a.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("data/account.js", broken.account_js())
        zf.writestr("data/tweets.js", "window.YTD.tweets.part0 = [{")
    result = run("import", str(zipped))
    assert result.exit_code == 1
    assert f"{zipped}: data/tweets.js: not valid JSON" in result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM accounts").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM imports").fetchone() == (0,)


def test_a_bad_tweet_is_reported_with_member_and_index_and_the_rest_imported(
    run, db_path, tmp_path
):
    archive = XArchive()
    archive.retweet("700001", "bakery", PROMO)
    archive.post(PERSONAL)
    archive.parts[0][1]["created_at"] = "yesterday"
    del archive.parts[0][0]["id_str"], archive.parts[0][0]["id"]
    archive.retweet("700003", "cafe", PROMO)
    zipped = archive.zip(tmp_path / "a.zip")
    result = run("import", str(zipped))
    assert result.exit_code == 1
    assert f"{zipped}:data/tweets.js:tweet 1: no id_str" in result.output
    assert f"{zipped}:data/tweets.js:tweet 2: tweet " in result.output
    assert "created_at 'yesterday' is not a time" in result.output
    assert _edges(db_path) == {("harbour_cafe", "cafe"): 1}


def test_zip_member_names_leading_outside_are_never_written(run, db_path, tmp_path, monkeypatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the archive must never be extracted")

    monkeypatch.setattr(zipfile.ZipFile, "extract", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", refuse)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    evil = {
        "../evil": "pwned",
        "../../evil_up": "pwned",
        "/tmp/evil_abs": "pwned",
        "data/../../evil_data": "pwned",
        "../data/tweets.js": "window.YTD.tweets.part0 = [{]",
    }
    zipped = _community_archive().zip(tmp_path / "a.zip", extra=evil)
    result = run("import", str(zipped))
    assert result.exit_code == 0, result.output
    assert _edges(db_path) == {("harbour_cafe", "bakery"): 1}
    assert [p for p in tmp_path.parent.rglob("evil*")] == []
    assert not Path("/tmp/evil_abs").exists()


def test_oversized_member_is_refused_with_a_clear_message(run, db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "MAX_MEMBER_BYTES", 1024)
    archive = XArchive()
    for _ in range(20):
        archive.retweet("700001", "bakery", PROMO)
    zipped = archive.zip(tmp_path / "a.zip")
    result = run("import", str(zipped))
    assert result.exit_code == 1
    assert f"{zipped}: data/tweets.js: larger than 1 KiB" in result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM retweets").fetchone() == (0,)


def test_bare_tweets_js_without_an_owner_is_a_clear_error(run, tmp_path):
    bare = _community_archive().bare_tweets_js(tmp_path / "tweets.js")
    result = run("import", str(bare))
    assert result.exit_code == 1
    assert "no data/account.js beside them; pass --owner USERNAME" in result.output
    result = run("import", "--owner", "nobody_here", str(bare))
    assert result.exit_code == 1
    assert "the id of @nobody_here is unknown" in result.output


def test_owner_option_that_contradicts_account_js_is_refused(run, tmp_path):
    zipped = _community_archive().zip(tmp_path / "a.zip")
    result = run("import", "--owner", "someone_else", str(zipped))
    assert result.exit_code == 1
    assert "--owner @someone_else, but the archive belongs to @harbour_cafe" in result.output


@pytest.mark.parametrize(
    "members, message",
    [
        ({"data/like.js": "window.YTD.like.part0 = []"}, "no data/tweets.js inside"),
        ({"data/tweets.js": "var tweets = []"}, "does not start with window.YTD.tweets.part0"),
        ({"data/tweets.js": "window.YTD.tweets.part0 = {}"}, "not a JSON array"),
    ],
)
def test_zip_that_is_not_an_x_archive_is_a_clear_error(run, tmp_path, members, message):
    zipped = tmp_path / "other.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for member, content in members.items():
            zf.writestr(member, content)
    result = run("import", "--owner", "harbour_cafe", str(zipped))
    assert result.exit_code == 1
    assert message in result.output and str(zipped) in result.output


def test_another_archive_file_given_alone_is_refused(tmp_path):
    like = tmp_path / "like.js"
    like.write_text('window.YTD.like.part0 = [{"like": {"tweetId": "1"}}]')
    with pytest.raises(InputFileError, match="the X archive's 'like' file, not its tweets"):
        open_archive(like)


def test_broken_zip_is_a_clear_error(run, tmp_path):
    zipped = tmp_path / "broken.zip"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = run("import", str(zipped))
    assert result.exit_code == 1
    assert f"{zipped}: looks like a ZIP archive, but not a readable one" in result.output


def test_archive_times_are_read_as_utc_without_the_locale():
    assert parse_archive_time("Wed Oct 10 20:19:24 +0000 2018") == datetime(
        2018, 10, 10, 20, 19, 24
    )
    assert parse_archive_time("Wed Oct 10 20:19:24 -0130 2018") == datetime(
        2018, 10, 10, 21, 49, 24
    )
    with pytest.raises(ValueError):
        parse_archive_time("Wed Oct 10 20:19:24 UTC 2018")


@pytest.mark.parametrize("given", ["zip", "folder", "tweets.js"])
def test_the_owner_gets_the_website_of_profile_js(run, db_path, tmp_path, given):
    archive = _community_archive()
    archive.website = "https://harbourcafe.example"
    paths = {
        "zip": lambda: archive.zip(tmp_path / "a.zip"),
        "folder": lambda: archive.folder(tmp_path / "extracted"),
        "tweets.js": lambda: archive.folder(tmp_path / "extracted") / "data" / "tweets.js",
    }
    result = run("import", str(paths[given]()))
    assert result.exit_code == 0, result.output
    assert _websites(db_path)["harbour_cafe"] == "https://harbourcafe.example"


@pytest.mark.parametrize("website", ["", None])
def test_an_owner_without_a_website_in_the_archive_has_none(run, db_path, tmp_path, website):
    archive = _community_archive()
    archive.website = website
    assert run("import", str(archive.zip(tmp_path / "a.zip"))).exit_code == 0
    assert _websites(db_path)["harbour_cafe"] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("window.YTD.profile.part0 = [{", "data/profile.js: not valid JSON"),
        ("window.YTD.account.part0 = []", "data/profile.js: holds the archive's 'account' data"),
    ],
)
def test_a_broken_profile_js_is_a_one_line_error_and_writes_nothing(
    run, db_path, tmp_path, content, message
):
    zipped = _community_archive().zip(tmp_path / "a.zip", extra={"data/profile.js": content})
    result = run("import", str(zipped))
    assert result.exit_code == 1
    assert f"{zipped}: {message}" in result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM accounts").fetchone() == (0,)


@pytest.mark.parametrize("archive_first", [True, False])
def test_a_website_seen_through_the_api_wins_over_the_archives(
    run, db_path, tmp_path, archive_first
):
    """The archive's website has no sighting time, so any dated sighting is newer."""
    user = {"id": OWNER_ID, "username": "harbour_cafe", "url": "https://harbourcafe.example"}
    page = {"data": [user], "__twarc": {"retrieved_at": "2026-11-01T10:00:00+00:00"}}
    (tmp_path / "users.jsonl").write_text(json.dumps(page) + "\n")
    archive = _community_archive()
    archive.website = "https://t.co/abc"
    files = [str(archive.zip(tmp_path / "a.zip")), str(tmp_path / "users.jsonl")]
    for path in files if archive_first else files[::-1]:
        assert run("import", path).exit_code == 0
    assert _websites(db_path)["harbour_cafe"] == "https://harbourcafe.example"


def _websites(db: Path) -> dict[str, str | None]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT username, url FROM accounts"))


def test_synthetic_ids_are_negative_and_depend_on_author_and_text():
    ids = {synthetic_tweet_id(a, t) for a in (1, 2) for t in (PROMO, PERSONAL)}
    assert len(ids) == 4 and all(-(2**63) <= i < 0 for i in ids)
    assert synthetic_tweet_id(1, PROMO + "\u2026") == synthetic_tweet_id(1, PROMO)
    assert synthetic_tweet_id(1, "Pies &amp; tarts") == synthetic_tweet_id(1, "Pies & tarts")


def test_owner_id_mentioned_only_in_a_later_part_still_names_every_part(run, db_path, tmp_path):
    archive = XArchive()
    archive.retweet("700001", "bakery", PROMO, part=0)
    archive.retweet(OWNER_ID, "harbour_cafe", "Our own news, retweeted", part=1)
    folder = archive.folder(tmp_path / "extracted")
    (folder / "data" / "account.js").unlink()
    result = run("import", "--owner", "harbour_cafe", str(folder))
    assert result.exit_code == 0, result.output
    assert _edges(db_path) == {("harbour_cafe", "bakery"): 1}


def test_a_retweet_seen_in_the_archive_and_through_the_api_is_stored_once(run, db_path, tmp_path):
    archive = XArchive()
    rt_id = archive.retweet("700001", "bakery", PROMO)
    run("import", str(archive.zip(tmp_path / "a.zip")))
    original = {"id": "1700000000000000001", "author_id": "700001", "text": PROMO}
    page = {
        "data": [
            {
                "id": rt_id,
                "author_id": OWNER_ID,
                "text": f"RT @bakery: {PROMO}",
                "referenced_tweets": [{"type": "retweeted", "id": original["id"]}],
            }
        ],
        "includes": {"tweets": [original], "users": [{"id": "700001", "username": "bakery"}]},
    }
    (tmp_path / "api.jsonl").write_text(json.dumps(page) + "\n")
    assert run("import", str(tmp_path / "api.jsonl")).exit_code == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM retweets").fetchone() == (1,)
    assert _edges(db_path) == {("harbour_cafe", "bakery"): 1}


def test_progress_is_reported_as_a_share_of_the_archive_size(db_path, tmp_path):
    archive = XArchive()
    for i in range(3000):
        archive.post(f"{PERSONAL} {i}")
    zipped = archive.zip(tmp_path / "a.zip")
    calls: list[tuple[int, int]] = []
    engine = open_database(str(db_path))
    import_file(engine, zipped, on_progress=lambda done, total: calls.append((done, total)))
    engine.dispose()
    size = zipped.stat().st_size
    assert {total for _, total in calls} == {size}
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(done) >= 3 and done[-1] == size


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
_tweetish = st.fixed_dictionaries(
    {},
    optional={
        "id_str": st.sampled_from(["1", "-5", "x", "99999999999999999999"]) | _json,
        "full_text": st.sampled_from(["RT @bakery: 20% off", "RT @: x", "hello"]) | _json,
        "created_at": st.sampled_from(
            ["Wed Oct 10 20:19:24 +0000 2018", "Mon Jan 01 00:00:00 +2359 0001", "Wed Oct"]
        )
        | _json,
        "entities": st.fixed_dictionaries(
            {"user_mentions": st.lists(_json | st.just({"screen_name": "bakery", "id_str": "7"}))}
        )
        | _json,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_tweetish | st.builds(lambda t: {"tweet": t}, _tweetish) | _json))
def test_any_entry_is_records_or_a_reason_never_a_crash(tmp_path_factory, items):
    path = tmp_path_factory.mktemp("fuzz") / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = " + json.dumps(items))
    source = open_archive(path)
    assert source is not None
    records = source.read(owner="harbour_cafe", owner_id=int(OWNER_ID))
    assert len(records.entries) == len(items)
    for where, entry in records.entries:
        assert where.startswith("tweet ")
        if not isinstance(entry, BadRecordError):
            assert all(r.retweeter_id == int(OWNER_ID) for r in entry.retweets)
