"""Online contests for individuals: weekly rounds, registration, attempts, ranking and prizes.

The rules that decide a published result are pure modules with no Flask, no database and no
clock — `ranking`, `prizes`, `draw`, `units_table`, `phones`, `identity` — so they are tested
with plain values and read next to the contest's rules ("thể lệ"); views and services call them.
"""
