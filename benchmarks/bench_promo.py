"""Time the promotional-tweet classifier against an earlier version of it, checking both agree.

    python benchmarks/bench_promo.py                     # against the version before the speed-up
    python benchmarks/bench_promo.py --base main --runs 7 --random 20000

The earlier ``retweetring/promo.py`` is read from git (``git show REV:retweetring/promo.py``)
into a throw-away module. Both versions classify the same tweets: the labelled set
(tests/data/promo_labelled.csv), every tweet of the example community (examples/community.jsonl)
and random texts made of the rules' own phrases mixed with prices, offers, times, emoji,
full-width and styled letters, curly apostrophes and links. Every result (promotional, score
and reasons, in order) must be identical, with the packaged rules and with a rules file of
awkward additions; the script stops at the first difference. Then it prints, per set, the
median time per tweet of several runs of each version, measured alternately in the same
process, and their ratios: with every cache of the new version emptied before the run (as for
the first tweets of an import), and with caches warmed on other tweets (as later on).
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib.util
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import orjson

from retweetring import promo
from retweetring.sources.v2 import normalise_page

ROOT = Path(__file__).resolve().parents[1]
BEFORE_SPEED_UP = "9585e5f"
"""The last commit whose promo.py predates the speed-up."""

AWKWARD_RULES = ROOT / "tests" / "data" / "awkward_promo_rules.toml"
"""Additions to the default rules that reach the classifier's corners (see the file)."""


class Case(NamedTuple):
    """One call of classify."""

    text: str
    urls: tuple[str, ...]
    username: str | None
    name: str | None


