"""Taking a round: starting, resuming, drawing, saving answers in shown order, submitting once.

Every time is given explicitly (`NOW` and offsets from it): nothing here sleeps or reads the clock.
The helpers at the top build contests, rounds and participants directly with the models (the
organisers' pages are tested elsewhere); tests/online/test_api.py and test_finaliser.py use them.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text

from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes.models import Theme
from online import taking
from online.models import Answer, Attempt, OnlineContest, Participant, Round
from questions import service
from questions.models import QuestionUse, Status
from questions.service import Details

NOW = datetime(2026, 5, 18, 3, 0, tzinfo=UTC)  # Monday 10:00 in Vietnam

SINGLE = {
    "type": "single",
    "stem": "Chỉ thị 05-CT/TW được Bộ Chính trị ban hành năm nào?",
    "explanation": "GIẢI THÍCH: ngày 15/5/2016.",
    "options": [
        {"text": "Năm 2016", "correct": True, "feedback": "PHẢN HỒI: đúng."},
        {"text": "Năm 2021"},
        {"text": "Năm 2011"},
        {"text": "Năm 2019"},
    ],
}
MULTIPLE = {
    "type": "multiple",
    "stem": "Những văn bản nào của Bộ Chính trị?",
    "explanation": "GIẢI THÍCH: cả hai văn bản.",
    "scoring": "partial",
    "options": [
        {"text": "Chỉ thị 05-CT/TW", "correct": True, "weight": 50},
        {"text": "Kết luận 01-KL/TW", "correct": True, "weight": 50},
        {"text": "Luật Đất đai", "weight": -50},
    ],
}
TRUE_FALSE = {
    "type": "true_false",
    "stem": "Kết luận 01-KL/TW tiếp tục thực hiện Chỉ thị 05-CT/TW.",
    "answer": True,
}
SHORT_TEXT = {
    "type": "short_text",
    "stem": "Chỉ thị 05 nói về học tập và làm theo tư tưởng, đạo đức, phong cách của ai?",
    "accepted": ["ĐÁPÁNCHẤPNHẬN Hồ Chí Minh"],
    "explanation": "GIẢI THÍCH: Chủ tịch Hồ Chí Minh.",
}
NUMERIC = {
    "type": "numeric",
    "stem": "Có bao nhiêu người trả lời đúng tất cả?",
    "value": 98765,
    "unit": "người",
}
ORDERING = {
    "type": "ordering",
    "stem": "Xếp theo thời gian ban hành, sớm trước.",
    "items": ["Chỉ thị 03-CT/TW", "Chỉ thị 05-CT/TW", "Kết luận 01-KL/TW"],
}
OPEN = {
    "type": "open",
    "stem": "Nêu một việc làm theo gương Bác ở đơn vị.",
    "guidance": "HƯỚNG DẪN CHẤM: nêu việc cụ thể.",
}
ALL_TYPES = [SINGLE, MULTIPLE, TRUE_FALSE, SHORT_TEXT, NUMERIC, ORDERING, OPEN]


# ---- building a contest -------------------------------------------------------------------------


def bank_question(editor, content, *, level="recall", themes=(), points=10, approved=True):
    details = Details(level=level, points=points, source_document="Chỉ thị 05-CT/TW")
    question = service.create_question(editor, content, details)
    question.themes = list(themes)
    if approved:
        question.status, question.approved_revision = Status.APPROVED.value, question.revision
    return question


def make_round(contest, questions=(), *, now=NOW, **settings) -> Round:
    values = {
        "number": len(contest.rounds) + 1,
        "title": f"Tuần {len(contest.rounds) + 1}",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=6),
        "draw": {"question_ids": [question.id for question in questions]},
        "time_limit_s": 600,
        "shuffle_questions": False,
        "shuffle_options": False,
        "review": "after_close",
        "prediction": "all_correct",
        "prediction_text": "Có bao nhiêu người trả lời đúng tất cả các câu?",
    }
    values.update(settings)
    round_ = Round(contest=contest, **values)
    db.session.add(round_)
    db.session.flush()
    return round_


def make_participant(contest, name="Nguyễn Văn An") -> Participant:
    participant = Participant(
        contest_id=contest.id, token=secrets.token_urlsafe(24), full_name=name
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def build_world(make_user) -> SimpleNamespace:
    """A contest on two themes, one question of each type, two participants."""
    editor = make_user("bientap", Role.EDITOR)
    themes = [
        Theme(
            kind="directive",
            title=f"Văn bản {n}",
            short_name=f"VB{n}",
            organisation="BCT",
            year_from=2016,
        )  # fmt: skip
        for n in (1, 2)
    ]
    db.session.add_all(themes)
    db.session.flush()
    questions = {
        content["type"]: bank_question(editor, content, themes=[themes[0]]) for content in ALL_TYPES
    }
    contest = OnlineContest(slug="tim-hieu-05", title="Tìm hiểu Chỉ thị 05", published=True)
    db.session.add(contest)
    db.session.flush()
    people = [make_participant(contest), make_participant(contest, "Trần Thị Bình")]
    db.session.commit()
    return SimpleNamespace(
        editor=editor, themes=themes, questions=questions, contest=contest, people=people
    )


@pytest.fixture
def world(app, make_user):
    return build_world(make_user)


def item_of(attempt: Attempt, kind: str):
    return next(q for q in attempt.questions if q.version.type == kind)


def start(round_, participant, now=NOW) -> Attempt:
    attempt = taking.start_attempt(round_, participant, now)
    db.session.commit()
    return attempt


def run_in_threads(app, count: int, work) -> list:
    """Run `work()` in `count` threads at once, each in its own app context and session."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results.append(work())
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    db.session.expire_all()
    return results


