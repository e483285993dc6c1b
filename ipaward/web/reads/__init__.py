"""Read models of the web pages: a session in, plain data out; filters and sorting in SQL."""
