"""The approval path: from intake through the route's human stages to payment.

Everything here is plain domain code on a SQLAlchemy session; Prefect flows only call it.
"""
