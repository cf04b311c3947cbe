"""The live stage as a pure state machine: the show's state is folded from its event log.

No Flask, no database, no sockets, no clock: an event carries the server time it was recorded
at, and everything time-dependent (an answer after time-out, a buzz's milliseconds, overtime) is
decided from those times. `apply` either changes the state or raises `Rejected` *before* it
changes anything, so the service can try an event on the live state and append it only if it
fits; `fold` replays a whole log the same way, and an event that no longer fits (a team's answer
after the host undid the opening of answers) is skipped and listed in `state.ignored`.

Undo is an event too: `undo` names the host action it takes back. `fold` first collects the
taken-back actions, then replays the rest, so undoing a correction, a mark or a reveal needs no
inverse of each action — the state is simply what the remaining events make.

The rules of each format live in `live.formats`; the data in `live.state` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable

from live.formats import ACTORS_OF, EVENT_TYPES, handler_for
from live.formats.base import HOST, JUDGE, TEAM
from live.formats.judged import sheet_score
from live.state import (
    SCENES,
    Answer,
    Award,
    Buzz,
    Event,
    JudgeSpec,
    PartSpec,
    Performance,
    QuestionSpec,
    QuestionState,
    Rejected,
    Setup,
    Sheet,
    State,
    TeamSpec,
    Timer,
    actor_parts,
)

__all__ = [
    "HOST",
    "JUDGE",
    "SCENES",
    "TEAM",
    "Answer",
    "Award",
    "Buzz",
    "Event",
    "JudgeSpec",
    "PartSpec",
    "Performance",
    "QuestionSpec",
    "QuestionState",
    "Rejected",
    "Setup",
    "Sheet",
    "State",
    "TeamSpec",
    "Timer",
    "actor_parts",
    "apply",
    "fold",
    "sheet_score",
]


def apply(setup: Setup, state: State, event: Event) -> None:
    """Change `state` by `event`, or raise Rejected having changed nothing."""
    if event.type not in EVENT_TYPES and event.type != "undo":
        raise Rejected("unknown_event", event.type)
    kind, ident = actor_parts(event.actor)
    if event.type == "undo":
        if kind != HOST:
            raise Rejected("forbidden", "only the host undoes")
        _check_undo(state, event)
        return  # its effect is the replay without the target (see fold)
    if kind not in ACTORS_OF[event.type]:
        raise Rejected("forbidden", f"{event.type} is not for a {kind}")
    # Starting a part follows the rules of the part being started (an elimination part takes
    # its players then); everything else, those of the part under way.
    starting = setup.part(event.payload.get("part")) if event.type == "part.start" else None
    part = starting or setup.part(state.part_id)
    entry = handler_for(part.format if part else None, event.type)
    if entry is None and part is None:
        raise Rejected("no_part", "start a part first")
    if entry is None:
        raise Rejected("wrong_format", f"{event.type} has no rules in this part")
    expected, handler = entry
    if kind != expected:
        raise Rejected("forbidden", f"{event.type} is not for a {kind}")
    if expected == HOST:
        handler(setup, state, event)
        state.host_actions.append(event.seq)
    else:
        handler(setup, state, event, ident)
    state.seq = max(state.seq, event.seq)


def _check_undo(state: State, event: Event) -> None:
    target = event.payload.get("seq")
    if not state.host_actions or target != state.host_actions[-1]:
        raise Rejected("not_last_action", "only the last host action can be undone")


def fold(setup: Setup, events: Iterable[Event]) -> State:
    """The state a log makes: undone actions left out, events that no longer fit skipped."""
    events = sorted(events, key=lambda e: e.seq)
    host_seqs = {e.seq for e in events if actor_parts(e.actor)[0] == HOST and e.type != "undo"}
    undone: set[int] = set()
    for event in events:
        target = event.payload.get("seq") if event.type == "undo" else None
        if target in host_seqs and target not in undone and target < event.seq:
            undone.add(target)
    state = State(undone=undone)
    for event in events:
        state.seq = max(state.seq, event.seq)
        if event.seq in undone or event.type == "undo":
            continue
        try:
            apply(setup, state, event)
        except Rejected as exc:
            state.ignored[event.seq] = exc.code
    return state
