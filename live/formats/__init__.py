"""Each format's rules, as event handlers: (the kind of actor allowed, handler) by event type.

A handler checks everything first and raises `Rejected`, or changes the state; it never does both.
Host handlers take (setup, state, event); team and judge handlers also take the actor's id.
"""

from live.formats import all_answer, buzzer, judged, show

HANDLERS = {**show.HANDLERS, **all_answer.HANDLERS, **buzzer.HANDLERS, **judged.HANDLERS}
