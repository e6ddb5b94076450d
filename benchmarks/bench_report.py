"""Time the support graph and the whole report on synthetic data of a chosen size.

    python benchmarks/bench_report.py --retweets 200000 --accounts 20000 --runs 3

Prints medians of several runs for: building the graph from SQL, each analysis, the report.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_jsonl  # noqa: E402

from retweetring import analytics  # noqa: E402
from retweetring.graph import support_graph  # noqa: E402
from retweetring.reports.summary import report  # noqa: E402
from retweetring.sources.ingest import import_file  # noqa: E402
from retweetring.store.session import open_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retweets", type=int, default=200_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(
            Path(tmp) / "s.jsonl", args.retweets, accounts=args.accounts, originals=args.retweets
        )
        engine = open_database(f"sqlite:///{tmp}/r.db")
        import_file(engine, source)
        steps = {
            "support graph (SQL GROUP BY)": lambda: support_graph(engine),
        }
        graph = support_graph(engine)
        steps.update(
            {
                "mutual pairs": lambda: analytics.mutual_pairs(graph),
                "one-sided": lambda: analytics.one_sided(graph),
                "introductions (top 20)": lambda: analytics.introductions(graph, top=20),
                "communities (Louvain)": lambda: analytics.communities(graph),
                "top connectors": lambda: analytics.top_connectors(graph),
                "whole report": lambda: report(graph, graph.number_of_nodes()),
            }
        )
        times: dict[str, list[float]] = {name: [] for name in steps}
        for _ in range(args.runs):
            for name, step in steps.items():
                start = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - start)
        print(
            f"{args.retweets:,} retweets, {graph.number_of_nodes():,} accounts, "
            f"{graph.number_of_edges():,} edges, {len(analytics.mutual_pairs(graph)):,} mutual "
            f"pairs; medians of {args.runs} runs"
        )
        for name, values in times.items():
            print(f"  {name:30} {statistics.median(values):7.2f} s")


if __name__ == "__main__":
    main()
