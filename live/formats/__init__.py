"""Each format's rules, as event handlers keyed by (format, event type).

A handler checks everything first and raises `Rejected`, or changes the state; it never does both.
Host handlers take (setup, state, event); team, judge and player handlers also take the actor's
id. Handlers of the show itself (parts, scenes, the timer, corrections) have the format None and
apply whatever the current part; a format may give a shared event type ("buzz", "reveal") rules
of its own.
"""

from live.formats import (
    all_answer,
    buzzer,
    ceremony,
    elimination,
    judged,
    packages,
    show,
    sudden_death,
)

Handler = tuple[str, object]  # (the kind of actor allowed, the function)

HANDLERS: dict[tuple[str | None, str], Handler] = {}
for module in (show, ceremony, all_answer, buzzer, judged, packages, sudden_death, elimination):
    HANDLERS.update({(module.FORMAT, kind): entry for kind, entry in module.HANDLERS.items()})

EVENT_TYPES = {kind for _format, kind in HANDLERS}
ACTORS_OF: dict[str, set[str]] = {}
for (_format, _kind), (_actor, _function) in HANDLERS.items():
    ACTORS_OF.setdefault(_kind, set()).add(_actor)


def handler_for(part_format: str | None, kind: str) -> Handler | None:
    """The rules for this event in a part of this format (or in the show as a whole)."""
    return HANDLERS.get((part_format, kind)) or HANDLERS.get((None, kind))
