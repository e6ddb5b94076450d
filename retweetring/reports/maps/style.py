"""The maps' font and colours."""

from __future__ import annotations

FONT = "DejaVu Sans"

#: Community colours: tab10 without its grey; smaller communities share one colour.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
)
OTHER_COMMUNITY = "#9e9ab8"
NO_COMMUNITY_COLOUR = "#d0d0d0"
MUTUAL_LINE = "#3b3b3b"
ONE_SIDED_LINE = "#8c8c8c"
#: Ego map: the relationship of each account to the one in the centre.
EGO_COLOURS = {
    "centre": "#222222",
    "mutual": "#2ca02c",
    "supporter": "#1f77b4",
    "supported": "#ff7f0e",
    "introduction": "#9467bd",
}
