"""How long a 2,000-account community map takes, and the layout against networkx.

Prints the median of several runs of: the igraph layout behind ``spring_positions``,
``networkx.spring_layout`` (50 iterations, its default) on the same graph, and the whole
``community_map`` (layout, drawing, PNG). Compare the ratio, not the absolute seconds.

    python benchmarks/bench_maps.py [--accounts 2000] [--edges 45000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from graphs import large_support_graph  # noqa: E402

from retweetring.reports.maps import community_map  # noqa: E402
from retweetring.reports.maps.layout import spring_positions  # noqa: E402


def median_seconds(task: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` calls of `task`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=45_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    G = large_support_graph(seed=1, n=args.accounts, m=args.edges)
    print(f"graph: {G.number_of_nodes():,} accounts, {G.number_of_edges():,} edges")
    spring_positions(nx.path_graph(3))  # import igraph outside the timings
    igraph_s = median_seconds(lambda: spring_positions(G, seed=42), args.runs)
    print(f"spring_positions (igraph Fruchterman-Reingold): median {igraph_s:.2f} s")
    undirected = G.to_undirected()
    networkx_s = median_seconds(lambda: nx.spring_layout(undirected, seed=42), args.runs)
    print(f"networkx.spring_layout (50 iterations):         median {networkx_s:.2f} s")
    print(f"ratio networkx / igraph: {networkx_s / igraph_s:.1f}x")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.png"
        whole = median_seconds(lambda: community_map(G, path, top=args.accounts), args.runs)
    print(f"community_map, {args.accounts:,} accounts, 1800x1350 PNG: median {whole:.2f} s")


if __name__ == "__main__":
    main()
