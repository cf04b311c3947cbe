"""People register for a published contest, get a personal link, and come back with phone + DOB."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import gettext
from sqlalchemy import func, select, text

from contest.accounts.roles import Role
from contest.database import utcnow
from contest.extensions import db
from contest.themes import service as themes
from contest.units import service as units
from online import contests, registration
from online.models import Attempt, OnlineContest, Participant, Round
from questions import service as bank
from questions.models import Status
from questions.service import Details

NATIONAL_ID = "001090012345"


def said(app, msgid: str, **params) -> str:
    """A message as a visitor reads it (Vietnamese by default)."""
    with app.test_request_context():
        return gettext(msgid, **params)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response, name: str) -> str:
    """The message shown beside one field."""
    match = re.search(rf'<p class="error" id="{name}-error">([^<]*)</p>', page_text(response))
    return match.group(1) if match else ""


def participants() -> int:
    return db.session.scalar(select(func.count()).select_from(Participant))


@pytest.fixture
def tree(app):
    top = units.create_unit("TU", "Tỉnh ủy Hậu Giang")
    district = units.create_unit("HU", "Huyện ủy Châu Thành", top.id)
    cell = units.create_unit("CB1", "Chi bộ ấp Đông Phước", district.id)
    units.create_unit("CB2", "Chi bộ ấp Tân Long", district.id)
    db.session.commit()
    return {"top": top.id, "cell": cell.id}


@pytest.fixture
def make_contest(app):
    def make(published=True, minimum_age=None, custom=(), **fields) -> OnlineContest:
        settings = dict(contests.DEFAULT_FIELDS, **fields)
        values = contests.ContestValues(
            title=f"Cuộc thi {len(fields)} {published} {minimum_age}",
            description="Cuộc thi <script>alert(1)</script> **hằng tuần**.",
            rules="Mỗi người một số điện thoại.",
            minimum_age=minimum_age,
            fields=settings,
            custom=list(custom),
            published=published,
        )
        contest = contests.create_contest(None, values)
        now = utcnow()
        db.session.add(
            Round(
                contest_id=contest.id,
                number=1,
                title="Tuần 1",
                opens_at=datetime(2026, 11, 22, 17, 30, tzinfo=UTC),
                closes_at=datetime(2026, 11, 30, 2, 0, tzinfo=UTC),
                draw={"question_ids": []},
            )
        )
        db.session.add(
            Round(
                contest_id=contest.id,
                number=2,
                title="Tuần 2",
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(days=6),
                draw={"question_ids": []},
            )
        )
        db.session.commit()
        return contest

    return make


def register(client, contest, **data):
    form = {"full_name": "Nguyễn Thị Hoa", "date_of_birth": "02/09/1990", "phone": "0912345678"}
    form.update(data)
    return client.post_form(f"/cuoc-thi/{contest.slug}/dang-ky", form)


def test_the_contest_page_shows_rules_rounds_in_vietnam_time_and_both_buttons(
    app, client, make_contest
):
    contest = make_contest()
    raw = client.get(f"/cuoc-thi/{contest.slug}").get_data(as_text=True)
    assert "<strong>hằng tuần</strong>" in raw
    assert "<script>alert(1)</script>" not in raw  # typed HTML is shown as text, never run
    page = html.unescape(raw)
    assert contest.title in page
    assert "23/11/2026 00:30" in page and "30/11/2026 09:00" in page  # Vietnam time
    assert said(app, "Register to take part") in page and said(app, "I have registered") in page


def test_an_unpublished_contest_does_not_exist_for_visitors(app, client, make_contest):
    contest = make_contest(published=False)
    for path in ("", "/dang-ky", "/quay-lai", "/don-vi?q=chi"):
        assert client.get(f"/cuoc-thi/{contest.slug}{path}").status_code == 404
    assert register(client, contest).status_code == 404
    assert participants() == 0
    assert contest.title not in page_text(client.get("/cuoc-thi"))


def test_registering_opens_the_personal_page_with_the_phone_masked(app, client, make_contest):
    contest = make_contest()
    response = register(client, contest, phone="+84 912 345 678", gender="female")
    assert response.status_code == 302
    person = db.session.scalar(select(Participant))
    assert response.location.endswith(f"/cuoc-thi/{contest.slug}/ca-nhan/{person.token}")
    assert (person.full_name, person.phone, person.date_of_birth, person.gender) == (
        "Nguyễn Thị Hoa",
        "0912345678",
        date(1990, 9, 2),
        "female",
    )
    assert not person.is_staff
    page = page_text(client.get(response.location))
    assert "Nguyễn Thị Hoa" in page and "09xx xxx 678" in page
    assert "0912345678" not in page and "912 345 678" not in page
    assert said(app, "Your personal link") in page and person.token in page
    assert said(app, "Start the round") in page  # "Tuần 2" is open


@pytest.mark.parametrize(
    "typed", ["0912 345 678", "+84 912 345 678", "(+84) 912.345.678", "84912345678", "912345678"]
)
def test_phone_formats_become_one_number_and_a_second_registration_is_refused(
    app, client, make_contest, typed
):
    contest = make_contest()
    assert register(client, contest, phone="0912-345-678").status_code == 302
    response = register(client, contest, full_name="Người khác", phone=typed)
    assert response.status_code == 400
    assert field_error(response, "phone") == said(
        app,
        "This phone number is already registered for this contest. "
        "Use “I have registered” to open your page.",
    )
    assert participants() == 1


def test_the_same_phone_may_register_for_another_contest(app, client, make_contest):
    first, second = make_contest(), make_contest(minimum_age=10)
    assert register(client, first).status_code == 302
    assert register(client, second).status_code == 302
    assert participants() == 2


def test_a_race_between_two_registrations_is_settled_by_the_database(app, make_contest):
    contest = make_contest()
    data = {"full_name": "A", "date_of_birth": date(1990, 1, 1), "phone": "0912345678"}
    with app.test_request_context():
        registration.register(contest, data)
        db.session.commit()
        # The check before writing can miss a registration committed a moment ago; pretend so.
        original = registration._phone_taken
        registration._phone_taken = lambda *_args: False
        try:
            with pytest.raises(registration.RegistrationInvalid) as refused:
                registration.register(contest, dict(data, full_name="B"))
        finally:
            registration._phone_taken = original
    assert set(refused.value.errors) == {"phone"}
    db.session.rollback()
    assert participants() == 1


def test_a_number_that_is_not_a_mobile_is_refused_beside_the_field(app, client, make_contest):
    contest = make_contest()
    response = register(client, contest, phone="0292 3852 111")  # a landline
    assert response.status_code == 400
    assert "0912 345 678" in field_error(response, "phone")
    assert participants() == 0


def test_the_national_id_is_never_stored_in_clear(app, client, make_contest):
    contest = make_contest(national_id="required")
    response = register(client, contest, national_id="001 090 012 345")
    assert response.status_code == 302
    row = db.session.execute(text("SELECT * FROM online_participant")).mappings().one()
    stored = " ".join(str(value) for value in row.values())
    assert NATIONAL_ID not in stored and "001 090 012 345" not in stored
    assert row["national_id_last4"] == "2345"
    assert len(row["national_id_hash"]) == 64
    page = page_text(client.get(response.location))
    assert "********2345" in page and NATIONAL_ID not in page
    # The same ID cannot register twice, typed differently or not.
    again = register(client, contest, phone="0987654321", national_id="001090012345")
    assert again.status_code == 400 and field_error(again, "national_id")


def test_a_badly_typed_national_id_is_refused(app, client, make_contest):
    contest = make_contest(national_id="optional")
    response = register(client, contest, national_id="12345")
    assert field_error(response, "national_id") == said(
        app, "A national ID has 12 digits (an old ID card: 9 digits)."
    )
    assert register(client, contest, national_id="").status_code == 302  # optional


@pytest.mark.parametrize("name", ["date_of_birth", "gender", "phone", "email", "national_id"])
def test_each_field_follows_its_setting(app, client, make_contest, name):
    filled = {
        "date_of_birth": "02/09/1990",
        "gender": "male",
        "phone": "0912345678",
        "email": "hoa@example.com",
        "national_id": NATIONAL_ID,
    }
    others = {other: "off" for other in filled if other != name}
    off = make_contest(**others, **{name: "off"})
    optional = make_contest(**others, **{name: "optional"})
    required = make_contest(**others, **{name: "required"})

    assert f'name="{name}"' not in page_text(client.get(f"/cuoc-thi/{off.slug}/dang-ky"))
    assert f'name="{name}"' in page_text(client.get(f"/cuoc-thi/{optional.slug}/dang-ky"))

    def post(contest, value):
        return client.post_form(
            f"/cuoc-thi/{contest.slug}/dang-ky", {"full_name": "Lê Văn Tám", name: value}
        )

    assert post(off, filled[name]).status_code == 302
    assert getattr(db.session.scalars(select(Participant)).one(), name, None) in (None, "")
    assert post(optional, "").status_code == 302
    missing = post(required, "")
    assert missing.status_code == 400
    assert field_error(missing, name) == said(app, "This field is required.")
    assert post(required, filled[name]).status_code == 302
    assert participants() == 3


def test_full_name_is_always_required(app, client, make_contest):
    contest = make_contest()
    response = register(client, contest, full_name="  ")
    assert field_error(response, "full_name") == said(app, "This field is required.")
    assert participants() == 0


def test_bad_input_is_reported_field_by_field_and_nothing_is_written(app, client, make_contest):
    contest = make_contest(email="optional", national_id="optional")
    response = register(
        client, contest, phone="12", email="khong-phai-email", national_id="abc", date_of_birth="x"
    )
    assert response.status_code == 400
    for name in ("phone", "email", "national_id", "date_of_birth"):
        assert field_error(response, name), name
    assert participants() == 0


def test_someone_under_the_minimum_age_is_refused_with_the_rule(app, client, make_contest):
    contest = make_contest(minimum_age=14)
    today = registration.today_local()
    young = today.replace(year=today.year - 14) + timedelta(days=1)
    response = register(client, contest, date_of_birth=young.strftime("%d/%m/%Y"))
    assert response.status_code == 400
    assert field_error(response, "date_of_birth") == said(
        app,
        "This contest is for people aged %(age)d or over; you are %(years)d.",
        age=14,
        years=13,
    )
    assert participants() == 0
    old_enough = young - timedelta(days=1)  # fourteen today
    assert register(client, contest, date_of_birth=old_enough.strftime("%d/%m/%Y")).status_code == (
        302
    )


def test_custom_fields_are_asked_and_kept(app, client, make_contest):
    contest = make_contest(custom=[{"label": "Chức vụ", "required": True}, {"label": "Lớp"}])
    form = page_text(client.get(f"/cuoc-thi/{contest.slug}/dang-ky"))
    assert "Chức vụ" in form and 'name="custom_c2"' in form
    missing = register(client, contest)
    assert field_error(missing, "custom_c1") == said(app, "This field is required.")
    assert register(client, contest, custom_c1="Bí thư chi bộ").status_code == 302
    person = db.session.scalar(select(Participant))
    assert person.custom == {"c1": "Bí thư chi bộ"}
    assert "Bí thư chi bộ" in page_text(
        client.get(f"/cuoc-thi/{contest.slug}/ca-nhan/{person.token}")
    )


def test_units_are_searched_without_accents_and_shown_with_their_path(
    app, client, make_contest, tree
):
    contest = make_contest(unit="required")
    found = client.get(f"/cuoc-thi/{contest.slug}/don-vi?q=dong phuoc").get_json()
    assert found == {
        "units": [
            {
                "id": tree["cell"],
                "path": "Tỉnh ủy Hậu Giang › Huyện ủy Châu Thành › Chi bộ ấp Đông Phước",
            }
        ]
    }
    several = client.get(f"/cuoc-thi/{contest.slug}/don-vi?q=CHI BO AP").get_json()["units"]
    assert len(several) == 2


def test_a_unit_is_picked_from_the_list_or_by_typing_its_name(app, client, make_contest, tree):
    contest = make_contest(unit="required")
    path = "Tỉnh ủy Hậu Giang › Huyện ủy Châu Thành › Chi bộ ấp Đông Phước"
    # With JavaScript: the list sets the id beside the words.
    assert register(client, contest, unit_query=path, unit_id=str(tree["cell"])).status_code == 302
    # Without: the words alone, when they name one unit.
    response = register(client, contest, phone="0987654321", unit_query="chi bo ap dong phuoc")
    assert response.status_code == 302
    assert {p.unit_id for p in db.session.scalars(select(Participant))} == {tree["cell"]}
    vague = register(client, contest, phone="0977777777", unit_query="chi bo")
    assert vague.status_code == 400 and "Chi bộ ấp Tân Long" in field_error(vague, "unit_query")
    nothing = register(client, contest, phone="0977777777", unit_query="")
    assert field_error(nothing, "unit_query") == said(app, "This field is required.")
    page = page_text(client.get(response.location))
    assert path in page


def test_a_staff_member_may_register_but_is_told_they_cannot_win(
    app, client, make_contest, login_as
):
    contest = make_contest()
    login_as(Role.EDITOR)
    note = said(
        app,
        "You are signed in with a staff account: you may take part, but staff cannot win a prize.",
    )
    assert note in page_text(client.get(f"/cuoc-thi/{contest.slug}/dang-ky"))
    assert register(client, contest).status_code == 302
    assert db.session.scalar(select(Participant)).is_staff


def test_coming_back_with_phone_and_date_of_birth_opens_the_personal_page(
    app, client, make_contest
):
    contest = make_contest()
    register(client, contest)
    person = db.session.scalar(select(Participant))
    response = client.post_form(
        f"/cuoc-thi/{contest.slug}/quay-lai",
        {"phone": "+84 912 345 678", "date_of_birth": "2/9/1990"},
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/ca-nhan/{person.token}")


def test_a_wrong_date_and_an_unknown_phone_get_the_same_answer(app, client, make_contest):
    contest = make_contest()
    register(client, contest)
    url = f"/cuoc-thi/{contest.slug}/quay-lai"
    wrong_date = client.post_form(url, {"phone": "0912345678", "date_of_birth": "03/09/1990"})
    unknown = client.post_form(url, {"phone": "0987654321", "date_of_birth": "02/09/1990"})
    assert wrong_date.status_code == unknown.status_code == 400
    message = said(
        app,
        "We found no registration with this phone number and date of birth. "
        "Check both, or register.",
    )
    assert field_error(wrong_date, "phone") == field_error(unknown, "phone") == message


def test_a_personal_link_only_opens_its_own_contest(app, client, make_contest):
    first, second = make_contest(), make_contest(minimum_age=10)
    register(client, first)
    token = db.session.scalar(select(Participant)).token
    assert client.get(f"/cuoc-thi/{first.slug}/ca-nhan/{token}").status_code == 200
    assert client.get(f"/cuoc-thi/{second.slug}/ca-nhan/{token}").status_code == 404
    assert client.get(f"/cuoc-thi/{first.slug}/ca-nhan/{token[:-1]}x").status_code == 404


def test_the_personal_page_is_not_cached_or_sent_on_as_a_referrer(app, client, make_contest):
    contest = make_contest()
    response = register(client, contest)
    page = client.get(response.location)
    assert "no-store" in page.headers["Cache-Control"]
    assert page.headers["Referrer-Policy"] == "same-origin"


@pytest.fixture
def drawn_contest(app, make_user, make_contest):
    """A published contest whose open round draws 2 of the 3 approved questions of a theme."""
    editor = make_user("bientap", Role.EDITOR)
    theme = themes.create_theme(
        kind="directive", short_name="CT05", title="Chỉ thị 05", organisation="BCT", year_from=2016
    )
    for n in range(3):
        content = {"type": "true_false", "stem": f"Câu {n}?", "answer": True}
        question = bank.create_question(editor, content, Details())
        question.status, question.approved_revision = Status.APPROVED.value, 1
        question.themes = [theme]
    contest = make_contest()
    open_round = contest.rounds[1]
    open_round.draw = {"rows": [{"theme_id": theme.id, "level": "recall", "count": 2}]}
    db.session.commit()
    return contest


def test_start_the_round_opens_the_taking_page_and_then_offers_to_continue(
    app, client, drawn_contest
):
    contest = drawn_contest
    personal = register(client, contest).location
    person = db.session.scalar(select(Participant))
    open_round = contest.rounds[1]
    response = client.post_form(f"{personal}/vong/{open_round.id}/vao-thi")
    attempt = db.session.scalar(select(Attempt))
    assert response.status_code == 302 and response.location == f"/thi/{attempt.token}"
    assert (attempt.participant_id, attempt.round_id, len(attempt.questions)) == (
        person.id,
        open_round.id,
        2,
    )
    page = page_text(client.get(personal))
    assert said(app, "Continue the attempt") in page and f"/thi/{attempt.token}" in page
    assert said(app, "Start the round") not in page


def test_a_round_that_is_not_open_cannot_be_started(app, client, drawn_contest):
    contest = drawn_contest
    closed = contest.rounds[1]
    closed.opens_at = utcnow() - timedelta(days=10)
    closed.closes_at = utcnow() - timedelta(days=3)
    db.session.commit()
    personal = register(client, contest).location
    assert said(app, "Start the round") not in page_text(client.get(personal))
    response = client.post_form(f"{personal}/vong/{closed.id}/vao-thi", follow_redirects=True)
    assert said(app, "This round is not open now.") in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_starting_needs_a_personal_link_of_this_contest(app, client, drawn_contest, make_contest):
    other = make_contest(minimum_age=10)
    personal = register(client, other).location
    token = personal.rsplit("/", 1)[1]
    round_id = drawn_contest.rounds[1].id
    url = f"/cuoc-thi/{drawn_contest.slug}/ca-nhan/{token}/vong/{round_id}/vao-thi"
    assert client.post_form(url).status_code == 404
    # Nor can one contest's link start another contest's round.
    assert client.post_form(f"{personal}/vong/{round_id}/vao-thi").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {
            "ONLINE_REGISTER_LIMIT": "2 per minute",
            "ONLINE_COMEBACK_LIMIT": "2 per minute",
            "ONLINE_START_LIMIT": "2 per minute",
        }

    def test_too_many_registrations_from_one_address_get_a_vietnamese_429(
        self, app, client, make_contest
    ):
        contest = make_contest()
        assert register(client, contest, phone="0911111111").status_code == 302
        assert register(client, contest, phone="0922222222").status_code == 302
        refused = register(client, contest, phone="0933333333")
        assert refused.status_code == 429
        assert "Thử quá nhiều lần" in page_text(refused)
        assert participants() == 2
        # Reading the page is not limited.
        assert client.get(f"/cuoc-thi/{contest.slug}/dang-ky").status_code == 200

    def test_guessing_dates_of_birth_is_limited(self, app, client, make_contest):
        contest = make_contest()
        register(client, contest)
        url = f"/cuoc-thi/{contest.slug}/quay-lai"
        for day in (1, 3):
            guess = {"phone": "0912345678", "date_of_birth": f"0{day}/09/1990"}
            assert client.post_form(url, guess).status_code == 400
        right = {"phone": "0912345678", "date_of_birth": "02/09/1990"}
        assert client.post_form(url, right).status_code == 429

    def test_starting_over_and_over_is_limited_per_personal_link(self, app, client, drawn_contest):
        personal = register(client, drawn_contest).location
        url = f"{personal}/vong/{drawn_contest.rounds[1].id}/vao-thi"
        assert client.post_form(url).status_code == 302
        assert client.post_form(url).status_code == 302  # the same attempt again
        assert client.post_form(url).status_code == 429
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
