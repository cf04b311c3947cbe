"""The stage engine's rules, format by format, with plain values and a made-up clock."""

from __future__ import annotations

import pytest

from live.engine import Rejected, fold
from live.standings import part_scores, standings
from tests.live.show import Show, setup


def totals(show: Show) -> dict[int, float]:
    return {row.team_id: row.total for row in standings(show.setup, show.state)}


def knowledge_question(show: Show, question: int = 101) -> None:
    show.host("part.start", part=100)
    show.host("question.show", question=question)
    show.host("answers.open")


# ---- all_answer ---------------------------------------------------------------------------------


def test_right_answers_score_the_question_points_at_the_reveal():
    show = Show()
    knowledge_question(show)
    show.at(5).team(1, "answer.submit", question=101, response=1)
    show.at(6).team(2, "answer.submit", question=101, response=0)
    assert totals(show) == {1: 0, 2: 0, 3: 0}, "nothing counts before the reveal"
    show.at(10).host("reveal")
    assert totals(show) == {1: 10, 2: 0, 3: 0}


def test_a_team_may_change_its_answer_until_time_out_and_the_last_one_counts():
    show = Show()
    knowledge_question(show)
    show.at(3).team(1, "answer.submit", question=101, response=0)
    show.at(20).team(1, "answer.submit", question=101, response=1)
    show.at(31).host("reveal")
    assert totals(show)[1] == 10


def test_an_answer_after_time_out_is_refused():
    show = Show()
    knowledge_question(show)  # 30 seconds from t=0
    with pytest.raises(Rejected) as refused:
        show.at(30.5).team(1, "answer.submit", question=101, response=1)
    assert refused.value.code == "time_up"
    show.at(30.2).team(2, "answer.submit", question=101, response=1)  # within the grace
    show.at(31).host("reveal")
    assert totals(show) == {1: 0, 2: 10, 3: 0}


def test_answers_before_the_opening_or_after_closing_are_refused():
    show = Show()
    show.host("part.start", part=100)
    show.host("question.show", question=101)
    with pytest.raises(Rejected, match="answers_closed"):
        show.team(1, "answer.submit", question=101, response=1)
    show.host("answers.open")
    show.at(4).host("answers.close")
    with pytest.raises(Rejected, match="answers_closed"):
        show.at(5).team(1, "answer.submit", question=101, response=1)


def test_an_answer_for_a_question_no_longer_on_screen_is_refused():
    show = Show()
    knowledge_question(show)
    with pytest.raises(Rejected, match="stale_question"):
        show.team(1, "answer.submit", question=102, response=[0, 1])


def test_multiple_choice_all_or_nothing_or_partial_by_the_parts_setting():
    strict = Show()
    knowledge_question(strict, 102)
    strict.team(1, "answer.submit", question=102, response=[0])
    strict.team(2, "answer.submit", question=102, response=[0, 1])
    strict.host("reveal")
    assert totals(strict) == {1: 0, 2: 20, 3: 0}

    lenient = Show(setup(all_answer={"multiple_scoring": "partial"}))
    knowledge_question(lenient, 102)
    lenient.team(1, "answer.submit", question=102, response=[0])
    lenient.host("reveal")
    assert totals(lenient)[1] == 10  # one of two right options, no wrong one


def test_speed_bonus_follows_kahoots_formula():
    show = Show(setup(all_answer={"speed_bonus": True}))
    knowledge_question(show)  # 10 points, 30 s
    show.at(0).team(1, "answer.submit", question=101, response=1)
    show.at(15).team(2, "answer.submit", question=101, response=1)
    show.at(30).team(3, "answer.submit", question=101, response=1)
    show.at(30).host("reveal")
    # round((1 - t / 2T) * P): 10 at once, 7.5 → 8 at half time, 5 at the end
    assert totals(show) == {1: 10, 2: 8, 3: 5}


def test_teams_cannot_answer_in_a_buzzer_part_or_be_someone_else():
    show = Show()
    show.host("part.start", part=200)
    show.host("question.show", question=201)
    with pytest.raises(Rejected, match="wrong_format"):
        show.team(1, "answer.submit", question=201, response=1)
    with pytest.raises(Rejected, match="forbidden"):
        show.team(1, "buzzers.open")
    with pytest.raises(Rejected, match="unknown_team"):
        show.team(99, "buzz", question=201)


# ---- buzzer -------------------------------------------------------------------------------------


def buzzer_question(show: Show, question: int = 201) -> None:
    show.host("part.start", part=200)
    show.host("question.show", question=question)


def test_a_buzz_before_the_buzzers_open_locks_that_team_out_of_the_question():
    show = Show()
    buzzer_question(show)
    show.at(1).team(1, "buzz", question=201)
    show.at(2).host("buzzers.open")
    with pytest.raises(Rejected, match="locked_out"):
        show.at(2.1).team(1, "buzz", question=201)
    show.at(2.3).team(2, "buzz", question=201)
    assert show.state.current().winner == 2