# ---- starting and resuming ----------------------------------------------------------------------


def test_starting_pins_the_drawn_versions_and_sets_a_server_deadline(world):
    round_ = make_round(world.contest, list(world.questions.values()))
    attempt = start(round_, world.people[0])
    assert [q.version.question_id for q in attempt.questions] == [
        q.id for q in world.questions.values()
    ]
    assert [q.position for q in attempt.questions] == list(range(1, 8))
    assert attempt.deadline == NOW + timedelta(minutes=10)
    assert attempt.max_score == 70 and len(attempt.token) >= 43
    used = db.session.scalars(select(QuestionUse.used_in)).all()
    assert used == [f"round:{round_.id}"] * 7


def test_an_attempt_started_near_closing_ends_when_the_round_closes(world):
    round_ = make_round(
        world.contest, [world.questions["single"]], closes_at=NOW + timedelta(minutes=3)
    )
    attempt = start(round_, world.people[0])
    assert attempt.deadline == NOW + timedelta(minutes=3)


def test_starting_again_resumes_the_unfinished_attempt(world):
    round_ = make_round(world.contest, list(world.questions.values()), shuffle_questions=True)
    first = start(round_, world.people[0])
    order = [q.version_id for q in first.questions]
    again = start(round_, world.people[0], NOW + timedelta(minutes=4))
    assert again.id == first.id and again.token == first.token
    assert [q.version_id for q in again.questions] == order
    assert again.deadline == first.deadline
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


@pytest.mark.parametrize(
    ("when", "settings"),
    [
        (NOW - timedelta(days=2), {}),  # before it opens
        (NOW + timedelta(days=6), {}),  # at the closing time
        (NOW, {"closed_at": NOW - timedelta(hours=1)}),  # closed early by the organiser
    ],
)
def test_a_round_that_is_not_open_refuses_to_start(world, when, settings):
    round_ = make_round(world.contest, [world.questions["single"]], **settings)
    with pytest.raises(taking.StartRefused) as refused:
        taking.start_attempt(round_, world.people[0], when)
    assert refused.value.code == "not_open"


def test_attempts_allowed_limits_new_attempts(world):
    round_ = make_round(world.contest, [world.questions["single"]], attempts_allowed=2)
    first = start(round_, world.people[0])
    taking.submit(first, NOW + timedelta(minutes=1))
    second = start(round_, world.people[0], NOW + timedelta(minutes=2))
    assert (first.number, second.number) == (1, 2) and second.id != first.id
    taking.submit(second, NOW + timedelta(minutes=3))
    with pytest.raises(taking.StartRefused) as refused:
        taking.start_attempt(round_, world.people[0], NOW + timedelta(minutes=4))
    assert refused.value.code == "no_attempts_left"
    assert start(round_, world.people[1]).number == 1  # someone else still may


