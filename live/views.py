"""What each screen receives: one view per role, built from the folded state.

The rule that matters: a right answer reaches a team pad, the projector or the scoreboard only
once its question is revealed, and a judge sees the other judges' marks only once the host
publishes them. Each view is built from scratch from what that role may see; none is a copy of
the host's view with parts removed.
"""

from __future__ import annotations

from live import presenting
from live.blocks import (
    buzzes,
    common,
    current,
    players_block,
    podium_block,
    poll_block,
    public_rows,
    rows,
    team_name,
    turn_block,
)
from live.engine import PartSpec, QuestionState, Setup, State, sheet_score


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
    part, question, qs, number = current(setup, state)
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
    if part.format in ("buzzer", "sudden_death", "packages"):  # packages: who steals
        block.update(
            buzzes=buzzes(setup, qs),
            winner=qs.winner,
            winner_name=team_name(setup, qs.winner),
            right=qs.right,
        )
    return block


def _stage_block(setup: Setup, state: State, *, published_only: bool = True) -> dict | None:
    part = setup.part(state.part_id)
    if part is None or part.format != "judged" or state.on_stage is None:
        return None
    block = {"team": state.on_stage, "name": team_name(setup, state.on_stage)}
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


def projector_view(setup: Setup, state: State) -> dict:
    view = common(setup, state)
    view["question"] = _question_block(setup, state)
    view["stage"] = _stage_block(setup, state)
    view["frozen"] = state.frozen is not None
    if state.scene in ("scoreboard", "results"):
        view["standings"] = public_rows(setup, state)
    view["poll"] = poll_block(setup, state)
    view["podium"] = podium_block(setup, state)
    view["players"] = players_block(setup, state)
    view["turn"] = turn_block(setup, state)
    return view


def scoreboard_view(setup: Setup, state: State) -> dict:
    view = common(setup, state)
    view["standings"] = public_rows(setup, state)
    view["frozen"] = state.frozen is not None
    return view


def audience_view(setup: Setup, state: State) -> dict:
    """An audience phone: the open poll and the public board, nothing else."""
    view = common(setup, state)
    view["poll"] = poll_block(setup, state)
    view["standings"] = public_rows(setup, state)
    return view


def team_view(setup: Setup, state: State, team_id: int) -> dict:
    """A team's pad: its own answer and result, the buzz button, never another team's answer."""
    view = common(setup, state)
    team = setup.team(team_id)
    total = next(r["total"] for r in public_rows(setup, state) if r["team"] == team_id)
    view["team"] = {"id": team.id, "name": team.name, "colour": team.colour, "total": total}
    part, question, qs, number = current(setup, state)
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
    elif part.format == "packages":
        _package_status(view, setup, state, team_id)
    elif part.format in ("buzzer", "sudden_death"):
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


def _earned(state: State, team_id: int, question_id: int) -> float | None:
    earned = [
        a.points for a in state.awards if a.team_id == team_id and a.question_id == question_id
    ]
    return sum(earned) if earned else None


def _package_status(view: dict, setup: Setup, state: State, team_id: int) -> None:
    """A pad in a packages part: its own turn (and star), a chance to steal, its result."""
    part, question, qs, number = current(setup, state)
    turn = turn_block(setup, state)
    view["turn"] = turn
    own = turn is not None and turn["team"] == team_id
    view["question"] = {"id": question.id, "number": number, "points": question.points}
    if qs.revealed or qs.phase == "marked":
        view["status"] = "result"
        if qs.revealed:
            view["question"] = presenting.revealed_question(question, number)
        points = _earned(state, team_id, question.id)
        view["result"] = {"right": qs.right == team_id, "points": points}
    elif qs.phase == "shown":
        view["status"] = "own" if own else "waiting"
        view["can_star"] = own and not turn["star_used"]
    elif qs.phase == "steal_open" and not own:
        view["status"], view["buzzers_open"] = "steal", True
    elif qs.phase == "stealing" and qs.winner == team_id:
        view["status"] = "won"
    else:
        view["status"] = "locked"


def player_view(setup: Setup, state: State, seat: int | None = None) -> dict:
    """An elimination player's phone: the question while answering, the seats, their own state.

    Broadcast once to every player (seat None); a phone's own answer and state come with its
    sync, and it reads its seat in the grid.
    """
    view = common(setup, state)
    view["players"] = players_block(setup, state)
    view["question"] = None
    part, question, qs, number = current(setup, state)
    if question is not None and part.format == "elimination":
        view["rescue"] = qs.rescue
        if qs.phase == "answering":
            view["question"] = presenting.public_question(question, number)
        elif qs.revealed:
            view["question"] = presenting.revealed_question(question, number)
    field = state.fields.get(state.part_id)
    if seat is not None:
        answer = qs.answers.get(seat) if question is not None else None
        view["me"] = {
            "seat": seat,
            "state": "none"
            if field is None or seat not in field.seats
            else ("alive" if seat in field.alive else "out"),
            "answer": presenting.answer_text(question, answer.response) if answer else None,
        }
    return view


def _criteria(part: PartSpec) -> list[dict]:
    return [{"name": c["name"], "max": c["max"]} for c in part.rules["criteria"]]


def judge_view(setup: Setup, state: State, judge_id: int) -> dict:
    """A judge's pad: the rubric, their own marks; the others' only once published."""
    view = common(setup, state)
    judge = setup.judge(judge_id)
    view["judge"] = {"id": judge.id, "name": judge.name}
    part = setup.part(state.part_id)
    view["on_stage"] = {"team": state.on_stage, "name": team_name(setup, state.on_stage)}
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
    view = common(setup, state)
    view["question"] = None
    part, question, qs, number = current(setup, state)
    if question is not None:
        block = presenting.revealed_question(question, number)
        block.update(phase=qs.phase, notes=question.notes, answered=len(qs.answers))
        block["answers"] = _answers_shown(setup, question, qs)
        block["buzzes"] = buzzes(setup, qs)
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
    view["standings"] = rows(setup, state, include_open=True)
    view["frozen"] = state.frozen is not None
    view["podium"] = podium_block(setup, state)
    view["poll"] = poll_block(setup, state)
    view["players"] = players_block(setup, state)
    view["turn"] = turn_block(setup, state)
    view["last_action"] = state.host_actions[-1] if state.host_actions else None
    view["tiebreak_order"] = state.tiebreak_order
    view["asked"] = sorted(state.questions)  # packages: the console lists only unasked questions
    return view
