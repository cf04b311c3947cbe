"""Parts of a view that several roles share: the part, the timer, standings, polls, players.

Each is built from what any screen of the hall may see, never from the host's view; the role
views in `live.views` put them together.
"""

from __future__ import annotations

from live import presenting
from live.engine import QuestionState, Setup, State
from live.standings import standings


def part_block(setup: Setup, state: State) -> dict | None:
    part = setup.part(state.part_id)
    if part is None:
        return None
    return {"id": part.id, "title": part.title, "format": part.format}


def timer_block(state: State) -> dict:
    timer = state.timer
    return {
        "deadline": timer.deadline,
        "remaining": timer.remaining,
        "duration": timer.duration_s,
    }


def common(setup: Setup, state: State) -> dict:
    return {
        "seq": state.seq,
        "scene": state.scene,
        "part": part_block(setup, state),
        "timer": timer_block(state),
        "finished": state.finished,
    }


def current(setup: Setup, state: State):
    found = setup.question(state.question_id)
    if found is None:
        return None, None, None, 0
    part, question = found
    return part, question, state.questions[question.id], part.questions.index(question) + 1


def team_name(setup: Setup, team_id: int | None) -> str | None:
    team = setup.team(team_id)
    return team.name if team else None


def buzzes(setup: Setup, qs: QuestionState) -> list[dict]:
    """Each buzz in press order within its opening (early presses first), with its latency."""
    ordered = sorted(qs.buzzes, key=lambda b: (b.opening, b.corrected or b.at, b.seq))
    return [
        {
            "team": b.team_id,
            "name": team_name(setup, b.team_id),
            "kind": b.kind,
            "ms": b.ms,
            "rtt_ms": b.rtt_ms,
        }
        for b in ordered
        if b.kind != "void"
    ]


def rows(setup: Setup, state: State, include_open: bool = False) -> list[dict]:
    return [
        {"team": r.team_id, "name": r.name, "colour": r.colour, "total": r.total, "rank": r.rank}
        for r in standings(setup, state, include_open=include_open)
    ]


def public_rows(setup: Setup, state: State) -> list[dict]:
    """The board the hall may see: as it stood at the freeze, while it is frozen."""
    return state.frozen if state.frozen is not None else rows(setup, state)


def poll_block(setup: Setup, state: State) -> dict | None:
    """The open poll (or the last one): what the audience chooses between, and the result."""
    seq = state.poll_open or (max(state.polls) if state.polls else None)
    if seq is None:
        return None
    poll = state.polls[seq]
    if poll.kind == "favourite":
        labels = {team.id: team.name for team in setup.teams}
    else:
        _part, question = setup.question(poll.question_id)
        labels = {i: option["text"] for i, option in enumerate(question.content["options"])}
    block = {
        "seq": poll.seq,
        "kind": poll.kind,
        "open": not poll.closed,
        "choices": [{"value": c, "label": labels[c]} for c in poll.choices],
    }
    if poll.kind == "question":
        _part, question = setup.question(poll.question_id)
        block["stem_html"] = presenting.public_question(question, 0, with_options=False)[
            "stem_html"
        ]
    if poll.closed:
        block["tally"] = {str(choice): count for choice, count in poll.tally.items()}
    return block


def podium_block(setup: Setup, state: State) -> dict | None:
    if state.podium_shown is None:
        return None
    final = rows(setup, state)
    shown = final[len(final) - state.podium_shown :]
    return {"shown": state.podium_shown, "teams": len(final), "rows": shown}


def players_block(setup: Setup, state: State) -> dict | None:
    """An elimination part's seats: how many are left, and a grid of who is in and out."""
    field = state.fields.get(state.part_id)
    if field is None:
        return None
    return {
        "left": len(field.alive),
        "total": len(field.seats),
        "seats": [
            {"seat": seat, "state": "alive" if seat in field.alive else "out"}
            for seat in field.seats
        ],
    }


def turn_block(setup: Setup, state: State) -> dict | None:
    """A packages part's current turn: whose it is, the values chosen, where the star is."""
    turns = state.turns.get(state.part_id) or []
    if not turns:
        return None
    turn = turns[-1]
    return {
        "team": turn.team_id,
        "name": team_name(setup, turn.team_id),
        "values": turn.values,
        "asked": len(turn.questions),
        "star": turn.star,
        "star_used": {t.team_id for t in turns if t.star is not None} >= {turn.team_id},
    }