def test_an_abandoned_attempt_is_finalised_before_a_new_one_starts(world):
    round_ = make_round(world.contest, [world.questions["single"]], attempts_allowed=2)
    first = start(round_, world.people[0])
    later = NOW + timedelta(hours=2)
    second = start(round_, world.people[0], later)
    db.session.refresh(first)
    assert second.number == 2
    assert first.finalised_by == "server"
    assert first.submitted_at == first.deadline + timedelta(seconds=15)


def test_a_person_of_another_contest_cannot_start(world):
    other = OnlineContest(slug="khac", title="Cuộc thi khác")
    db.session.add(other)
    db.session.flush()
    round_ = make_round(other, [world.questions["single"]])
    with pytest.raises(taking.StartRefused) as refused:
        taking.start_attempt(round_, world.people[0], NOW)
    assert refused.value.code == "not_registered"


def test_two_simultaneous_starts_make_one_attempt(app, world):
    round_ = make_round(world.contest, list(world.questions.values()))
    db.session.commit()
    round_id, person_id = round_.id, world.people[0].id

    def work():
        attempt = taking.start_attempt(
            db.session.get(Round, round_id), db.session.get(Participant, person_id), NOW
        )
        db.session.commit()
        return attempt.token

    tokens = run_in_threads(app, 4, work)
    assert len(set(tokens)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


# ---- drawing ------------------------------------------------------------------------------------


def test_a_draw_by_rows_takes_each_rows_count_from_approved_versions(world):
    first, second = world.themes
    recall = [
        bank_question(world.editor, dict(SINGLE, stem=f"Nhận biết {n}?"), themes=[second])
        for n in range(4)
    ]
    applied = [
        bank_question(
            world.editor, dict(SINGLE, stem=f"Vận dụng {n}?"), level="application", themes=[second]
        )
        for n in range(3)
    ]
    draft = bank_question(world.editor, dict(SINGLE, stem="Nháp?"), themes=[second], approved=False)
    retired = bank_question(world.editor, dict(SINGLE, stem="Đã bỏ?"), themes=[second])
    retired.status = Status.RETIRED.value
    rows = [
        {"theme_id": second.id, "level": "recall", "count": 3},
        {"theme_id": second.id, "level": "application", "count": 2},
    ]
    round_ = make_round(world.contest, draw={"rows": rows}, shuffle_questions=True)
    attempt = start(round_, world.people[0])
    drawn = {q.version.question_id for q in attempt.questions}
    assert len(attempt.questions) == 5 and len(drawn) == 5
    assert len(drawn & {q.id for q in recall}) == 3
    assert len(drawn & {q.id for q in applied}) == 2
    assert draft.id not in drawn and retired.id not in drawn
    assert first.id not in {t.id for q in attempt.questions for t in q.version.question.themes}


def test_a_draw_keeps_drawing_the_approved_version_after_an_edit(world):
    question = world.questions["single"]
    approved_version = question.current
    service.edit_question(question, world.editor, 1, dict(SINGLE, stem="Bản sửa?"), Details())
    db.session.commit()
    round_ = make_round(world.contest, [question])
    attempt = start(round_, world.people[0])
    assert attempt.questions[0].version_id == approved_version.id


def test_a_fixed_list_is_asked_in_its_order_leaving_out_retired_questions(world):
    q = world.questions
    q["numeric"].status = Status.RETIRED.value
    chosen = [q["ordering"], q["numeric"], q["single"], q["true_false"]]
    round_ = make_round(world.contest, chosen)
    attempt = start(round_, world.people[0])
    assert [i.version.question_id for i in attempt.questions] == [
        q["ordering"].id,
        q["single"].id,
        q["true_false"].id,
    ]


def test_a_draw_the_bank_cannot_fill_refuses_to_start(world):
    rows = [{"theme_id": world.themes[1].id, "level": "recall", "count": 2}]
    round_ = make_round(world.contest, draw={"rows": rows})
    with pytest.raises(taking.StartRefused) as refused:
        taking.start_attempt(round_, world.people[0], NOW)
    assert refused.value.code == "draw_failed"


def test_options_are_shuffled_per_attempt_when_the_round_says_so(world):
    many = [bank_question(world.editor, dict(SINGLE, stem=f"Câu {n}?")) for n in range(12)]
    round_ = make_round(world.contest, many, shuffle_options=True)
    attempt = start(round_, world.people[0])
    orders = [tuple(item.shown_order) for item in attempt.questions]
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)
    assert len(set(orders)) > 1  # 12 questions in the same order: 1 chance in 24^11


