"""``retweetring export``: the support graph for Gephi, networkx, spreadsheets and scripts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from retweetring.cli.options import load_analysis, networks_option, state_of, window_options
from retweetring.defaults import EXPORT_FORMATS


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="The file format."
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (csv: STEM-nodes.csv and STEM-edges.csv beside it).",
)
@window_options
@networks_option
@click.pass_context
def export(
    ctx: click.Context,
    fmt: str,
    output: Path,
    since: date | None,
    until: date | None,
    min_support: int,
    all_retweets: bool,
    platform: str,
) -> None:
    """Export the support graph as GraphML, GEXF (Gephi), CSV or JSON.

    Nodes carry username, name, community (-1: no mutual partner), given and received;
    edges (supporter -> supported) carry weight, mutual, first and last (ISO-8601 UTC).
    Only edges with weight >= --min-support are written. CSV writes two files:
    FILE-nodes.csv and FILE-edges.csv. JSON is networkx node-link data.

    With --platform all, each person is one node (linked accounts merged, weights added)
    whose accounts (platform:handle) are in 'accounts' and, in GraphML and GEXF, 'label'.

    Example:

        retweetring export --format gexf -o saltby.gexf --since 2026-10-01

        retweetring export --format csv -o everyone.csv --platform all
    """
    from retweetring.reports.export import export_graph, export_graphml_of_weights

    state = state_of(ctx)
    if fmt == "graphml" and platform != "all":  # written straight from arrays, the same file
        analysis = load_analysis(
            state, since, until, min_support, all_retweets, platform, arrays=True, times=True
        )
        result = export_graphml_of_weights(
            analysis.graph, output, min_support=min_support, window_label=analysis.window.describe()
        )
    else:
        analysis = load_analysis(state, since, until, min_support, all_retweets, platform)
        result = export_graph(
            analysis.graph,
            output,
            fmt,
            min_support=min_support,
            window_label=analysis.window.describe(),
        )
    click.echo(result.summary())


COMMANDS = (export,)
