"""Prefect tasks of ipaward: thin wrappers that open a transaction and call the domain."""