# ---- answering: shown order back to stored order ------------------------------------------------


def test_the_shown_index_of_the_right_option_scores_full_marks(world):
    round_ = make_round(world.contest, [world.questions["single"]], shuffle_options=True)
    attempt = start(round_, world.people[0])
    item = attempt.questions[0]
    item.shown_order = [2, 0, 3, 1]  # the right option (stored 0) is shown second: B
    db.session.commit()
    taking.save_answer(attempt, 1, 1, NOW + timedelta(minutes=1))
    assert db.session.get(Answer, (attempt.id, 1)).response == 0  # stored index
    taking.submit(attempt, NOW + timedelta(minutes=2))
    assert (attempt.score, attempt.correct) == (10, 1)


def test_the_shown_first_option_is_not_the_stored_first_option(world):
    round_ = make_round(world.contest, [world.questions["single"]], shuffle_options=True)
    attempt = start(round_, world.people[0])
    attempt.questions[0].shown_order = [2, 0, 3, 1]
    db.session.commit()
    taking.save_answer(attempt, 1, 0, NOW + timedelta(minutes=1))  # A shows "Năm 2011"
    taking.submit(attempt, NOW + timedelta(minutes=2))
    assert (attempt.score, attempt.correct) == (0, 0)


def test_every_type_is_mapped_and_scored(world):
    round_ = make_round(world.contest, list(world.questions.values()))
    attempt = start(round_, world.people[0])
    item_of(attempt, "multiple").shown_order = [2, 1, 0]
    item_of(attempt, "ordering").shown_order = [1, 2, 0]
    db.session.commit()
    at = NOW + timedelta(minutes=1)
    position = {q.version.type: q.position for q in attempt.questions}
    taking.save_answer(attempt, position["single"], 0, at)  # unshuffled: A is right
    taking.save_answer(attempt, position["multiple"], [1], at)  # shown B = stored 1: half
    taking.save_answer(attempt, position["true_false"], True, at)
    taking.save_answer(attempt, position["short_text"], "đápánchấpnhận hồ chí minh", at)
    taking.save_answer(attempt, position["numeric"], "98.765", at)
    # Shown items: [05, 01-KL, 03]; the right order 03, 05, 01-KL is shown 2, 0, 1.
    taking.save_answer(attempt, position["ordering"], [2, 0, 1], at)
    taking.save_answer(attempt, position["open"], "Giúp đỡ đồng nghiệp.", at)
    saved = {a.position: a.response for a in db.session.scalars(select(Answer))}
    assert saved[position["multiple"]] == [1]
    assert saved[position["ordering"]] == [0, 1, 2]
    taking.submit(attempt, NOW + timedelta(minutes=2))
    assert attempt.score == 10 + 5 + 10 + 10 + 10 + 10 + 0  # the open one is scored later
    assert attempt.correct == 5
    fractions = {a.position: a.fraction for a in db.session.scalars(select(Answer))}
    assert fractions[position["multiple"]] == 0.5 and fractions[position["open"]] is None


def test_saving_again_replaces_the_answer(world):
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt = start(round_, world.people[0])
    taking.save_answer(attempt, 1, 2, NOW + timedelta(seconds=10))
    taking.save_answer(attempt, 1, 2, NOW + timedelta(seconds=11))  # a retry of the same save
    taking.save_answer(attempt, 1, 0, NOW + timedelta(seconds=20))
    db.session.commit()
    [answer] = db.session.scalars(select(Answer)).all()
    assert (answer.response, answer.saved_at) == (0, NOW + timedelta(seconds=20))


def test_simultaneous_saves_of_one_question_leave_one_answer(app, world):
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt_id = start(round_, world.people[0]).id
    choices = iter(range(8))
    lock = threading.Lock()

    def work():
        with lock:
            choice = next(choices) % 4
        taking.save_answer(db.session.get(Attempt, attempt_id), 1, choice, NOW)
        db.session.commit()
        return choice

    chosen = run_in_threads(app, 8, work)
    [answer] = db.session.scalars(select(Answer)).all()
    assert answer.response in chosen


