"""The closing ceremony and the audience: a frozen public board, the podium, audience polls.

Freezing keeps the projector's and the public board's standings as they stood, while the host,
the secretary and the judges keep seeing live scores — the suspense of a last part. The podium
then reveals the final standings one place at a time, from the last up to the winner.

Audience votes are not events (a hall of phones would bury the log); the host's close of a poll
carries the tally, which the service counts from the votes table, so the result is in the log.
"""

from __future__ import annotations

from live.formats.base import HOST, award, current_part
from live.standings import standings
from live.state import Event, Poll, Rejected, Setup, State


def public_rows(setup: Setup, state: State) -> list[dict]:
    return [
        {"team": r.team_id, "name": r.name, "colour": r.colour, "total": r.total, "rank": r.rank}
        for r in standings(setup, state)
    ]


def _freeze(setup: Setup, state: State, event: Event) -> None:
    if state.frozen is not None:
        raise Rejected("already_frozen")
    state.frozen = public_rows(setup, state)


def _unfreeze(setup: Setup, state: State, event: Event) -> None:
    if state.frozen is None:
        raise Rejected("not_frozen")
    state.frozen = None


def _podium_next(setup: Setup, state: State, event: Event) -> None:
    shown = state.podium_shown or 0
    if shown >= len(setup.teams):
        raise Rejected("podium_done", "every place is already revealed")
    state.podium_shown, state.scene = shown + 1, "podium"


def _podium_reset(setup: Setup, state: State, event: Event) -> None:
    if state.podium_shown is None:
        raise Rejected("podium_not_started")
    state.podium_shown = None


def _poll_open(setup: Setup, state: State, event: Event) -> None:
    if state.poll_open is not None:
        raise Rejected("poll_open", "close the open poll first")
    kind = event.payload.get("kind")
    if kind == "favourite":
        choices = tuple(team.id for team in setup.teams)
        question_id = None
    elif kind == "question":
        found = setup.question(event.payload.get("question"))
        if found is None or found[1].content.get("type") != "single":
            raise Rejected("bad_poll_question", "a single-choice question of the show")
        question_id = found[1].id
        choices = tuple(range(len(found[1].content["options"])))
    else:
        raise Rejected("bad_poll")
    state.polls[event.seq] = Poll(event.seq, kind, choices, question_id)
    state.poll_open, state.scene = event.seq, "poll"


def _poll_close(setup: Setup, state: State, event: Event) -> None:
    if state.poll_open is None:
        raise Rejected("no_poll_open")
    poll = state.polls[state.poll_open]
    raw = event.payload.get("tally")
    if not isinstance(raw, dict):
        raise Rejected("bad_tally")
    tally: dict[int, int] = {}
    for key, count in raw.items():
        choice = int(key) if isinstance(key, str) and key.lstrip("-").isdigit() else key
        if choice not in poll.choices or isinstance(count, bool) or not isinstance(count, int):
            raise Rejected("bad_tally")
        if count < 0:
            raise Rejected("bad_tally")
        tally[choice] = count
    poll.closed, poll.tally, state.poll_open = True, tally, None
    if poll.kind == "favourite" and setup.audience_bonus and any(tally.values()):
        # The favourite, or every team sharing the most votes, gets the bonus.
        top = max(tally.values())
        part_id = current_part(setup, state).id if state.part_id is not None else None
        for team_id in sorted(t for t, votes in tally.items() if votes == top):
            award(state, event, team_id, setup.audience_bonus, "audience", part_id=part_id)


FORMAT = None
HANDLERS = {
    "scoreboard.freeze": (HOST, _freeze),
    "scoreboard.unfreeze": (HOST, _unfreeze),
    "podium.next": (HOST, _podium_next),
    "podium.reset": (HOST, _podium_reset),
    "poll.open": (HOST, _poll_open),
    "poll.close": (HOST, _poll_close),
}
