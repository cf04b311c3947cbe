"""`flask --app contest demo`: the same demo however often it runs, and the logins printed."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from contest.accounts.models import User
from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes.models import Theme
from contest.units.models import Unit


def counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) for model in (User, Unit, Theme)
    )


def test_the_demo_loads_every_role_thirty_units_and_the_themes_and_prints_the_logins(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert counts() == (6, 30, 6)
    for login in ["admin", "hoithi-admin", "giamkhao", "hoithi-judge", "thuky"]:
        assert login in result.output
    roles = {role for user in db.session.scalars(select(User)) for role in user.roles}
    assert roles == set(Role)


def test_running_the_demo_again_changes_nothing_and_keeps_local_edits(runner):
    runner.invoke(args=["demo"])
    unit = db.session.scalar(select(Unit).where(Unit.code == "HG-CT-NS-01"))
    unit.name = "Chi bộ ấp Đông Bình"
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    admin.set_password("mat-khau-rieng")
    db.session.commit()

    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0 and counts() == (6, 30, 6)
    db.session.expire_all()
    assert db.session.get(Unit, unit.id).name == "Chi bộ ấp Đông Bình"
    assert "already existed: password unchanged" in result.output


def test_on_later_starts_only_the_logins_that_still_work_are_printed(runner):
    runner.invoke(args=["demo"])
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    admin.set_password("mat-khau-rieng")
    db.session.commit()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert "demo not loaded" in result.output
    assert "hoithi-editor" in result.output and "hoithi-admin" not in result.output


def test_the_demo_is_refused_in_production(app, runner):
    app.config["HOITHI_ENV"] = "production"
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and counts() == (0, 0, 0)


def test_times_are_stored_in_utc_and_shown_in_vietnam_time(client, login_as):
    admin = login_as(Role.ADMIN, username="quantri")
    user = db.session.get(User, admin.id)
    user.last_login_at = datetime(2026, 1, 1, 17, 30, tzinfo=UTC)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, admin.id).last_login_at == datetime(2026, 1, 1, 17, 30, tzinfo=UTC)
    # 17:30 UTC is 00:30 the next day in Hà Nội (UTC+7).
    assert "02/01/2026 00:30" in client.get("/users").get_data(as_text=True)
