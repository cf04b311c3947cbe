"""What each screen receives: one view per role, built from the folded state.

The rule that matters: a right answer reaches a team pad, the projector or the scoreboard only
once its question is revealed, and a judge sees the other judges' marks only once the host
publishes them. Each view is built from scratch from what that role may see; none is a copy of
the host's view with parts removed.
"""

from __future__ import annotations

from live import presenting
from live.engine import PartSpec, QuestionState, Setup, State, sheet_score
from live.standings import standings


def _part(setup: Setup, state: State) -> dict | None:
    part = setup.part(state.part_id)
    if part is None:
        return None
    return {"id": part.id, "title": part.title, "format": part.format}


def _timer(state: State) -> dict:
    timer = state.timer
    return {
        "deadline": timer.deadline,
        "remaining": timer.remaining,
        "duration": timer.duration_s,
    }


def _common(setup: Setup, state: State) -> dict:
    return {
        "seq": state.seq,
        "scene": state.scene,
        "part": _part(setup, state),
        "timer": _timer(state),
        "finished": state.finished,
    }


def _current(setup: Setup, state: State):
    found = setup.question(state.question_id)
    if found is None:
        return None, None, None, 0
    part, question = found
    return part, question, state.questions[question.id], part.questions.index(question) + 1


def _team_name(setup: Setup, team_id: int | None) -> str | None:
    team = setup.team(team_id)
    return team.name if team else None


def _buzzes(setup: Setup, qs: QuestionState) -> list[dict]:
    """Each buzz in press order within its opening (early presses first), with its latency."""
    ordered = sorted(qs.buzzes, key=lambda b: (b.opening, b.corrected or b.at, b.seq))
    return [
        {
            "team": b.team_id,
            "name": _team_name(setup, b.team_id),
            "kind": b.kind,
            "ms": b.ms,
            "rtt_ms": b.rtt_ms,
        }
        for b in ordered
        if b.kind != "void"
    ]


def _rows(setup: Setup, state: State, include_open: bool = False) -> list[dict]:
    return [
        {"team": r.team_id, "name": r.name, "colour": r.colour, "total": r.total, "rank": r.rank}
        for r in standings(setup, state, include_open=include_open)
    ]


def _answers_shown(setup: Setup, question, qs: QuestionState) -> list[dict]:
    """Every team's answer and points: part of the reveal."""
    rows = []
    for team in setup.teams:
        answer = qs.answers.get(team.id)
        rows.append(
            {
                "team": team.id,
                "name": team.name,
                "answer": presenting.answer_text(question, answer.response) if answer else "",
                "fraction": qs.fractions.get(team.id),
                "points": qs.results.get(team.id),
            }
        )
    return rows


def _question_block(setup: Setup, state: State) -> dict | None:
    """The current question as the projector may show it at this moment."""
    part, question, qs, number = _current(setup, state)
    if question is None:
        return None
    if qs.revealed:
        block = presenting.revealed_question(question, number)
        if part.format == "all_answer":
            block["answers"] = _answers_shown(setup, question, qs)
    else:
        options = state.scene in ("options", "timer") or qs.phase != "shown"
        block = presenting.public_question(question, number, with_options=options)
    block.update(phase=qs.phase, answered=len(qs.answers), teams=len(setup.teams))
    if part.format == "buzzer":
        block.update(
            buzzes=_buzzes(setup, qs),
            winner=qs.winner,
            winner_name=_team_name(setup, qs.winner),
            right=qs.right,
        )
    return block


def _stage_block(setup: Setup, state: State, *, published_only: bool = True) -> dict | None:
    part = setup.part(state.part_id)
    if part is None or part.format != "judged" or state.on_stage is None:
        return None
    block = {"team": state.on_stage, "name": _team_name(setup, state.on_stage)}
    performance = state.performances.get((part.id, state.on_stage))
    if performance:
        block["performance"] = {
            "started_at": performance.started_at,
            "elapsed_s": performance.elapsed_s,
            "penalty": performance.penalty,
        }
    sheet = state.sheets.get((part.id, state.on_stage))
    if sheet and (sheet.status == "published" or not published_only):
        block["score"] = sheet_score(part, sheet)
    return block


def _public_rows(setup: Setup, state: State) -> list[dict]:
    """The board the hall may see: as it stood at the freeze, while it is frozen."""
    return state.frozen if state.frozen is not None else _rows(setup, state)


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


def _podium(setup: Setup, state: State) -> dict | None:
    if state.podium_shown is None:
        return None
    final = _rows(setup, state)
    shown = final[len(final) - state.podium_shown :]
    return {"shown": state.podium_shown, "teams": len(final), "rows": shown}


def projector_view(setup: Setup, state: State) -> dict:
    view = _common(setup, state)
    view["question"] = _question_block(setup, state)
    view["stage"] = _stage_block(setup, state)
    view["frozen"] = state.frozen is not None
    if state.scene in ("scoreboard", "results"):
        view["standings"] = _public_rows(setup, state)
    view["poll"] = poll_block(setup, state)
    view["podium"] = _podium(setup, state)
    return view


