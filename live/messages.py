"""What a refused stage action tells the person who tried it, by the engine's rejection code."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MESSAGES = {
    "forbidden": _l("Your screen may not do that."),
    "not_connected": _l("This screen is not connected to the contest. Reload the page."),
    "bad_request": _l("The request was not understood. Reload the page."),
    "unknown_event": _l("Unknown action."),
    "no_part": _l("Start a part first."),
    "unknown_part": _l("There is no such part."),
    "wrong_format": _l("That action does not belong to this part's format."),
    "no_question": _l("Show a question first."),
    "not_in_part": _l("That question is not in the current part."),
    "stale_question": _l("The question on screen has changed."),
    "question_open": _l("Close or reveal the current question first."),
    "unknown_team": _l("There is no such team."),
    "unknown_judge": _l("There is no such judge."),
    "unknown_scene": _l("Unknown scene."),
    "not_revealed": _l("Reveal the answer first."),
    "bad_seconds": _l("Enter from 1 to 3600 seconds."),
    "timer_not_running": _l("The timer is not running."),
    "timer_not_paused": _l("The timer is not paused."),
    "answers_open": _l("The timer is counting the answers: close the answers first."),
    "bad_points": _l("Enter a number of points other than 0, at most 1000 either way."),
    "reason_required": _l("A correction needs a reason (at most 300 characters)."),
    "performance_running": _l("Stop the performance first."),
    "bad_order": _l("Choose two or more different teams, best first."),
    "already_opened": _l("Answers were already opened for this question."),
    "answers_closed": _l("Answers are closed."),
    "time_up": _l("Time is up: the answer came too late."),
    "answers_not_open": _l("Answers are not open."),
    "already_revealed": _l("The answer is already revealed."),
    "mark_first": _l("Mark the team's answer right or wrong first."),
    "cannot_open": _l("The buzzers cannot be opened now."),
    "no_team_left": _l("No team may buzz on this question any more."),
    "locked_out": _l("Your team is out of this question."),
    "buzzers_closed": _l("The buzzers are closed."),
    "already_buzzed": _l("Your team has already buzzed."),
    "buzzers_not_open": _l("The buzzers are not open."),
    "nobody_to_mark": _l("No team has won the right to answer."),
    "bad_mark": _l("Mark the answer right or wrong."),
    "nobody_on_stage": _l("Call a team to the stage first."),
    "already_performed": _l("This team has already performed in this part."),
    "no_performance_running": _l("No performance is running."),
    "not_on_stage_yet": _l("That team has not been called to the stage yet."),
    "scoring_closed": _l("Scoring for this team is closed."),
    "bad_marks": _l("Give one mark for each criterion, from 0 to its maximum, in quarter points."),
    "no_marks": _l("No judge has scored yet."),
    "not_closed": _l("Close the scoring first."),
    "not_last_action": _l("Only the last action can be undone."),
    "busy": _l("Too many simultaneous actions. Try again."),
    "bad_response": _l("That answer does not fit the question."),
    "already_frozen": _l("The public board is already frozen."),
    "not_frozen": _l("The public board is not frozen."),
    "podium_done": _l("Every place is already revealed."),
    "podium_not_started": _l("The podium has not started."),
    "poll_open": _l("Close the open poll first."),
    "bad_poll_question": _l("An audience question must be a single-choice question of the show."),
    "bad_poll": _l("Choose a favourite-team poll or an audience question."),
    "no_poll_open": _l("No poll is open."),
    "bad_tally": _l("The vote count does not fit the poll."),
}


def message(code: str) -> str:
    text = MESSAGES.get(code)
    return str(text) if text is not None else _("The action was refused (%(code)s).", code=code)
