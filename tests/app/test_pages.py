"""The shell every page shares: health, errors, language."""


def test_the_health_check_answers_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_an_unknown_page_is_a_404_in_the_shared_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert 'class="topbar"' in response.get_data(as_text=True)


def test_the_language_switch_refuses_a_post_without_csrf(client):
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 400


def test_the_language_switch_ignores_unknown_languages_and_foreign_redirects(client):
    response = client.post_form("/language", {"lang": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.location == "/"
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


def test_english_is_one_click_away_and_stays_for_the_session(client):
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)
    response = client.post_form("/language", {"lang": "en", "next": "/login"})
    assert response.location == "/login"
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_ready_when_the_schema_is_at_the_codes_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_not_ready_while_the_schema_lags_behind(app, client):
    from sqlalchemy import text

    from contest.extensions import db

    with db.engine.begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.get_json()["problems"] == [f"database schema at 0001, code expects {head}"]
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
