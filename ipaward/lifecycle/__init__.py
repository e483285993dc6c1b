"""One route engine for every subject that moves through stages: applications, annual lists
and programme years. Each subject's states are an enum (and a database CHECK); each move is a
declared transition with its sources, target, who may fire it, the audit row it writes and
the notice it issues (`paths`); `engine.fire` is the only way a subject's state changes.
"""
