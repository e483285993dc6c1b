"""Text conventions of Chinese official writing shared by notices, config checks and tests."""
