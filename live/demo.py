"""The demo's stage contests: a final with four teams, three judges and three parts, and a
hall-sized show with Olympia-style packages, Rung chuông vàng and a sudden-death question.

Loaded by `flask --app contest demo` after the demo units and the sample bank, through the same
setup services the organisers' pages use. Teams, members and judges are made up; the questions
are approved sample-bank questions (questions/samples.json), picked by their keys.
"""

from __future__ import annotations

from sqlalchemy import select

from contest.accounts.models import User
from contest.extensions import db
from contest.units.models import Unit
from live import setup_questions, setup_seats, setup_service
from live.models import PartFormat, StageContest
from questions.models import Question, QuestionVersion
from questions.service import drawable_versions

TITLE = "Hội thi tìm hiểu Chỉ thị 05-CT/TW — Vòng chung kết"
DESCRIPTION = (
    "Vòng chung kết hội thi tìm hiểu **Chỉ thị số 05-CT/TW** của Bộ Chính trị về đẩy mạnh học tập"
    " và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.\n\n"
    "*Hội thi mẫu: tên đội, thành viên và giám khảo đều là dữ liệu minh họa.*"
)
# (team name, unit code, members, colour)
TEAMS = [
    ("Đội Đảng bộ phường Lái Hiếu", "HG-NB-LH", ["Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Minh Tâm"]),
    ("Đội Đảng bộ thị trấn Ngã Sáu", "HG-CT-NS", ["Phạm Ngọc Hà", "Võ Quốc Nam", "Bùi Thu Trang"]),
    ("Đội Đảng bộ Sở Giáo dục và Đào tạo", "HG-KCQ-GD", ["Đặng Kim Chi", "Huỳnh Bảo Long"]),
    ("Đội Đảng bộ phường I", "HG-VT-P1", ["Phan Thanh Sơn", "Đỗ Thị Mai", "Trương Minh Phúc"]),
]
JUDGES = ["Nguyễn Văn Giám", "Trần Thị Khảo", "Lê Hoàng Thẩm"]
# Sample questions by key: single-choice recall questions for the pads, then the buzzer's five.
KNOWLEDGE_KEYS = ["ct05-date", "ct05-subject", "kl01-date", "whole-term-title", "hcm-birth"]
BUZZER_KEYS = ["ct05-issuer-tf", "hcm-departure", "ct03-date", "ct06-date", "kl01-subject"]
SHOW_TITLE = "Hội thi Về đích và Rung chuông vàng — Chỉ thị 05-CT/TW"
SHOW_DESCRIPTION = (
    "Hội thi mẫu cho hội trường: **Về đích** (gói câu hỏi, ngôi sao hy vọng, giành quyền trả lời),"
    " **Rung chuông vàng** cho người chơi ngồi theo số ghế, khán giả bình chọn đội yêu thích.\n\n"
    "*Dữ liệu minh họa.*"
)
# Packages: two questions of each value, the value as each question's points.
PACKAGE_KEYS = [
    ("ct05-politburo-term", 10),
    ("ct05-scope", 10),
    ("kl01-objective-cause", 20),
    ("kl01-consequence", 20),
    ("kl01-tw4-xiii", 30),
    ("kl01-directive-27-issuer", 30),
]
BELL_KEYS = ["hcm-126th-birthday", "hcm-131st-birthday", "rating-yearly", "laichau-task-six"]
SUDDEN_DEATH_KEYS = ["kl01-young-generation"]
CRITERIA = [
    {"name": "Nội dung", "max": 5},
    {"name": "Lập luận", "max": 3},
    {"name": "Phong cách", "max": 2},
]


def demo_contest() -> StageContest | None:
    """The demo's stage contest, if it was loaded."""
    return db.session.scalar(select(StageContest).where(StageContest.title == TITLE))


