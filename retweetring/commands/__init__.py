"""Commands defined outside ``cli.py``; each module adds its commands to the ``cli`` group."""
