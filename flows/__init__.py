"""Prefect flows of ipaward: each reads like the path it models and stops at human gates."""