def _versions(keys: list[str]) -> list[QuestionVersion]:
    """The approved versions of the sample questions with these keys, in the keys' order."""
    query = drawable_versions().where(Question.key.in_(keys))
    by_key = {version.question.key: version for version in db.session.scalars(query)}
    return [by_key[key] for key in keys if key in by_key]


def _unit_exists(code: str) -> bool:
    return db.session.scalar(select(Unit.id).where(Unit.code == code)) is not None


def load_stage_demo() -> int:
    """Create the demo's stage contest unless one with its title exists; how many were created."""
    if demo_contest() is not None:
        return 0
    host = db.session.scalar(select(User).where(User.username == "dan"))
    owner = host or db.session.scalar(select(User).order_by(User.id))
    values = setup_service.ContestValues(TITLE, DESCRIPTION, tiebreak="sudden_death")
    contest = setup_service.create_contest(owner, values)
    for index, (name, unit_code, members) in enumerate(TEAMS):
        colour = setup_seats.TEAM_COLOURS[index]
        # A unit an organiser renamed or removed since leaves the team without one.
        unit_code = unit_code if _unit_exists(unit_code) else ""
        team = setup_seats.TeamValues(name, unit_code, "\n".join(members), colour)
        setup_seats.add_team(contest, team)
    for name in JUDGES:
        setup_seats.add_judge(contest, name)
    knowledge = setup_service.add_part(
        contest, "Phần 1: Kiến thức", PartFormat.ALL_ANSWER.value, {"points": 10}
    )
    setup_questions.add_versions(knowledge, _versions(KNOWLEDGE_KEYS))
    buzzer = setup_service.add_part(
        contest, "Phần 2: Giành quyền trả lời", PartFormat.BUZZER.value, {"points": 10}
    )
    setup_questions.add_versions(buzzer, _versions(BUZZER_KEYS))
    setup_service.add_part(
        contest,
        "Phần 3: Hùng biện",
        PartFormat.JUDGED.value,
        {"criteria": CRITERIA, "trimmed_mean": False},
    )
    db.session.flush()
    return 1


def show_contest() -> StageContest | None:
    """The demo's hall-sized show, if it was loaded."""
    return db.session.scalar(select(StageContest).where(StageContest.title == SHOW_TITLE))


def load_show_demo() -> int:
    """Create the packages / Rung chuông vàng show unless it exists; how many were created."""
    if show_contest() is not None:
        return 0
    host = db.session.scalar(select(User).where(User.username == "dan"))
    owner = host or db.session.scalar(select(User).order_by(User.id))
    values = setup_service.ContestValues(SHOW_TITLE, SHOW_DESCRIPTION, tiebreak="sudden_death")
    contest = setup_service.create_contest(owner, values)
    contest.settings = {**(contest.settings or {}), "audience_bonus": 5}
    for index, (name, unit_code, members) in enumerate(TEAMS):
        unit_code = unit_code if _unit_exists(unit_code) else ""
        team = setup_seats.TeamValues(
            name, unit_code, "\n".join(members), setup_seats.TEAM_COLOURS[index]
        )
        setup_seats.add_team(contest, team)
    packages = setup_service.add_part(contest, "Phần 1: Về đích", PartFormat.PACKAGES.value, {})
    setup_questions.add_versions(packages, _versions([key for key, _value in PACKAGE_KEYS]))
    for question, (_key, value) in zip(packages.questions, PACKAGE_KEYS, strict=False):
        question.points = value
    bell = setup_service.add_part(
        contest, "Phần 2: Rung chuông vàng", PartFormat.ELIMINATION.value, {"seats": 100}
    )
    setup_questions.add_versions(bell, _versions(BELL_KEYS))
    sudden = setup_service.add_part(
        contest, "Câu hỏi phụ", PartFormat.SUDDEN_DEATH.value, {"time_limit_s": 15}
    )
    setup_questions.add_versions(sudden, _versions(SUDDEN_DEATH_KEYS))
    db.session.flush()
    return 1
