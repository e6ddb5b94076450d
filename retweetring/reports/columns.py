"""The columns of the analytics tables: ``(key, heading)`` pairs for text and CSV output.

Kept apart from :mod:`retweetring.reports.console` so that JSON and CSV output, which need
the keys only, do not import rich.
"""

MUTUAL_COLUMNS = [("a", "a"), ("b", "b"), ("a_to_b", "a -> b"), ("b_to_a", "b -> a")]
ONE_SIDED_COLUMNS = [
    ("supporter", "supporter"),
    ("supported", "supported"),
    ("count", "retweets"),
    ("returned", "returned"),
]
INTRODUCTION_COLUMNS = [("a", "a"), ("b", "b"), ("via", "via"), ("score", "score")]
