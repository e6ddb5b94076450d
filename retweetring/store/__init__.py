"""Storage: typed tables, opening and migrating the database, and the bulk writer."""
