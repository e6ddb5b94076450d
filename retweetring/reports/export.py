"""The support graph as files other tools read: GraphML, GEXF, CSV and JSON.

Every format carries the same graph, :func:`retweetring.analytics.annotate.annotated_graph`:

- nodes: ``id`` (the X account id, as a string: ids are too large for JSON numbers in
  JavaScript), ``username``, ``name``, ``community`` (-1: no mutual partner), ``given`` and
  ``received`` (sums of the exported edges' weights), and ``label`` (= username, the name
  Gephi shows) in GraphML and GEXF; a graph of persons across networks
  (:func:`retweetring.people.people_graph`) adds ``accounts``, the person's accounts as
  ``platform:handle`` joined by ``, ``, which is then the ``label`` too;
- edges ``supporter -> supported``: ``weight``, ``mutual``, and ``first`` / ``last`` (the
  earliest and latest counted retweet) as ISO-8601 UTC strings such as
  ``2026-11-02T09:00:00+00:00``.

CSV is two files beside each other: ``STEM-nodes.csv`` and ``STEM-edges.csv``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from retweetring.analytics.annotate import NO_COMMUNITY, annotated_graph
from retweetring.analytics.labels import sorted_nodes
from retweetring.analytics.shared import check_min_support
from retweetring.defaults import EXPORT_FORMATS
from retweetring.reports.formats import csv_writer

if TYPE_CHECKING:
    from retweetring.analytics.weights import SupportWeights

__all__ = [
    "EXPORT_FORMATS",
    "ExportResult",
    "csv_paths",
    "export_graph",
    "export_graphml_of_weights",
    "export_ready",
    "write_graphml",
]

NODE_COLUMNS = ("id", "username", "name", "community", "given", "received")
EDGE_COLUMNS = (
    "source",
    "target",
    "source_username",
    "target_username",
    "weight",
    "mutual",
    "first",
    "last",
)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    paths: tuple[Path, ...]
    format: str
    nodes: int
    edges: int
    mutual_pairs: int

    def summary(self) -> str:
        """One line saying what was written where."""
        where = " and ".join(str(p) for p in self.paths)
        return (
            f"wrote {self.nodes:,} accounts and {self.edges:,} support edges "
            f"({self.mutual_pairs:,} mutual pairs) as {self.format} to {where}"
        )


def _iso(value: Any) -> str:
    """An ISO-8601 UTC string for a (naive UTC or aware) datetime; '' when missing."""
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()


def export_ready(
    G: nx.DiGraph, min_support: int = 1, *, window_label: str = "all time"
) -> nx.DiGraph:
    """Return the annotated support graph with string ids and only exportable values.

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph (see :func:`retweetring.graph.support_graph`).
    min_support : int, optional (default=1)
        Keep only edges with weight >= this; mutual means both directions reach it.
    window_label : str, optional
        The window in words, stored as the graph attribute ``window``.

    Returns
    -------
    networkx.DiGraph
        Nodes are ``str(account id)`` in label order, with ``username``, ``name``,
        ``community``, ``given`` and ``received``; edges (in label order) carry ``weight``,
        ``mutual``, ``first`` and ``last`` (ISO-8601 strings). Graph attributes: ``window``
        and ``min_support``.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge(7, 8, weight=2, first=datetime(2026, 11, 2, 9), last=datetime(2026, 11, 3))
    >>> E = export_ready(G)
    >>> E.nodes["7"]
    {'username': '7', 'name': '', 'community': -1, 'given': 2, 'received': 0}
    >>> E.edges["7", "8"]["first"]
    '2026-11-02T09:00:00+00:00'
    """
    A = annotated_graph(G, min_support)
    E = nx.DiGraph(window=window_label, min_support=A.graph["min_support"])
    order = sorted_nodes(A)
    for node in order:
        attrs = A.nodes[node]
        E.add_node(
            str(node),
            username=str(attrs["username"]),
            name=str(attrs.get("name") or ""),
            community=int(attrs["community"]),
            given=int(attrs["given"]),
            received=int(attrs["received"]),
            **({"accounts": ", ".join(attrs["accounts"])} if "accounts" in attrs else {}),
        )
    for u in order:
        for v in sorted_nodes(A, A.succ[u]):
            data = A.edges[u, v]
            E.add_edge(
                str(u),
                str(v),
                weight=int(data["weight"]),
                mutual=bool(data["mutual"]),
                first=_iso(data.get("first")),
                last=_iso(data.get("last")),
            )
    return E


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """Return the nodes and edges CSV files for `path`: ``STEM-nodes.csv``, ``STEM-edges.csv``.

    >>> [p.name for p in csv_paths("out/saltby.csv")]
    ['saltby-nodes.csv', 'saltby-edges.csv']
    """
    path = Path(path)
    stem = path.stem if path.suffix.lower() == ".csv" else path.name
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


def export_graph(
    G: nx.DiGraph,
    path: str | Path,
    fmt: str,
    *,
    min_support: int = 1,
    window_label: str = "all time",
) -> ExportResult:
    """Write the annotated support graph to `path` in `fmt` (see the module docstring).

    Parameters
    ----------
    G : networkx.DiGraph
        The support graph.
    path : str or Path
        The file to write; for ``csv`` the stem of the two files (see :func:`csv_paths`).
    fmt : {"graphml", "gexf", "csv", "json"}
        The format. JSON is networkx node-link data (``nodes`` and ``edges`` lists).
    min_support : int, optional (default=1)
        Keep only edges with weight >= this.
    window_label : str, optional
        The window in words, stored with the graph.

    Returns
    -------
    ExportResult
        The files written and what they hold.

    Raises
    ------
    ValueError
        If `fmt` is not one of ``EXPORT_FORMATS``.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(
            f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    E = export_ready(G, min_support, window_label=window_label)
    path = Path(path)
    if fmt == "graphml":
        write_graphml(E, path)
        paths: tuple[Path, ...] = (path,)
    elif fmt == "gexf":
        _xml_ready(E)
        nx.write_gexf(E, path, encoding="utf-8")
        paths = (path,)
    elif fmt == "json":
        data = nx.node_link_data(E, edges="edges")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths = (path,)
    else:
        paths = _write_csv(E, path)
    mutual = sum(1 for _, _, m in E.edges(data="mutual") if m) // 2
    return ExportResult(paths, fmt, E.number_of_nodes(), E.number_of_edges(), mutual)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Return ``text`` with each character XML 1.0 forbids (most control characters, U+FFFE,
    lone surrogates) replaced by U+FFFD, so that Gephi and other XML readers can open it.

    >>> xml_safe("Bea\x1b[2J\x0b\ufffe Bakes")
    'Bea\ufffd[2J\ufffd\ufffd Bakes'
    """
    return _NOT_XML.sub("\ufffd", text)


def _label(attrs: dict[str, Any]) -> str:
    """The name Gephi shows: the person's accounts across networks, else the username."""
    return str(attrs.get("accounts") or attrs["username"])


def _has_accounts(E: nx.DiGraph) -> bool:
    """Whether the nodes are persons across networks, with their ``accounts``."""
    return any("accounts" in attrs for _, attrs in E.nodes(data=True))


def _xml_ready(E: nx.DiGraph) -> None:
    """Give every node its ``label`` and make every text attribute :func:`xml_safe`."""
    for node in E:
        E.nodes[node]["label"] = _label(E.nodes[node])
    items = [E.graph, *(attrs for _, attrs in E.nodes(data=True))]
    items += [attrs for _, _, attrs in E.edges(data=True)]
    for attrs in items:
        for key, value in attrs.items():
            if isinstance(value, str):
                attrs[key] = xml_safe(value)


_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_GRAPHML_KEYS = (
    ("graph", "window", "string"),
    ("graph", "min_support", "long"),
    ("node", "username", "string"),
    ("node", "name", "string"),
    ("node", "community", "long"),
    ("node", "given", "long"),
    ("node", "received", "long"),
    ("node", "label", "string"),
    ("edge", "weight", "long"),
    ("edge", "mutual", "boolean"),
    ("edge", "first", "string"),
    ("edge", "last", "string"),
)
_GRAPHML_ACCOUNTS = ("node", "accounts", "string")
"""The key a graph of persons across networks adds, after the others (their ids unchanged)."""


def _graphml_value(value: Any) -> str:
    """The text of one GraphML ``<data>`` value: booleans as ``true``/``false``, text escaped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return escape(xml_safe(value))
    return str(value)


def _graphml_data(keys: dict[str, str], attrs: dict[str, Any], indent: str) -> str:
    return "".join(
        f'{indent}<data key="{keys[name]}">{_graphml_value(value)}</data>\n'
        for name, value in attrs.items()
    )


def write_graphml(E: nx.DiGraph, path: Path) -> None:
    """Write an :func:`export_ready` graph as GraphML, element by element (no XML tree).

    Every node also gets ``label`` (= username); text is :func:`xml_safe`. The file reads back
    with :func:`networkx.read_graphml` as the graph networkx's own writer would give.
    """
    keys = (*_GRAPHML_KEYS, _GRAPHML_ACCOUNTS) if _has_accounts(E) else _GRAPHML_KEYS
    scoped = _graphml_scoped_keys(keys)
    nodes = (
        _graphml_node(scoped, node, {**attrs, "label": _label(attrs)})
        for node, attrs in E.nodes(data=True)
    )
    edges = (
        f"    <edge source={quoteattr(xml_safe(str(u)))} target={quoteattr(xml_safe(str(v)))}>\n"
        f"{_graphml_data(scoped['edge'], attrs, '      ')}    </edge>\n"
        for u, v, attrs in E.edges(data=True)
    )
    _write_graphml_parts(path, scoped, nodes, edges, E.graph, keys)


def _graphml_scoped_keys(
    keys: tuple[tuple[str, str, str], ...] = _GRAPHML_KEYS,
) -> dict[str, dict[str, str]]:
    """Per scope (graph, node, edge), each attribute's GraphML key id."""
    ids = {(scope, name): f"d{i}" for i, (scope, name, _) in enumerate(keys)}
    return {
        scope: {name: ids[scope, name] for s, name, _ in keys if s == scope}
        for scope in ("graph", "node", "edge")
    }


def _graphml_node(scoped: dict[str, dict[str, str]], node: Any, attrs: dict[str, Any]) -> str:
    data = _graphml_data(scoped["node"], attrs, "      ")
    return f"    <node id={quoteattr(xml_safe(str(node)))}>\n{data}    </node>\n"


def _write_graphml_parts(
    path: Path,
    scoped: dict[str, dict[str, str]],
    nodes: Iterable[str],
    edges: Iterable[str],
    graph: dict[str, Any],
    keys: tuple[tuple[str, str, str], ...] = _GRAPHML_KEYS,
) -> None:
    """Write the GraphML head and `keys`, the `nodes` and `edges` elements, and `graph`'s
    data."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(_GRAPHML_HEAD)
        for scope, name, kind in keys:
            out.write(
                f'  <key id="{scoped[scope][name]}" for="{scope}" '
                f'attr.name="{name}" attr.type="{kind}" />\n'
            )
        out.write('  <graph edgedefault="directed">\n')
        out.writelines(nodes)
        out.writelines(edges)
        out.write(_graphml_data(scoped["graph"], graph, "    "))
        out.write("  </graph>\n</graphml>\n")


def export_graphml_of_weights(
    sw: SupportWeights,
    path: str | Path,
    *,
    min_support: int = 1,
    window_label: str = "all time",
    seed: int = 42,
) -> ExportResult:
    """``export_graph(G, path, "graphml", ...)`` of the support graph that `sw` holds (read
    with its times), the same file byte for byte, written from arrays without building the
    graph."""
    import numpy as np

    from retweetring.analytics.weights import distinct, map_inputs

    inputs = map_inputs(sw, check_min_support(min_support), seed)
    k = inputs.kept.k
    back = sw.returned()
    keep = sw.weight >= k
    order = np.flatnonzero(keep)
    order = order[np.lexsort((sw.target[order], sw.source[order]))]
    present = distinct(np.concatenate([sw.source[order], sw.target[order]])).tolist()
    scoped = _graphml_scoped_keys()
    kept, group = inputs.kept, inputs.group
    ids = [str(node) for node in sw.nodes]
    node_keys = scoped["node"]
    node_template = (
        "    <node id={}>\n"
        + "".join(
            f'      <data key="{node_keys[name]}">{{}}</data>\n'
            for name in ("username", "name", "community", "given", "received", "label")
        )
        + "    </node>\n"
    ).format

    def node_element(i: int) -> str:
        # as _graphml_node of the graph path's attributes, from one template
        node = sw.nodes[i]
        name = sw.names[i]
        username = escape(xml_safe(str(node) if name is None else sw.usernames[i]))
        return node_template(
            quoteattr(xml_safe(ids[i])),
            username,
            escape(xml_safe(name)) if name else "",
            group.get(node, NO_COMMUNITY),
            kept.given.get(node, 0),
            kept.received.get(node, 0),
            username,
        )

    edge = scoped["edge"]
    first, first_zone = _iso_parts(np, sw.first, order)
    last, last_zone = _iso_parts(np, sw.last, order)
    # one %-format of a tuple per edge: a third faster than str.format in a generator
    template = (
        '    <edge source="%s" target="%s">\n'
        f'      <data key="{edge["weight"]}">%s</data>\n'
        f'      <data key="{edge["mutual"]}">%s</data>\n'
        f'      <data key="{edge["first"]}">%s{first_zone}</data>\n'
        f'      <data key="{edge["last"]}">%s{last_zone}</data>\n'
        "    </edge>\n"
    )
    id_of = np.array(ids, dtype=object)
    rows = zip(
        id_of[sw.source[order]].tolist(),
        id_of[sw.target[order]].tolist(),
        sw.weight[order].tolist(),
        np.where(back[order] >= k, "true", "false").tolist(),
        first,
        last,
        strict=True,
    )
    edges = map(template.__mod__, rows)
    path = Path(path)
    graph = {"window": window_label, "min_support": k}
    _write_graphml_parts(path, scoped, map(node_element, present), edges, graph)
    pairs = int(np.count_nonzero((back[order] >= k) & (sw.source[order] < sw.target[order])))
    return ExportResult((path,), "graphml", len(present), len(order), pairs)


def _iso_texts(np: Any, times: Any, order: Any) -> list[str]:
    """:func:`_iso` of each naive-UTC ``datetime64[us]`` in ``times[order]`` ('' for NaT)."""
    texts, zone = _iso_parts(np, times, order)
    return [text + zone for text in texts] if zone else texts


def _iso_parts(np: Any, times: Any, order: Any) -> tuple[list[str], str]:
    """:func:`_iso_texts` as texts and a suffix for each: ``+00:00`` left out of the texts
    when every time is known and a whole second (so a template can add it), else ''."""
    if times is None:
        return [""] * len(order), ""
    picked = times[order]
    missing = np.isnat(picked)
    whole = picked.view("int64") % 1_000_000 == 0  # (microseconds since the epoch)
    if bool(np.all(missing | whole)):  # whole seconds: isoformat() leaves out ".000000"
        texts = np.datetime_as_string(picked, unit="s").tolist()
        if not missing.any():
            return texts, "+00:00"
        texts = list(map("{}+00:00".format, texts))
        for i in np.flatnonzero(missing).tolist():
            texts[i] = ""
        return texts, ""
    texts = np.datetime_as_string(picked, unit="us").tolist()
    # datetime.isoformat() leaves out the microseconds when they are zero
    return [
        "" if gone else (text[:-7] if text.endswith(".000000") else text) + "+00:00"
        for text, gone in zip(texts, missing.tolist(), strict=True)
    ], ""


def _write_csv(E: nx.DiGraph, path: Path) -> tuple[Path, Path]:
    nodes_path, edges_path = csv_paths(path)
    columns = (*NODE_COLUMNS, "accounts") if _has_accounts(E) else NODE_COLUMNS
    with nodes_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv_writer(out)
        writer.writerow(columns)
        for node, attrs in E.nodes(data=True):
            writer.writerow([node, *(attrs[c] for c in columns[1:])])
    with edges_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv_writer(out)
        writer.writerow(EDGE_COLUMNS)
        for u, v, data in E.edges(data=True):
            writer.writerow(
                [
                    u,
                    v,
                    _username(E, u),
                    _username(E, v),
                    data["weight"],
                    "true" if data["mutual"] else "false",
                    data["first"],
                    data["last"],
                ]
            )
    return nodes_path, edges_path


def _username(E: nx.DiGraph, node: Hashable) -> str:
    return str(E.nodes[node]["username"])