@pytest.mark.parametrize(
    ("kind", "response"),
    [
        ("single", "1"),
        ("single", 4),
        ("single", True),
        ("multiple", [0, 0]),
        ("multiple", 1),
        ("ordering", [0, 1]),
        ("ordering", [0, 1, 1]),
        ("true_false", "true"),
        ("short_text", 5),
        ("short_text", "x" * 501),
        ("open", None),
    ],
)
def test_a_response_of_the_wrong_shape_is_refused(world, kind, response):
    round_ = make_round(world.contest, [world.questions[kind]])
    attempt = start(round_, world.people[0])
    with pytest.raises(taking.Refused) as refused:
        taking.save_answer(attempt, 1, response, NOW)
    assert refused.value.code == "bad_response"


def test_only_the_attempts_own_questions_can_be_answered(world):
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt = start(round_, world.people[0])
    for position in (0, 2, 99):
        with pytest.raises(taking.Refused) as refused:
            taking.save_answer(attempt, position, 0, NOW)
        assert refused.value.code == "no_such_question"


def test_saves_count_until_the_grace_period_ends(world):
    round_ = make_round(world.contest, [world.questions["single"]], grace_s=15)
    attempt = start(round_, world.people[0])
    end = attempt.deadline + timedelta(seconds=15)
    taking.save_answer(attempt, 1, 0, end)  # the last instant of the grace period
    db.session.commit()
    with pytest.raises(taking.Refused) as refused:
        taking.save_answer(attempt, 1, 1, end + timedelta(milliseconds=1))
    assert refused.value.code == "past_deadline"
    db.session.rollback()
    assert db.session.get(Answer, (attempt.id, 1)).response == 0


def test_a_submitted_attempt_takes_no_more_answers(world):
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt = start(round_, world.people[0])
    taking.submit(attempt, NOW + timedelta(minutes=1))
    with pytest.raises(taking.Refused) as refused:
        taking.save_answer(attempt, 1, 0, NOW + timedelta(minutes=2))
    assert refused.value.code == "submitted"
    with pytest.raises(taking.Refused):
        taking.save_prediction(attempt, 5, NOW + timedelta(minutes=2))


def test_the_quick_save_leaves_unknown_late_and_submitted_attempts_to_the_full_path(world):
    round_ = make_round(world.contest, [world.questions["single"]], grace_s=15)
    attempt = start(round_, world.people[0])
    end = attempt.deadline + timedelta(seconds=15)
    assert taking.save_by_token(attempt.token, 1, 0, end) is True  # the grace period's last instant
    assert taking.save_by_token(secrets.token_urlsafe(32), 1, 1, NOW) is False
    assert taking.save_by_token(attempt.token, 1, 1, end + timedelta(milliseconds=1)) is False
    taking.submit(attempt, NOW + timedelta(minutes=1))
    assert taking.save_by_token(attempt.token, 1, 1, NOW + timedelta(minutes=1)) is False
    db.session.commit()
    assert db.session.get(Answer, (attempt.id, 1)).response == 0
    assert attempt.score == 10


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_submit_waits_for_a_save_in_progress_and_scores_it(app, world):
    """The save's shared lock on the attempt (PostgreSQL) holds a racing submit back."""
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt = start(round_, world.people[0])
    attempt_id, at = attempt.id, NOW + timedelta(minutes=1)
    assert taking.save_by_token(attempt.token, 1, 0, at)  # written, not committed yet
    won = []

    def submit():
        with app.app_context():
            try:
                won.append(taking.submit(db.session.get(Attempt, attempt_id), at))
                db.session.commit()
            finally:
                db.session.remove()

    thread = threading.Thread(target=submit)
    thread.start()
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 10
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while thread.is_alive() and time.monotonic() < deadline:
            if conn.execute(waiting).scalar():
                break  # the submit waits for the save's lock
            time.sleep(0.01)
    db.session.commit()
    thread.join(timeout=10)
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert won == [True] and attempt.score == 10  # the save was scored


def test_the_prediction_is_a_whole_number_from_zero(world):
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt = start(round_, world.people[0])
    for bad in (-1, 2.5, "7171", True, None):
        with pytest.raises(taking.Refused) as refused:
            taking.save_prediction(attempt, bad, NOW)
        assert refused.value.code == "bad_response"
    taking.save_prediction(attempt, 7172, NOW)
    taking.save_prediction(attempt, 7171, NOW)
    db.session.commit()
    db.session.refresh(attempt)
    assert attempt.prediction == 7171