def test_the_first_valid_buzz_wins_and_the_order_is_kept_in_milliseconds():
    show = Show()
    buzzer_question(show)
    show.at(10).host("buzzers.open")
    show.at(10.412).team(3, "buzz", question=201)
    show.at(10.431).team(1, "buzz", question=201)
    show.at(10.9).team(2, "buzz", question=201)  # after the 250 ms window: can't win any more
    qs = show.state.current()
    assert qs.winner == 3 and qs.phase == "buzzed"
    order = [(b.team_id, b.kind, b.ms) for b in qs.buzzes]
    assert order == [(3, "in", 412.0), (1, "in", 431.0), (2, "late", 900.0)]


def test_a_double_buzz_is_refused():
    show = Show()
    buzzer_question(show)
    show.host("buzzers.open")
    show.at(0.2).team(2, "buzz", question=201)
    with pytest.raises(Rejected, match="already_buzzed"):
        show.at(0.25).team(2, "buzz", question=201)


def test_right_wins_the_points_wrong_costs_the_penalty_and_the_rest_may_buzz_again():
    show = Show(setup(buzzer={"wrong_penalty": 5}))
    buzzer_question(show)
    show.host("buzzers.open")
    show.at(1).team(1, "buzz", question=201)
    show.host("buzz.mark", correct=False)
    assert totals(show)[1] == -5
    show.at(5).host("buzzers.open")
    with pytest.raises(Rejected, match="locked_out"):
        show.at(5.1).team(1, "buzz", question=201)
    show.at(5.2).team(2, "buzz", question=201)
    show.host("buzz.mark", correct=True)
    show.host("reveal")
    assert totals(show) == {1: -5, 2: 10, 3: 0}


def test_no_penalty_when_the_setting_is_zero():
    show = Show(setup(buzzer={"wrong_penalty": 0}))
    buzzer_question(show)
    show.host("buzzers.open")
    show.team(1, "buzz", question=201)
    show.host("buzz.mark", correct=False)
    assert totals(show)[1] == 0


def test_the_reveal_waits_for_the_mark_and_buzzes_after_it_are_refused():
    show = Show()
    buzzer_question(show)
    show.host("buzzers.open")
    show.team(1, "buzz", question=201)
    with pytest.raises(Rejected, match="mark_first"):
        show.host("reveal")
    show.host("buzz.mark", correct=True)
    show.host("reveal")
    with pytest.raises(Rejected):
        show.team(2, "buzz", question=201)


def test_buzzers_cannot_open_when_every_team_is_out():
    show = Show()
    buzzer_question(show)
    for team in (1, 2, 3):
        show.team(team, "buzz", question=201)  # all too early
    with pytest.raises(Rejected, match="no_team_left"):
        show.host("buzzers.open")


# ---- judged -------------------------------------------------------------------------------------


def on_stage(show: Show, team: int = 1) -> None:
    show.host("part.start", part=300)
    show.host("stage.team", team=team)


def test_the_part_score_is_the_judges_mean_once_scoring_closes():
    show = Show()
    on_stage(show)
    show.judge(11, "score.submit", team=1, marks=[5, 3])
    show.judge(12, "score.submit", team=1, marks=[6, 4])
    show.judge(13, "score.submit", team=1, marks=[4, 2.5])
    assert totals(show)[1] == 0, "open sheets don't count on the public board"
    assert part_scores(show.setup, show.state, include_open=True)[1][300] == 8.17
    show.host("scoring.close", team=1)
    assert totals(show)[1] == 8.17  # (8 + 10 + 6.5) / 3


def test_the_trimmed_mean_with_three_judges_is_the_middle_one():
    show = Show(setup(judged={"criteria": [{"name": "Nội dung", "max": 10}], "trimmed_mean": True}))
    on_stage(show)
    show.judge(11, "score.submit", team=1, marks=[9])
    show.judge(12, "score.submit", team=1, marks=[6])
    show.judge(13, "score.submit", team=1, marks=[7.5])
    show.host("scoring.close", team=1)
    assert totals(show)[1] == 7.5


def test_a_judge_amends_until_the_host_closes_scoring():
    show = Show()
    on_stage(show)
    show.judge(11, "score.submit", team=1, marks=[5, 3])
    show.judge(11, "score.submit", team=1, marks=[6, 4])
    sheet = show.state.sheets[(300, 1)]
    assert sheet.marks[11] == [6, 4] and sheet.amended[11] == 1
    show.host("scoring.close", team=1)
    with pytest.raises(Rejected, match="scoring_closed"):
        show.judge(11, "score.submit", team=1, marks=[1, 1])
    assert totals(show)[1] == 10


