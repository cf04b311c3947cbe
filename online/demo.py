"""The demo's online contest: last week's round closed with prizes, this week's round open now.

Loaded by `flask --app contest demo` after the demo units, themes and sample questions. The people
and their answers are made up (a fixed random seed), and go through the same services a real
round uses: starting draws from the sample bank, answers are saved and submitted, the round is
closed (its questions' figures reach the bank's overview) and its prizes published.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from contest.database import utcnow
from contest.extensions import db
from contest.themes.models import Theme
from contest.units.models import Unit
from online import closing, contests, prize_service, registration, taking
from online.models import OnlineContest, Participant, Round

SLUG = "tim-hieu-chi-thi-05"
TITLE = "Cuộc thi trực tuyến tìm hiểu Chỉ thị 05-CT/TW"
DESCRIPTION = (
    "Cuộc thi trắc nghiệm trực tuyến hằng tuần tìm hiểu **Chỉ thị số 05-CT/TW** của Bộ Chính trị"
    " về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh và"
    " **Kết luận số 01-KL/TW** về tiếp tục thực hiện Chỉ thị 05.\n\n"
    "*Cuộc thi mẫu: tên người dự thi và kết quả đều là dữ liệu minh họa.*"
)
RULES = (
    "1. Mỗi tuần một vòng thi, mỗi vòng 10 câu hỏi rút ngẫu nhiên, làm trong 10 phút.\n"
    "2. Mỗi người được thi một lần mỗi tuần.\n"
    "3. Câu hỏi dự đoán: có bao nhiêu bài thi trả lời đúng tất cả các câu.\n"
    "4. Xếp hạng: nhiều điểm hơn → dự đoán gần đúng hơn → thời gian làm bài ngắn hơn →"
    " nộp bài sớm hơn.\n"
    "5. Thành viên Ban Tổ chức được dự thi nhưng không xét giải."
)
PREDICTION_TEXT = "Theo bạn, tuần này có bao nhiêu bài thi trả lời đúng tất cả các câu hỏi?"
DIRECTIVE, CONCLUSION = "Chỉ thị 05-CT/TW", "Kết luận 01-KL/TW"
DRAW = [(DIRECTIVE, "recall", 4), (CONCLUSION, "recall", 3), (DIRECTIVE, "understanding", 2)]
DRAW += [(CONCLUSION, "understanding", 1)]
TIERS = [("Giải Nhất", 1), ("Giải Nhì", 2), ("Giải Ba", 3), ("Giải Khuyến khích", 4)]
COLLECTIVE = [
    {
        "kind": "participants",
        "name": "Giải tập thể: đơn vị có nhiều người dự thi nhất",
        "count": 1,
        "depth": 2,
    }
]
PEOPLE_LAST_WEEK = 30
PEOPLE_THIS_WEEK = 8

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Thu", "Quốc", "Bảo", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan", "Linh"]
GIVEN += ["Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy"]


def _draw_rows(themes: dict[str, Theme]) -> list[dict]:
    rows = []
    for short_name, level, count in DRAW:
        theme = themes[short_name]
        count = min(count, contests.available(theme.id, level))
        if count:
            rows.append({"theme_id": theme.id, "level": level, "count": count})
    return rows


def _round(contest, number, opens_at, rows) -> Round:
    round_ = Round(
        contest=contest,
        number=number,
        title=f"Tuần {number}",
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=7),
        draw={"rows": rows},
        time_limit_s=600,
        attempts_allowed=1,
        review="after_close",
        prediction="all_correct",
        prediction_text=PREDICTION_TEXT,
        prize_tiers=[{"name": name, "count": count} for name, count in TIERS],
        collective_prizes=COLLECTIVE,
    )
    db.session.add(round_)
    return round_


def _people(contest, rng: random.Random, count: int) -> list[Participant]:
    units = db.session.scalars(
        select(Unit).where(Unit.headcount.is_not(None)).order_by(Unit.code)
    ).all()
    phones: set[str] = set()
    people = []
    for n in range(count):
        phone = f"09{rng.randrange(10**8):08d}"
        while phone in phones:
            phone = f"09{rng.randrange(10**8):08d}"
        phones.add(phone)
        female = rng.random() < 0.5
        middle = "Thị" if female and rng.random() < 0.6 else rng.choice(MIDDLE)
        person = Participant(
            contest_id=contest.id,
            token=registration.new_token(),
            full_name=f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}",
            date_of_birth=datetime(1965 + rng.randrange(40), 1 + rng.randrange(12), 1).date(),
            gender="female" if female else "male",
            phone=phone,
            unit_id=rng.choice(units).id if units and rng.random() < 0.9 else None,
            # One organiser takes part too: ranked, never awarded.
            is_staff=n == 3,
        )
        db.session.add(person)
        people.append(person)
    db.session.flush()
    return people


def _response(content: dict, shown_order, right: bool):
    """What a participant taps (shown indices), right or wrong."""
    kind = content["type"]
    order = list(shown_order or [])
    if kind == "single":
        correct = next(i for i, o in enumerate(content["options"]) if o.get("correct"))
        wrong = next(i for i in range(len(order)) if order[i] != correct)
        return order.index(correct) if right else wrong
    if kind == "multiple":
        correct = [i for i, o in enumerate(content["options"]) if o.get("correct")]
        return sorted(order.index(i) for i in correct) if right else [order.index(correct[0])]
    if kind == "true_false":
        return content["answer"] if right else not content["answer"]
    if kind == "short_text":
        return content["accepted"][0] if right else "không nhớ"
    if kind == "numeric":
        return content["value"] if right else content["value"] + 1
    if kind == "ordering":
        response = [order.index(i) for i in range(len(order))]
        return response if right else list(reversed(response))
    return "Học tập và làm theo gương Bác ở đơn vị."


def _take(round_: Round, person: Participant, started: datetime, rng: random.Random) -> None:
    attempt = taking.start_attempt(round_, person, started)
    skill = rng.uniform(0.55, 0.98)
    moment = started
    for item in attempt.questions:
        moment += timedelta(seconds=rng.randint(12, 45), milliseconds=rng.randint(0, 999))
        response = _response(item.version.content, item.shown_order, rng.random() < skill)
        taking.save_answer(attempt, item.position, response, moment)
    taking.save_prediction(attempt, rng.randint(4, 14), moment)
    taking.submit(attempt, moment + timedelta(seconds=rng.randint(5, 30)))


def load_online_demo(now: datetime | None = None) -> int:
    """Add the demo contest unless it exists; 1 if it was added, else 0. The caller commits."""
    if db.session.scalar(select(OnlineContest.id).where(OnlineContest.slug == SLUG)):
        return 0
    themes = {
        theme.short_name: theme
        for theme in db.session.scalars(
            select(Theme).where(Theme.short_name.in_([DIRECTIVE, CONCLUSION]))
        )
    }
    if len(themes) < 2:
        return 0  # the demo themes and questions come first
    rows = _draw_rows(themes)
    if not rows:
        return 0
    now = now or utcnow()
    contest = OnlineContest(
        slug=SLUG,
        title=TITLE,
        description=DESCRIPTION,
        rules=RULES,
        standings="sum",
        minimum_age=14,
        fields=dict(contests.DEFAULT_FIELDS),
        published=True,
        themes=list(themes.values()),
    )
    db.session.add(contest)
    db.session.flush()
    last_week = _round(contest, 1, now - timedelta(days=14), rows)
    this_week = _round(contest, 2, now - timedelta(days=1), rows)
    db.session.flush()

    rng = random.Random(5)
    people = _people(contest, rng, PEOPLE_LAST_WEEK)
    for person in people:
        started = last_week.opens_at + timedelta(minutes=rng.randint(30, 6 * 24 * 60))
        _take(last_week, person, started, rng)
    closing.close_round(last_week, now)
    prize_service.publish(last_week, now)

    for person in rng.sample(people, PEOPLE_THIS_WEEK):
        started = this_week.opens_at + timedelta(minutes=rng.randint(10, 20 * 60))
        _take(this_week, person, started, rng)
    db.session.flush()
    return 1
