"""Alembic migrations, shipped inside the package as ``retweetring.migrations``."""
