"""retweetring: see who supports whose promotional tweets in a small-business community on X."""

__version__ = "0.1.0"
