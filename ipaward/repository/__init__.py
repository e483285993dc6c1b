"""Repository functions: take a Session first, keyword-only arguments after, never commit.

The caller owns the transaction (see `ipaward.db.session.transaction`); every function
here that can fail half-way works inside a SAVEPOINT, so a failure leaves the caller's
transaction usable and nothing of the failed operation stored.
"""