def test_marks_outside_the_rubric_are_refused():
    show = Show()
    on_stage(show)
    for marks in ([7, 3], [5], [5, -1], [5, "4"], [5, 3.1]):
        with pytest.raises(Rejected, match="bad_marks"):
            show.judge(11, "score.submit", team=1, marks=marks)
    with pytest.raises(Rejected, match="not_on_stage_yet"):
        show.judge(11, "score.submit", team=2, marks=[5, 3])
    with pytest.raises(Rejected, match="forbidden"):
        show.team(1, "score.submit", team=1, marks=[6, 4])


@pytest.mark.parametrize(
    ("seconds", "penalty"), [(600, 0), (630, 0.5), (660, 0.5), (700, 1.0), (900, 1.0)]
)
def test_overtime_costs_half_a_point_then_one(seconds, penalty):
    show = Show()
    on_stage(show)
    show.at(0).host("performance.start")
    show.at(seconds).host("performance.stop")
    assert show.state.performances[(300, 1)].penalty == penalty
    assert totals(show)[1] == -penalty


def test_a_performance_is_capped_at_the_stop_time():
    show = Show()
    on_stage(show)
    show.at(0).host("performance.start")
    show.at(2000).host("performance.stop")
    assert show.state.performances[(300, 1)].elapsed_s == 720  # 600 + 120 s over, then stopped


# ---- corrections, undo, replay ------------------------------------------------------------------


def test_an_adjustment_needs_a_reason_and_its_undo_restores_the_score():
    show = Show()
    show.host("part.start", part=100)
    with pytest.raises(Rejected, match="reason_required"):
        show.host("score.adjust", team=2, points=-3, reason="  ")
    adjust = show.host("score.adjust", team=2, points=-3, reason="Nhắc bài")
    assert totals(show)[2] == -3
    show.host("undo", seq=adjust.seq)
    assert totals(show)[2] == 0
    assert adjust.seq in show.state.undone


def test_only_the_last_host_action_can_be_undone():
    show = Show()
    first = show.host("part.start", part=100)
    show.host("question.show", question=101)
    with pytest.raises(Rejected, match="not_last_action"):
        show.host("undo", seq=first.seq)


def test_undoing_the_opening_of_answers_drops_the_answers_given_under_it():
    show = Show()
    knowledge_question(show)
    opening = show.events[-1]
    show.team(1, "answer.submit", question=101, response=1)
    show.host("undo", seq=opening.seq)
    assert show.state.current().phase == "shown"
    assert show.state.current().answers == {}
    assert show.state.ignored == {4: "answers_closed"}


def test_undo_walks_back_one_action_at_a_time():
    show = Show()
    show.host("part.start", part=100)
    show.host("question.show", question=101)
    reveal = show.host("reveal")
    show.host("undo", seq=reveal.seq)
    show.host("undo", seq=2)  # then the question.show before it
    assert show.state.question_id is None


def test_replaying_the_log_gives_the_same_state():
    show = Show()
    knowledge_question(show)
    show.at(2).team(1, "answer.submit", question=101, response=1)
    show.at(40).host("reveal")
    show.host("part.start", part=200)
    show.host("question.show", question=201)
    show.host("buzzers.open")
    show.at(41).team(2, "buzz", question=201)
    show.host("buzz.mark", correct=True)
    adjust = show.host("score.adjust", team=3, points=2, reason="Thưởng")
    show.host("undo", seq=adjust.seq)
    show.host("part.start", part=300)
    show.host("stage.team", team=3)
    show.judge(12, "score.submit", team=3, marks=[5, 4])
    show.host("scoring.close", team=3)
    assert show.replayed() == show.state
    assert fold(show.setup, reversed(show.events)) == show.state  # the order is the seq's


# ---- standings ----------------------------------------------------------------------------------


def test_equal_totals_share_a_rank_without_a_tiebreak():
    show = Show()
    show.host("part.start", part=100)
    show.host("score.adjust", team=1, points=5, reason="a")
    show.host("score.adjust", team=2, points=5, reason="b")
    assert [(r.team_id, r.rank) for r in standings(show.setup, show.state)] == [
        (1, 1),
        (2, 1),
        (3, 3),
    ]


def test_the_tiebreak_part_orders_equal_totals():
    show = Show(setup(tiebreak="part", tiebreak_part_id=200))
    show.host("part.start", part=100)
    show.host("score.adjust", team=1, points=10, reason="a")
    show.host("part.start", part=200)
    show.host("score.adjust", team=2, points=10, reason="b")
    assert [(r.team_id, r.rank) for r in standings(show.setup, show.state)][:2] == [(2, 1), (1, 2)]


