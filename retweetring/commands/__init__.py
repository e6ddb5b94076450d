"""Commands of the `retweetring` command line, one module each, registered in ``cli.py``."""