def load_base(rev: str) -> types.ModuleType:
    """Import ``retweetring/promo.py`` as it was at git revision ``rev``."""
    source = subprocess.run(
        ["git", "show", f"{rev}:retweetring/promo.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="promo_base_"))
    path = folder / "promo_base.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("promo_base", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["promo_base"] = module
    spec.loader.exec_module(module)
    shutil.rmtree(folder)
    return module


def labelled_cases() -> list[Case]:
    """The labelled set, as tests/test_promo.py classifies it."""
    with (ROOT / "tests" / "data" / "promo_labelled.csv").open(encoding="utf-8") as handle:
        return [
            Case(row["text"], tuple(row["urls"].split()), row["username"], None)
            for row in csv.DictReader(handle)
        ]


def community_cases() -> list[Case]:
    """Every tweet of the example community, with its author's username and display name."""
    cases = []
    for line in (ROOT / "examples" / "community.jsonl").read_bytes().splitlines():
        if line.strip():
            records = normalise_page(orjson.loads(line))
            accounts = {a.id: a for a in records.accounts}
            for tweet in records.tweets:
                author = accounts.get(tweet.author_id)
                cases.append(
                    Case(
                        tweet.text,
                        tweet.urls,
                        author.username if author else None,
                        author.name if author else None,
                    )
                )
    return cases


NOISE = [
    "£12",
    "$3.50",
    "€5 each",
    "£8pp",
    "from £20",
    "20% off",
    "up to 50%",
    "save £10",
    "code XMAS20",
    "#sale",
    "3pm-5pm",
    "open 9-5",
    "mon 10am",
    "sat 9am - 1pm",
    "12 quid",
    "first 10 customers",
    "48 hours only",
    "ends friday",
    "at our little shop",
    "in all our shops",
    "looking for a barista",
    "prices from",
    "£5 off",
    "weekend deals",
    "free tasting session",
    "🍞",
    "🎉🎉",
    "✨",
    "🧘‍♀️",
    "→",
    "—",
    "...",
    "!",
    "?",
    ":",
    ";",
    ",",
    "&",
    "@hollys_bakery",
    "#FollowFriday",
    "#ff",
    "the",
    "and",
    "so",
    "please",
    "just",
    "now",
    "we",
    "our",
    "today",
    "this",
    "week",
    "kids",
    "dog",
    "bread",
    "2",
    "241",
    "book",
    "shop",
    "order",
    "café",
    "naïve",
    "İstanbul",
    "ſale",
    "Kelvin",
    "fizz",
    "corks",
    "pop",
    "dogs",
    "dogsled",
    "'tis",
    "SALE",
    "xxx",
    "\n",
    "\t",
    "  ",
]
URLS = [
    "https://www.etsy.com/shop/hollys",
    "https://hollysbakery.co.uk/menu",
    "https://t.co/abc",
    "https://www.bbc.co.uk/news/business-1",
    "https://news.example.org/x",
    "https://shop.example/products/mug",
    "http://[broken",
    "not a url",
    "https://WWW.SHOP.EXAMPLE",
    "https://bloomandbranch.co.uk/",
    "https://drip-cafe.com/book?x=1",
    "https://square.site",
    "example",
    "https://a.co.uk.",
    "HTTPS://Hollys-Bakery.Shop/Order/",
]
NAMES = [
    ("hollys_bakery", "Holly's Bakery 🥐"),
    ("bloom_and_branch", None),
    ("dripcoffee_ldn", "The Drip Café"),
    (None, None),
    ("", "🐶"),
    ("shop", "Shop"),
]


def _styled(text: str, rng: random.Random) -> str:
    """Return ``text`` with random case, curly apostrophes, hyphens, full-width or bold letters."""
    choice = rng.random()
    if choice < 0.15:
        text = text.upper()
    elif choice < 0.3:
        text = text.title()
    elif choice < 0.4:  # full-width forms, which NFKC folds back to ASCII
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    elif choice < 0.45:  # mathematical bold letters
        text = "".join(
            chr(0x1D400 + ord(c) - 65)
            if "A" <= c <= "Z"
            else chr(0x1D41A + ord(c) - 97)
            if "a" <= c <= "z"
            else c
            for c in text
        )
    if rng.random() < 0.3:
        text = text.replace("'", rng.choice(["\u2019", "\u02bc", ""]))
    if rng.random() < 0.2:
        text = text.replace(" ", rng.choice(["-", "  ", " - ", "\u00a0"]))
    return text


def random_cases(count: int, seed: int = 1) -> list[Case]:
    """Return ``count`` random tweets built from the rules' phrases and the noise above."""
    rng = random.Random(seed)
    literals = [
        entry for cue in promo.DEFAULT_RULES.text_cues for entry in (*cue.phrases, *cue.imperatives)
    ]
    domains = [d for cue in promo.DEFAULT_RULES.link_cues for d in cue.domains]
    cases = []
    for _ in range(count):
        parts = [
            _styled(rng.choice(literals if rng.random() < 0.5 else NOISE), rng)
            for _ in range(rng.randint(0, 14))
        ]
        text = rng.choice([" ", " ", ". ", ", ", "! ", ""]).join(parts)
        urls: list[str] = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            if rng.random() < 0.5:
                urls.append(rng.choice(URLS))
            else:
                host = rng.choice(["", "www.", "shop.", "book."]) + rng.choice(domains)
                urls.append(f"https://{host}/{rng.choice(['', 'shop/x', 'news/y', 'a?b=c'])}")
        if urls and rng.random() < 0.3:
            text += " " + rng.choice(urls)
        username, name = rng.choice(NAMES)
        cases.append(Case(text, tuple(urls), username, name))
    return cases


def check_identical(
    old: Callable[..., object], new: Callable[..., object], cases: Sequence[Case], label: str
) -> int:
    """Return how many cases both classifiers agree on; stop at the first that differs."""
    for case in cases:
        expected = old(case.text, case.urls, username=case.username, name=case.name)
        got = new(case.text, case.urls, username=case.username, name=case.name)
        fields = ("promotional", "score", "reasons")
        if [getattr(expected, f) for f in fields] != [getattr(got, f) for f in fields]:
            sys.exit(f"DIFFERENT on {label}: {case!r}\n  before: {expected}\n  now:    {got}")
    return len(cases)


def time_run(classify: Callable[..., object], cases: Sequence[Case]) -> float:
    """Return the seconds one pass of ``classify`` over ``cases`` takes."""
    start = time.perf_counter()
    for case in cases:
        classify(case.text, case.urls, username=case.username, name=case.name)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BEFORE_SPEED_UP, help="git revision to compare with")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--random", type=int, default=20_000, help="number of random texts")
    args = parser.parse_args()
    base = load_base(args.base)
    sets = {
        "labelled set": labelled_cases(),
        "example community": community_cases(),
        "random texts (seed 1)": random_cases(args.random),
    }
    old_awkward, new_awkward = base.load_rules(AWKWARD_RULES), promo.load_rules(AWKWARD_RULES)
    checked = 0
    for label, cases in sets.items():
        checked += check_identical(base.classify, promo.classify, cases, label)
        checked += check_identical(
            functools.partial(base.classify, rules=old_awkward),
            functools.partial(promo.classify, rules=new_awkward),
            cases,
            f"{label}, awkward rules",
        )
    print(f"identical results: {checked:,} classifications compared, 0 differences")
    print(f"(the {', '.join(f'{len(c):,} {label}' for label, c in sets.items())},")
    print(" each with the packaged rules and with a rules file of awkward additions)")
    print()
    print(f"median of {args.runs} runs, microseconds per tweet (base = {args.base});")
    print("now, cold: every cache emptied before the run (the first tweets of an import);")
    print("now, warm: caches emptied, then 5,000 other random tweets classified (later tweets)")
    print(f"{'set':<24}{'before':>8}{'now, cold':>11}{'ratio':>7}{'now, warm':>11}{'ratio':>7}")
    warm_up = random_cases(5_000, seed=2)
    totals = [0.0, 0.0, 0.0]
    count = 0
    for label, cases in sets.items():
        runs: list[list[float]] = [[], [], []]
        for _ in range(args.runs):
            runs[0].append(time_run(base.classify, cases))
            promo.DEFAULT_RULES._forget()
            runs[1].append(time_run(promo.classify, cases))
            promo.DEFAULT_RULES._forget()
            time_run(promo.classify, warm_up)
            runs[2].append(time_run(promo.classify, cases))
        medians = [statistics.median(times) for times in runs]
        totals = [total + median for total, median in zip(totals, medians, strict=True)]
        count += len(cases)
        print(row(label, [median / len(cases) for median in medians]))
    print(row("all tweets", [total / count for total in totals]))


def row(label: str, seconds: list[float]) -> str:
    """Return one line of the table: seconds per tweet before, now cold and now warm."""
    before, cold, warm = seconds
    return (
        f"{label:<24}{before * 1e6:>8.1f}{cold * 1e6:>11.1f}{before / cold:>6.1f}x"
        f"{warm * 1e6:>11.1f}{before / warm:>6.1f}x"
    )


if __name__ == "__main__":
    main()
