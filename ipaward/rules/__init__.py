"""Pure award rules: (edition parameters, application facts, prior awards) → result.

Nothing here imports Prefect or the database.
"""
