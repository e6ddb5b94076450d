"""Real recorded twarc2 data, checked against the independent counts in its README."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from retweetring.errors import BadRecordError, InputFileError
from retweetring.records import Account, PageRecords, Retweet, Tweet
from retweetring.sources import normalise_page, read_pages

TWARC2 = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "twarc2"


@pytest.fixture
def twarc2() -> Path:
    """The recorded twarc2 fixtures beside the checkout; skips the test when absent."""
    if not TWARC2.is_dir():
        pytest.skip(
            "../shared/fixtures not present: the recorded twarc2 fixtures live beside the checkout"
        )
    return TWARC2


class Imported:
    """Everything a file yields, de-duplicated across pages as the store would."""

    def __init__(self, path: Path) -> None:
        self.accounts: dict[int, Account] = {}
        self.tweets: dict[int, Tweet] = {}
        self.retweets: dict[int, Retweet] = {}
        self.unattributed = 0
        self.pages = 0
        self.bad: list[tuple[int, str]] = []
        for lineno, page in read_pages(path):
            if isinstance(page, BadRecordError):
                self.bad.append((lineno, str(page)))
                continue
            try:
                records = normalise_page(page)
            except BadRecordError as exc:
                self.bad.append((lineno, str(exc)))
                continue
            self.add(records)

    def add(self, records: PageRecords) -> None:
        self.pages += 1
        for a in records.accounts:
            self.accounts.setdefault(a.id, a)
        for t in records.tweets:
            self.tweets.setdefault(t.id, t)
        for r in records.retweets:
            self.retweets.setdefault(r.id, r)
        self.unattributed += records.unattributed

    def support(self) -> dict[tuple[int, int], int]:
        """(retweeter, original author) -> distinct originals retweeted, without self-retweets."""
        originals: dict[tuple[int, int], set[int]] = {}
        for r in self.retweets.values():
            author = self.tweets[r.original_id].author_id
            if author != r.retweeter_id:
                originals.setdefault((r.retweeter_id, author), set()).add(r.original_id)
        return {pair: len(ids) for pair, ids in originals.items()}


def data_tweet_kinds(path: Path) -> Counter[str]:
    """How many tweets in the pages' ``data`` are retweets, replies and quotes."""
    kinds: Counter[str] = Counter()
    for _, page in read_pages(path):
        assert isinstance(page, dict)
        for tweet in page["data"]:
            types = {ref["type"] for ref in tweet.get("referenced_tweets", [])}
            kinds["tweets"] += 1
            for kind in types:
                kinds[kind] += 1
    return kinds


def test_blm_search_support_matches_the_independent_count(twarc2: Path) -> None:
    imported = Imported(twarc2 / "blm_search_5pages.jsonl")
    assert imported.bad == []
    assert imported.pages == 5
    support = imported.support()
    assert len(support) == 335
    assert sum(support.values()) == 346
    assert not any((b, a) in support for a, b in support)  # no mutual pair


def test_blm_search_has_367_retweets_35_replies_18_quotes(twarc2: Path) -> None:
    path = twarc2 / "blm_search_5pages.jsonl"
    kinds = data_tweet_kinds(path)
    assert (kinds["tweets"], kinds["retweeted"], kinds["replied_to"], kinds["quoted"]) == (
        500,
        367,
        35,
        18,
    )
    imported = Imported(path)
    assert len(imported.retweets) == 367
    assert imported.unattributed == 0
    data_ids = {int(t["id"]) for _, p in read_pages(path) for t in p["data"]}  # type: ignore[index]
    assert {r.id for r in imported.retweets.values()} <= data_ids
    # replies and quotes (one tweet is both) are stored as original tweets
    assert len(data_ids & set(imported.tweets)) == 500 - 367


def test_blm_page_with_errors_entry_still_imports(twarc2: Path) -> None:
    pages = list(read_pages(twarc2 / "blm_search_5pages.jsonl"))
    lineno, page = pages[1]
    assert isinstance(page, dict) and page["errors"][0]["title"] == "Forbidden"
    records = normalise_page(page)
    assert len(records.tweets) + len(records.retweets) > 100


def test_every_author_and_retweeter_has_an_account(twarc2: Path) -> None:
    imported = Imported(twarc2 / "blm_search_5pages.jsonl")
    people = {t.author_id for t in imported.tweets.values()}
    people |= {r.retweeter_id for r in imported.retweets.values()}
    assert people <= set(imported.accounts)
    assert all(a.username and a.seen_at is not None for a in imported.accounts.values())


def test_brexit_support_matches_the_independent_count(twarc2: Path) -> None:
    imported = Imported(twarc2 / "brexit.jsonl")
    assert imported.bad == []
    assert len(imported.retweets) == 67
    support = imported.support()
    assert len(support) == 67
    assert sum(support.values()) == 67


def test_flat_and_noflat_give_identical_records(twarc2: Path) -> None:
    flat = Imported(twarc2 / "flat.jsonl")
    noflat = Imported(twarc2 / "noflat.jsonl")
    assert (flat.pages, noflat.pages) == (100, 1)
    assert flat.bad == noflat.bad == []
    assert flat.accounts == noflat.accounts
    assert flat.tweets == noflat.tweets
    assert flat.retweets == noflat.retweets
    assert flat.unattributed == noflat.unattributed
    assert len(noflat.tweets) + len(noflat.retweets) >= 100


def test_withheld_tweets_import_and_missing_originals_are_unattributed(twarc2: Path) -> None:
    imported = Imported(twarc2 / "withheld.jsonl")
    assert imported.bad == []
    # each such retweet's original is reported in errors[] as "Could not find tweet"
    assert imported.unattributed > 0
    assert 1388424788171841537 in imported.tweets


def test_edited_tweet_versions_are_separate_tweets(twarc2: Path) -> None:
    imported = Imported(twarc2 / "edited.jsonl")
    assert set(imported.tweets) == {1576994789110992896, 1576994746135764992}


def test_empty_file_is_refused(twarc2: Path) -> None:
    with pytest.raises(InputFileError, match="empty.json: empty file"):
        read_pages(twarc2 / "empty.json")


def test_user_lookup_gives_accounts_only(twarc2: Path) -> None:
    imported = Imported(twarc2 / "users.jsonl")
    assert imported.bad == []
    assert imported.tweets == {} and imported.retweets == {}
    assert len(imported.accounts) == 91  # 96 users, 5 of them listed twice
    assert all(a.username for a in imported.accounts.values())


def test_streaming_output_with_truncated_last_line(twarc2: Path) -> None:
    # The "error" in this stream is its last line, cut off mid-object: it is reported as a
    # bad line and the seven complete messages still import.
    imported = Imported(twarc2 / "streaming_output_with_error.jsonl")
    assert imported.pages == 7
    assert len(imported.bad) == 1
    lineno, reason = imported.bad[0]
    assert lineno == 8
    assert reason.startswith("not valid JSON: unexpected end of data")
    assert len(imported.tweets) == 11
