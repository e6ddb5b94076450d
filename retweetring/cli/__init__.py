"""The ``retweetring`` command line.

``main.py`` builds the group, turns errors into one line and adds the commands; ``options.py``
holds what commands share (the state, options and output); every other module is one family of
commands and imports ``options.py``, never ``main.py`` or each other.
"""
