"""Example data shipped with retweetring: an invented small-business community on X."""
