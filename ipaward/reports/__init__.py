"""Yearly reports read from the system of record (the application database)."""
