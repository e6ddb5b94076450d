"""A Bluesky member's repost records are read from their own PDS, found from their DID."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from atproto_client.request import Request
from fake_social import FakeBluesky

from retweetring.errors import UnresolvedDidError
from retweetring.records import PLATFORM_BLUESKY
from retweetring.sources import social_collect as social
from retweetring.sources.bluesky import Bluesky
from retweetring.store.session import open_database

BS = PLATFORM_BLUESKY


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    eng = open_database(str(tmp_path / "pds.db"))
    yield eng
    eng.dispose()


def town() -> FakeBluesky:
    """Bea and Cal repost each other; each has a repository on a server of their own."""
    sky = FakeBluesky()
    bea, cal = sky.account("bea.bsky.social"), sky.account("cal.bsky.social")
    sky.repost(cal, sky.post(bea))
    sky.repost(bea, sky.post(cal))
    return sky


def collect(engine: Any, sky: FakeBluesky, *handles: str) -> Any:
    feed = social.BlueskyFeed(sky.client())
    ledger = social.SocialLedger(BS)
    social.add_social_members(engine, feed, ledger, list(handles))
    return social.collect_social(engine, feed, ledger)


def hosts(sky: FakeBluesky, nsid: str) -> list[str]:
    return [r.url.host for r in sky.calls if r.url.path.endswith(nsid)]


def test_repost_records_are_asked_of_each_members_own_pds_named_by_the_plc_directory(
    engine: Any,
) -> None:
    sky = town()
    result = collect(engine, sky, "bea.bsky.social", "cal.bsky.social")
    assert [m.problems for m in result.members] == [[], []]
    assert sorted(hosts(sky, "listRecords")) == ["bea.pds.example", "cal.pds.example"]
    assert sum(m.counts.reposts_exact for m in result.members) == 2
    assert {m.handle: m.pds for m in social.list_social_members(engine)} == {
        "bea.bsky.social": "https://bea.pds.example",
        "cal.bsky.social": "https://cal.pds.example",
    }


def test_the_stored_pds_is_used_without_asking_the_plc_directory_again(engine: Any) -> None:
    sky = town()
    collect(engine, sky, "bea.bsky.social")
    sky.calls.clear()
    social.collect_social(engine, social.BlueskyFeed(sky.client()), social.SocialLedger(BS))
    assert hosts(sky, "listRecords") == ["bea.pds.example"]
    assert not [r for r in sky.calls if r.url.host == "plc.directory"]


def test_a_member_who_moved_to_another_pds_is_found_there_and_the_new_one_kept(
    engine: Any,
) -> None:
    sky = town()
    collect(engine, sky, "bea.bsky.social")
    sky.pds["did:plc:bea"] = "https://moved.pds.example"
    sky.repost("did:plc:bea", sky.post("did:plc:cal"))
    again = social.collect_social(engine, social.BlueskyFeed(sky.client()), social.SocialLedger(BS))
    assert again.members[0].problems == []
    assert again.members[0].counts.reposts_exact == 1
    assert social.list_social_members(engine)[0].pds == "https://moved.pds.example"


def test_an_unknown_did_is_one_line_for_that_member_and_the_others_are_collected(
    engine: Any,
) -> None:
    sky = town()
    members = ["bea.bsky.social", "cal.bsky.social"]
    social.add_social_members(
        engine, social.BlueskyFeed(sky.client()), social.SocialLedger(BS), members
    )
    answer = sky.handle

    def unregistered(request: httpx.Request) -> httpx.Response:
        if request.url.host == "plc.directory" and "cal" in request.url.path:
            return httpx.Response(404, json={"message": "DID not registered: did:plc:cal"})
        return answer(request)

    sky.handle = unregistered  # type: ignore[method-assign]
    result = social.collect_social(
        engine, social.BlueskyFeed(sky.client()), social.SocialLedger(BS)
    )
    problems = {m.handle: m.problems for m in result.members}
    assert problems["bea.bsky.social"] == []
    (problem,) = problems["cal.bsky.social"]
    assert problem == (
        "Bluesky: cannot find the server of did:plc:cal: plc.directory has no DID document "
        "for it (404)"
    )
    failed = [r for r in social.social_usage(engine, BS) if r["endpoint"] == "did document"]
    assert failed and failed[0]["requests"] == 2  # Bea's answered, Cal's 404, both counted


def replay(handler: Any) -> Bluesky:
    return Bluesky(request=Request(transport=httpx.MockTransport(handler)))


def test_a_did_web_document_is_read_from_its_well_known_address() -> None:
    seen: list[httpx.Request] = []
    document = {
        "id": "did:web:bakery.example",
        "service": [
            {
                "id": "did:web:bakery.example#atproto_pds",  # the id in full, also allowed
                "type": "AtprotoPersonalDataServer",
                "serviceEndpoint": "https://pds.bakery.example",
            }
        ],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, content=httpx.Response(200, json=document).content,
            headers={"content-type": "application/did+json"},
        )  # fmt: skip

    assert replay(handler).pds_of("did:web:bakery.example") == "https://pds.bakery.example"
    assert str(seen[0].url) == "https://bakery.example/.well-known/did.json"


@pytest.mark.parametrize(
    ("did", "answer", "words"),
    [
        ("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", {"id": "did:plc:x", "service": []}, "names no"),
        ("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", None, "plc.directory cannot be reached"),
        ("did:web:bakery.example", {"oops": True}, "names no personal data server"),
        ("did:key:z6Mk", {}, "only did:plc and did:web"),
    ],
)
def test_a_pds_that_cannot_be_told_is_one_clear_line(did: str, answer: Any, words: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if answer is None:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=answer)

    with pytest.raises(UnresolvedDidError) as raised:
        replay(handler).pds_of(did)
    assert words in str(raised.value) and did in str(raised.value)
    assert "\n" not in str(raised.value)


def test_collect_says_in_one_line_whose_server_cannot_be_found_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import invoke

    from retweetring.cli import collect as collect_cmd

    sky = town()
    sky.fail_at = lambda request: request.url.host == "plc.directory"
    monkeypatch.setattr(
        social, "feed_for", lambda platform, **kw: social.BlueskyFeed(sky.client(**kw))
    )
    monkeypatch.setattr(collect_cmd, "_sleep", lambda seconds: None)
    db = tmp_path / "r.db"
    invoke(db, "members", "add", "--platform", "bluesky", "bea.bsky.social")
    result = invoke(db, "collect", "--platform", "bluesky", "--full-history")
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = [line for line in result.output.splitlines() if "cannot find the server" in line]
    assert line.startswith("bea.bsky.social: Bluesky: cannot find the server of did:plc:bea")
    assert "plc.directory cannot be reached" in line
    sky.fail_at = lambda request: False
    again = invoke(db, "collect", "--platform", "bluesky")
    assert again.exit_code == 0 and "(up to date)" in again.output
