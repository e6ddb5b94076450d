"""The definitions of support, weight and window, checked on tiny hand-built data.

Each test imports hand-built API v2 pages into a real SQLite file and reads the support graph.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import networkx as nx
from sqlalchemy import Engine

from retweetring.graph import Window, support_graph
from retweetring.sources.ingest import import_file
from retweetring.store.queries import set_promo_override

PERSONAL = "What a beautiful sunrise over the harbour this morning."


def _graph(engine: Engine, community, tmp_path: Path, **kwargs) -> nx.DiGraph:
    import_file(engine, community.write(tmp_path / "page.jsonl"), force=True)
    return support_graph(engine, **kwargs)


def _edges(graph: nx.DiGraph) -> dict[tuple[str, str], int]:
    name = graph.nodes
    return {(name[a]["username"], name[b]["username"]): w for a, b, w in graph.edges(data="weight")}


def test_retweet_of_promotional_tweet_is_support(engine, community, tmp_path):
    tweet = community.post("bakery")
    community.retweet("florist", tweet)
    assert _edges(_graph(engine, community, tmp_path)) == {("florist", "bakery"): 1}


def test_self_retweets_are_not_support(engine, community, tmp_path):
    tweet = community.post("bakery")
    community.retweet("bakery", tweet)
    assert _edges(_graph(engine, community, tmp_path)) == {}


def test_retweets_of_personal_tweets_are_not_support(engine, community, tmp_path):
    tweet = community.post("bakery", PERSONAL)
    community.retweet("florist", tweet)
    assert _edges(_graph(engine, community, tmp_path)) == {}


def test_all_retweets_counts_personal_tweets_but_never_self_retweets(engine, community, tmp_path):
    personal = community.post("bakery", PERSONAL)
    community.retweet("florist", personal)
    community.retweet("bakery", personal)
    graph = _graph(engine, community, tmp_path, all_retweets=True)
    assert _edges(graph) == {("florist", "bakery"): 1}


def test_quotes_and_replies_are_not_support(engine, community, tmp_path):
    tweet = community.post("bakery")
    community.quote("florist", tweet)
    community.reply("cafe", tweet)
    assert _edges(_graph(engine, community, tmp_path, all_retweets=True)) == {}


def test_weight_counts_distinct_promotional_tweets(engine, community, tmp_path):
    first = community.post("bakery")
    second = community.post("bakery", "Pre-order your Christmas cake now, only £18!")
    community.retweet("florist", first)
    community.retweet("florist", first)  # un-retweeted and retweeted again: a new retweet id
    community.retweet("florist", second)
    graph = _graph(engine, community, tmp_path)
    assert _edges(graph) == {("florist", "bakery"): 2}


def test_window_is_half_open_on_the_retweet_time(engine, community, tmp_path):
    tweet = community.post("bakery", at=datetime(2026, 10, 1, 12, 0))
    other = community.post(
        "bakery", "Book your table for Friday, 2 courses £15", at=datetime(2026, 10, 1)
    )
    community.retweet("florist", tweet, at=datetime(2026, 11, 2, 0, 0, 0))  # exactly since
    community.retweet("florist", other, at=datetime(2026, 11, 9, 0, 0, 0))  # exactly until
    community.retweet("cafe", other, at=datetime(2026, 11, 8, 23, 59, 59))
    graph = _graph(engine, community, tmp_path, window=Window(date(2026, 11, 2), date(2026, 11, 9)))
    assert _edges(graph) == {("florist", "bakery"): 1, ("cafe", "bakery"): 1}


def test_promotional_override_wins_over_the_classifier(engine, community, tmp_path):
    personal = community.post("bakery", PERSONAL)
    promo = community.post("bakery")
    community.retweet("florist", personal)
    community.retweet("cafe", promo)
    import_file(engine, community.write(tmp_path / "page.jsonl"))
    set_promo_override(engine, int(personal), True)
    set_promo_override(engine, int(promo), False)
    assert _edges(support_graph(engine)) == {("florist", "bakery"): 1}


def test_promotional_override_survives_a_forced_reimport(engine, community, tmp_path):
    promo = community.post("bakery")
    community.retweet("cafe", promo)
    page = community.write(tmp_path / "page.jsonl")
    import_file(engine, page)
    set_promo_override(engine, int(promo), False)
    import_file(engine, page, force=True)
    assert _edges(support_graph(engine)) == {}


def test_edges_carry_first_and_last_retweet_time(engine, community, tmp_path):
    a = community.post("bakery")
    b = community.post("bakery", "New autumn menu just launched - book a table!")
    community.retweet("florist", a, at=datetime(2026, 11, 3, 10, 0))
    community.retweet("florist", b, at=datetime(2026, 11, 5, 18, 30))
    graph = _graph(engine, community, tmp_path)
    ((_, _, edge),) = graph.edges(data=True)
    assert (edge["first"], edge["last"]) == (
        datetime(2026, 11, 3, 10),
        datetime(2026, 11, 5, 18, 30),
    )


def test_nodes_carry_username_and_name(engine, community, tmp_path):
    community.user("bakery", "Holly's Bakery 🍞")
    community.retweet("florist", community.post("bakery"))
    graph = _graph(engine, community, tmp_path)
    names = {data["username"]: data["name"] for _, data in graph.nodes(data=True)}
    assert names["bakery"] == "Holly's Bakery 🍞"