def test_a_round_without_a_prediction_question_refuses_a_prediction(world):
    round_ = make_round(world.contest, [world.questions["single"]], prediction="none")
    attempt = start(round_, world.people[0])
    with pytest.raises(taking.Refused) as refused:
        taking.save_prediction(attempt, 10, NOW)
    assert refused.value.code == "no_prediction"


# ---- submitting ---------------------------------------------------------------------------------


def test_submitting_twice_scores_once(world):
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt = start(round_, world.people[0])
    taking.save_answer(attempt, 1, 0, NOW + timedelta(minutes=1))
    assert taking.submit(attempt, NOW + timedelta(minutes=2)) is True
    db.session.commit()
    assert taking.submit(attempt, NOW + timedelta(minutes=3)) is False
    assert attempt.submitted_at == NOW + timedelta(minutes=2)
    assert (attempt.score, attempt.time_taken_ms) == (10, 120_000)


def test_parallel_submits_score_once(app, world):
    round_ = make_round(world.contest, list(world.questions.values()))
    attempt = start(round_, world.people[0])
    taking.save_answer(attempt, 1, 0, NOW + timedelta(minutes=1))
    db.session.commit()
    attempt_id = attempt.id

    def work():
        won = taking.submit(db.session.get(Attempt, attempt_id), NOW + timedelta(minutes=2))
        db.session.commit()
        return won

    assert sorted(run_in_threads(app, 6, work)) == [False] * 5 + [True]
    attempt = db.session.get(Attempt, attempt_id)
    assert (attempt.score, attempt.correct, attempt.finalised_by) == (10, 1, "participant")


def test_time_taken_stops_at_the_deadline(world):
    round_ = make_round(world.contest, [world.questions["single"]], time_limit_s=300)
    attempt = start(round_, world.people[0])
    taking.submit(attempt, attempt.deadline + timedelta(seconds=10))  # inside the grace period
    assert attempt.time_taken_ms == 300_000
    assert attempt.finalised_by == "participant"


def test_a_submit_after_the_grace_period_is_the_servers(world):
    round_ = make_round(world.contest, [world.questions["single"]], grace_s=15)
    attempt = start(round_, world.people[0])
    taking.submit(attempt, attempt.deadline + timedelta(hours=1))
    assert attempt.finalised_by == "server"
    assert attempt.submitted_at == attempt.deadline + timedelta(seconds=15)


# ---- the result and the review policy -----------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "after", "shown"),
    [
        ("immediately", timedelta(minutes=5), True),
        ("after_close", timedelta(minutes=5), False),
        ("after_close", timedelta(days=6), True),
        ("never", timedelta(days=60), False),
    ],
)
def test_the_review_policy_decides_when_the_answers_are_shown(world, policy, after, shown):
    round_ = make_round(world.contest, [world.questions["single"]], review=policy)
    attempt = start(round_, world.people[0])
    taking.save_answer(attempt, 1, 1, NOW + timedelta(minutes=1))
    taking.submit(attempt, NOW + timedelta(minutes=2))
    result = taking.result(attempt, NOW + after)
    assert (result.score, result.max_score, result.correct_count) == (0, 10, 0)
    assert (result.review is not None) is shown
    if shown:
        [question] = result.review
        assert question["your_answer"] == "B" and question["correct_answer"] == "A"
        assert question["status"] == "wrong"
        assert "GIẢI THÍCH" in question["explanation_html"]
        assert question["source"]["document"] == "Chỉ thị 05-CT/TW"


def test_an_open_question_waits_for_people_to_score_it(world):
    round_ = make_round(world.contest, [world.questions["open"]], review="immediately")
    attempt = start(round_, world.people[0])
    taking.save_answer(attempt, 1, "Tham gia hiến máu.", NOW)
    taking.submit(attempt, NOW + timedelta(minutes=1))
    [question] = taking.result(attempt, NOW + timedelta(minutes=1)).review
    assert question["status"] == "pending" and question["earned"] == 0
    assert question["your_answer"] == "Tham gia hiến máu."


def test_there_is_no_result_before_submitting(world):
    round_ = make_round(world.contest, [world.questions["single"]])
    attempt = start(round_, world.people[0])
    with pytest.raises(taking.Refused) as refused:
        taking.result(attempt, NOW)
    assert refused.value.code == "not_submitted"
