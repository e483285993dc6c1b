"""Prefect flows of ipaward (the approval path arrives with the workflow issue)."""
