"""Commands of the ``retweetring`` CLI, one module per command family, registered in cli.py."""
