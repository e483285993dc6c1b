"""`ipaward demo`: a realistic cohort run end to end on the embedded default."""
