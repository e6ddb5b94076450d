"""PNG maps of the support graph: the whole community, or the support around one account.

The modules, one job each: :mod:`.canvas` (image size, dpi, room for text), :mod:`.layout`
(where accounts go), :mod:`.drawing` (figure, lines, nodes, title, PNG), :mod:`.labels`
(account labels), :mod:`.legend`, :mod:`.text` (names and counts as drawn), :mod:`.style`
(font and colours), :mod:`.result`, and the two maps, :mod:`.community` and :mod:`.ego`.
"""

from retweetring.reports.maps.canvas import DEFAULT_DPI, DEFAULT_SIZE, parse_size
from retweetring.reports.maps.community import community_map, most_connected
from retweetring.reports.maps.ego import ego_map
from retweetring.reports.maps.result import MapResult
from retweetring.reports.maps.text import display_text

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_SIZE",
    "MapResult",
    "community_map",
    "display_text",
    "ego_map",
    "most_connected",
    "parse_size",
]
