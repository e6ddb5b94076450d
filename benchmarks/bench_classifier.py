"""Classifications per second: the learned model against the rule scorer it replaced.

Run: ``python benchmarks/bench_classifier.py [--runs 5]``. The baseline is the rule-based
``retweetring/promo.py`` as it was at commit 1f3273d, loaded from git history into a
temporary module, so both run in the same process on the same texts. Also timed, as a
floor: a scorer that does only what any model with word and word-pair features must do in
plain Python (fold, tokenise, look up the words and pairs among the model's, add their
weights), with none of the cues. Texts: the real
labelled tweets of ``../shared`` when present, the hand-written set, and synthetic tweets;
each run classifies every text once, in one thread (one core). Also timed: the learned model
as it was before its speed-up and as it was on main before this change (``--today``, read
from git too with ``tests/promo_reference.py``), both with today's model file, so only the
code differs; and ``classify_many`` on the whole sample at once (how import and reclassify
call it), there and on tweets of a synthetic community (``synthetic.py``: links to the
authors' own sites, profile websites), against main's. Prints the median of the runs.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import synthetic  # noqa: E402

BASELINE_COMMIT = "1f3273d"
TODAY_COMMIT = "329fb2a"
"""main before this change: the classifier the 50,000-a-second target is measured against."""


def baseline_classify():
    """The old ``classify`` function, loaded from git history."""
    tmp = Path(tempfile.mkdtemp(prefix="rr-baseline-"))
    package = tmp / "rr_baseline"
    package.mkdir()
    for name, dest in (
        ("retweetring/promo.py", "__init__.py"),
        ("retweetring/promo_rules.toml", "promo_rules.toml"),
    ):
        text = subprocess.run(
            ["git", "show", f"{BASELINE_COMMIT}:{name}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (package / dest).write_text(text.replace('files("retweetring")', 'files("rr_baseline")'))
    sys.path.insert(0, str(tmp))
    spec = importlib.util.spec_from_file_location("rr_baseline", package / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["rr_baseline"] = module
    spec.loader.exec_module(module)
    return module.classify


def texts() -> list[str]:
    found: list[str] = []
    real = ROOT.parent / "shared" / "fixtures" / "promo" / "real_sme_tweets.tsv"
    if real.exists():
        with real.open(encoding="utf-8") as f:
            found += [row["text"] for row in csv.DictReader(f, delimiter="\t")]
    with (ROOT / "tests" / "data" / "promo_labelled.csv").open(encoding="utf-8") as f:
        found += [row["text"] for row in csv.DictReader(f)]
    shops = ["hollys_bakery", "bloomandbranch", "harbour_cafe", "seaside_salon"]
    found += [
        f"Fresh batch at {s}, {n}% off today only - order now! #{n}"
        for n in range(200)
        for s in shops[:1]
    ]
    return found


def word_pair_floor():
    """The least a word-and-pair linear model costs in plain Python: fold, tokenise, look up
    every word and pair among the shipped model's word features, add their weights."""
    from retweetring.promo.features import _TOKEN, _fold
    from retweetring.promo.model import shipped_model

    model = shipped_model()
    weights = {k[2:]: v for k, v in model.weights.items() if k.startswith("w:")}
    known = frozenset(weights)
    pair = "{} {}".format

    def score(text: str, username: str | None = None) -> float:
        keys = _TOKEN.findall(_fold(text))
        seen = set(keys)
        seen.update(map(pair, keys, keys[1:]))
        return model.bias + sum(map(weights.__getitem__, seen & known))

    return score


def many(classifier, calls: list[tuple]) -> float:
    """CPU seconds of ``classify_many(calls)``."""
    start = time.process_time()
    classifier.classify_many(calls)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", default=TODAY_COMMIT, help="git revision of today's code")
    parser.add_argument(
        "--repeat", type=int, default=1, help="classify the texts this many times a run"
    )
    args = parser.parse_args()
    from promo_reference import REFERENCE_COMMIT, load_reference

    from retweetring.promo import shipped_classifier

    sample = texts() * args.repeat
    before = f"model before ({REFERENCE_COMMIT})"
    today = f"main ({args.today})"
    classifier = shipped_classifier()
    calls = [(text, (), "hollys_bakery", None, None) for text in sample]
    contenders = (
        ("old rules (1f3273d)", baseline_classify()),
        (before, load_reference().shipped_classifier().classify),
        (today, load_reference(args.today).shipped_classifier().classify),
        ("learned model", classifier.classify),
        ("floor: words and pairs", word_pair_floor()),
    )
    community = synthetic.classifier_calls(2000, seed=7)
    main_classifier = load_reference(args.today).shipped_classifier()
    timings: dict[str, list[float]] = {label: [] for label, _ in contenders}
    staged = (
        "learned model, classify_many",
        "synthetic community, classify_many",
        f"synthetic community, {today} classify_many",
    )
    for label in staged:
        timings[label] = []
    for _ in range(args.runs):
        for label, fn in contenders:
            start = time.process_time()
            for text in sample:
                fn(text, username="hollys_bakery")
            timings[label].append(time.process_time() - start)
        timings[staged[0]].append(many(classifier, calls))
        timings[staged[1]].append(many(classifier, community))
        timings[staged[2]].append(many(main_classifier, community))
    print(f"{len(sample):,} classifications a run ({len(community):,} of the synthetic")
    print(f"community), {args.runs} runs, median per run")
    medians = {k: statistics.median(v) for k, v in timings.items()}
    for label, seconds in medians.items():
        per = seconds / (len(community) if label in staged[1:] else len(sample))
        print(f"  {label:36s} {per * 1e6:7.1f} us/tweet  {1 / per:9,.0f} tweets/s")
    ratio = medians["old rules (1f3273d)"] / medians["learned model"]
    print(f"  learned model is {ratio:.2f}x the speed of the old rules")
    for label in ("learned model", "learned model, classify_many"):
        print(f"  {label} is {medians[today] / medians[label]:.2f}x the speed of {today}")
    gain = medians[before] / medians["learned model"]
    print(f"  learned model is {gain:.2f}x the speed of the {before}")
    floor = medians["learned model"] / medians["floor: words and pairs"]
    print(f"  the word-and-pair floor alone is {floor:.2f}x the learned model's speed")


if __name__ == "__main__":
    main()
