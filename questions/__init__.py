"""The question bank.

It depends only on the shared pieces of `contest` (extensions, database types, text folding),
never on contest features, so the bank can be reused by online rounds and the live stage alike.
"""
