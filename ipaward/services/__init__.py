"""Use cases that join validation, rules and the database; callers own the transaction."""