def scoreboard_view(setup: Setup, state: State) -> dict:
    view = _common(setup, state)
    view["standings"] = _public_rows(setup, state)
    view["frozen"] = state.frozen is not None
    return view


def audience_view(setup: Setup, state: State) -> dict:
    """An audience phone: the open poll and the public board, nothing else."""
    view = _common(setup, state)
    view["poll"] = poll_block(setup, state)
    view["standings"] = _public_rows(setup, state)
    return view


def team_view(setup: Setup, state: State, team_id: int) -> dict:
    """A team's pad: its own answer and result, the buzz button, never another team's answer."""
    view = _common(setup, state)
    team = setup.team(team_id)
    total = next(r["total"] for r in _public_rows(setup, state) if r["team"] == team_id)
    view["team"] = {"id": team.id, "name": team.name, "colour": team.colour, "total": total}
    part, question, qs, number = _current(setup, state)
    view["status"], view["question"] = "waiting", None
    if question is None:
        return view
    if part.format == "all_answer":
        answer = qs.answers.get(team_id)
        mine = presenting.answer_text(question, answer.response) if answer else None
        view["my_answer"] = mine
        if qs.phase == "answering":
            view["status"] = "answer"
            view["question"] = presenting.public_question(question, number)
        elif qs.phase == "closed":
            view["status"] = "locked"
        elif qs.revealed:
            view["status"] = "result"
            view["question"] = presenting.revealed_question(question, number)
            view["result"] = {
                "points": qs.results.get(team_id),
                "fraction": qs.fractions.get(team_id),
            }
    elif part.format == "buzzer":
        out = team_id in qs.locked_out or team_id in qs.wrong
        view["question"] = {"id": question.id, "number": number}
        view["out"] = out  # pressed too early or answered wrongly: no more buzzing here
        if qs.revealed or qs.phase == "marked":
            view["status"] = "result"
            if qs.revealed:
                view["question"] = presenting.revealed_question(question, number)
            earned = [
                a.points
                for a in state.awards
                if a.team_id == team_id and a.question_id == question.id and a.kind == "buzz"
            ]
            view["result"] = {
                "right": qs.right == team_id,
                "points": sum(earned) if earned else None,
            }
        elif out:
            view["status"] = "locked"
        elif qs.phase == "buzzed":
            view["status"] = "won" if qs.winner == team_id else "locked"
        else:
            view["status"] = "buzz"  # also before the buzzers open: pressing then locks you out
            view["buzzers_open"] = qs.phase == "buzzers_open"
    return view


def _criteria(part: PartSpec) -> list[dict]:
    return [{"name": c["name"], "max": c["max"]} for c in part.rules["criteria"]]


def judge_view(setup: Setup, state: State, judge_id: int) -> dict:
    """A judge's pad: the rubric, their own marks; the others' only once published."""
    view = _common(setup, state)
    judge = setup.judge(judge_id)
    view["judge"] = {"id": judge.id, "name": judge.name}
    part = setup.part(state.part_id)
    view["on_stage"] = {"team": state.on_stage, "name": _team_name(setup, state.on_stage)}
    view["sheets"] = []
    if part is None or part.format != "judged":
        return view
    view["criteria"] = _criteria(part)
    for team in setup.teams:
        sheet = state.sheets.get((part.id, team.id))
        if sheet is None:
            continue
        row = {
            "part": part.id,
            "team": team.id,
            "name": team.name,
            "status": sheet.status,
            "mine": sheet.marks.get(judge_id),
        }
        if sheet.status == "published":
            row["all"] = {str(j): marks for j, marks in sheet.marks.items()}
            row["score"] = sheet_score(part, sheet)
        view["sheets"].append(row)
    return view


def host_view(setup: Setup, state: State) -> dict:
    """Everything: the answer and the MC's notes, every judge's marks, live scores."""
    view = _common(setup, state)
    view["question"] = None
    part, question, qs, number = _current(setup, state)
    if question is not None:
        block = presenting.revealed_question(question, number)
        block.update(phase=qs.phase, notes=question.notes, answered=len(qs.answers))
        block["answers"] = _answers_shown(setup, question, qs)
        block["buzzes"] = _buzzes(setup, qs)
        block.update(winner=qs.winner, right=qs.right, tied=qs.tied)
        block["out"] = sorted(qs.locked_out | qs.wrong)
        view["question"] = block
    view["stage"] = _stage_block(setup, state, published_only=False)
    view["sheets"] = [
        {
            "part": part_id,
            "team": team_id,
            "status": sheet.status,
            "marks": {str(j): m for j, m in sheet.marks.items()},
            "score": sheet_score(setup.part(part_id), sheet),
        }
        for (part_id, team_id), sheet in state.sheets.items()
    ]
    view["standings"] = _rows(setup, state, include_open=True)
    view["frozen"] = state.frozen is not None
    view["podium"] = _podium(setup, state)
    view["poll"] = poll_block(setup, state)
    view["last_action"] = state.host_actions[-1] if state.host_actions else None
    view["tiebreak_order"] = state.tiebreak_order
    return view