def test_a_sudden_death_order_recorded_by_the_host_orders_equal_totals():
    show = Show(setup(tiebreak="sudden_death"))
    show.host("part.start", part=100)
    show.host("score.adjust", team=1, points=10, reason="a")
    show.host("score.adjust", team=3, points=10, reason="b")
    show.host("tiebreak.decide", order=[3, 1])
    assert [(r.team_id, r.rank) for r in standings(show.setup, show.state)] == [
        (3, 1),
        (1, 2),
        (2, 3),
    ]


# ---- the timer ----------------------------------------------------------------------------------


def test_the_timer_pauses_and_resumes_from_the_server_deadline():
    show = Show()
    show.host("timer.start", seconds=60)
    assert show.state.timer.deadline == 1_060
    show.at(20).host("timer.pause")
    assert show.state.timer.remaining == 40 and not show.state.timer.running
    show.at(100).host("timer.resume")
    assert show.state.timer.deadline == 1_140


def test_the_timer_cannot_be_reset_while_it_counts_the_answers():
    show = Show()
    knowledge_question(show)
    with pytest.raises(Rejected, match="answers_open"):
        show.host("timer.reset")


# ---- what a pad is told -------------------------------------------------------------------------


def test_a_buzzer_pad_learns_its_result_and_whether_it_is_out():
    from live.views import team_view

    show = Show(setup(buzzer={"wrong_penalty": 5}))
    buzzer_question(show)
    show.team(3, "buzz", question=201)  # too early
    show.host("buzzers.open")
    show.team(1, "buzz", question=201)
    show.host("buzz.mark", correct=False)
    show.host("buzzers.open")
    show.team(2, "buzz", question=201)
    assert team_view(show.setup, show.state, 3)["out"] is True
    waiting = team_view(show.setup, show.state, 1)
    assert waiting["status"] == "locked" and waiting["out"] is True
    assert team_view(show.setup, show.state, 2)["status"] == "won"
    show.host("buzz.mark", correct=True)
    assert team_view(show.setup, show.state, 2)["result"] == {"right": True, "points": 10}
    show.host("reveal")
    wrong = team_view(show.setup, show.state, 1)
    assert wrong["status"] == "result" and wrong["result"] == {"right": False, "points": -5}
    assert wrong["question"]["correct_text"] == "B. 2016"


# ---- the fair buzzer ----------------------------------------------------------------------------


def fair_question(show: Show) -> None:
    buzzer_question(show)
    show.at(10).host("buzzers.open")


def test_a_far_pad_that_pressed_first_wins_though_its_buzz_arrived_second():
    show = Show()
    fair_question(show)
    # B (2 ms round trip) presses at 10.050 and arrives at 10.051; A (200 ms round trip)
    # pressed at 10.000 and arrives 100 ms later, at 10.100: A pressed first and wins.
    show.at(10.051).team(2, "buzz", question=201, pressed_at=10.050, rtt=0.002)
    assert show.state.current().winner == 2
    show.at(10.100).team(1, "buzz", question=201, pressed_at=10.000, rtt=0.2)
    qs = show.state.current()
    assert qs.winner == 1
    assert [(b.team_id, b.ms) for b in qs.buzzes] == [(2, 50.0), (1, 0.0)]


def test_a_pad_claiming_an_earlier_press_than_its_latency_allows_gains_nothing_more():
    show = Show()
    fair_question(show)
    show.at(10.030).team(2, "buzz", question=201, pressed_at=10.029, rtt=0.002)
    # C says it pressed a whole second ago, but its round trip is 10 ms: it can have pressed
    # at most 5 ms before arriving, at 10.055, which is after B.
    show.at(10.060).team(3, "buzz", question=201, pressed_at=9.0, rtt=0.010)
    qs = show.state.current()
    assert qs.winner == 2
    assert qs.buzzes[-1].ms == 55.0


def test_presses_closer_than_the_tie_window_are_flagged_and_the_host_decides():
    show = Show()
    fair_question(show)
    show.at(10.100).team(1, "buzz", question=201, pressed_at=10.100, rtt=0.0)
    show.at(10.120).team(2, "buzz", question=201, pressed_at=10.120, rtt=0.0)
    qs = show.state.current()
    assert qs.winner == 1 and qs.tied == [2]
    with pytest.raises(Rejected, match="not_in_tie"):
        show.host("buzz.award", team=3)
    show.host("buzz.award", team=2)
    show.host("buzz.mark", correct=True)
    assert totals(show)[2] == 10


def test_the_host_may_re_ask_after_a_tie():
    show = Show()
    fair_question(show)
    show.at(10.1).team(1, "buzz", question=201)
    show.at(10.11).team(2, "buzz", question=201)
    show.host("buzz.reset")
    show.at(20).host("buzzers.open")
    show.at(20.2).team(2, "buzz", question=201)
    assert show.state.current().winner == 2
