"""The annual cycle of the yearly measures (M07 M09 M13 M14 M17): one list per measure and year.

Session in, no commit: the caller (a Prefect task, a test, the bench) owns each transaction.
A recipient's applications of the year are assessed together (caps and once-only items across
them), the list goes lead unit → responsible units → 公示 → finance as one batch, lines an
officer takes out go back to the single-application route, and the ledger is written in
chunks whose unique keys and CHECKs make a second payment impossible.
"""
