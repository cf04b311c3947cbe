"""The bank through its pages: write every type, review, search without accents, edit, history."""

import pytest
from sqlalchemy import select

from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes.models import Theme
from questions.models import Question, Status
from tests.conftest import PASSWORD, Client

COMMON = {"level": "recall", "points": "10", "time_limit_s": "30", "source_document": "facts.md"}

EVERY_TYPE = {
    "single": {
        "stem": "Chỉ thị 05-CT/TW được ban hành ngày nào?",
        "options-0-text": "15/5/2016",
        "options-0-correct": "y",
        "options-1-text": "18/5/2021",
        "options-2-text": "14/5/2011",
    },
    "multiple": {
        "stem": "Những văn bản nào do Bộ Chính trị ban hành?",
        "options-0-text": "Chỉ thị 05-CT/TW",
        "options-0-correct": "y",
        "options-1-text": "Kết luận 01-KL/TW",
        "options-1-correct": "y",
        "options-2-text": "Nghị định 01",
        "scoring": "partial",
    },
    "true_false": {"stem": "Kết luận 01-KL/TW ban hành ngày 18/5/2021.", "answer": "true"},
    "short_text": {
        "stem": "Kết luận 01-KL/TW tiếp tục thực hiện chỉ thị nào?",
        "accepted": "Chỉ thị 05\nChỉ thị số 05-CT/TW",
        "ignore_diacritics": "y",
    },
    "numeric": {
        "stem": "Tỉnh Lai Châu ban hành bao nhiêu kế hoạch triển khai?",
        "value": "2.594",
        "unit": "kế hoạch",
    },
    "ordering": {
        "stem": "Xếp các văn bản theo thứ tự thời gian.",
        "items": "Chỉ thị 06-CT/TW\nChỉ thị 03-CT/TW\nChỉ thị 05-CT/TW\nKết luận 01-KL/TW",
    },
    "open": {
        "stem": "Trình bày ý nghĩa của việc học tập và làm theo Bác.",
        "guidance": "Nêu gương",
    },
}


def create(client, kind, **extra):
    data = dict(COMMON, type=kind, **EVERY_TYPE[kind])
    data.update(extra)
    return client.post_form("/questions/new", data)


def latest_question() -> Question:
    return db.session.scalar(select(Question).order_by(Question.id.desc()))


def second_client(app, username, *roles, make_user) -> Client:
    make_user(username, *roles)
    other = app.test_client()
    assert (
        other.post_form("/login", {"username": username, "password": PASSWORD}).status_code == 302
    )
    return other


@pytest.mark.parametrize("kind", list(EVERY_TYPE))
def test_an_editor_writes_each_type_and_a_reviewer_approves_it(
    app, client, login_as, make_user, kind
):
    login_as(Role.EDITOR, username="bientap")
    response = create(client, kind)
    assert response.status_code == 302, response.get_data(as_text=True)
    question = latest_question()
    assert question.status == Status.DRAFT and question.current.type == kind
    client.post_form(f"/questions/{question.id}/review", {"action": "submit"})

    reviewer = second_client(app, "duyet", Role.REVIEWER, make_user=make_user)
    reviewer.post_form(f"/questions/{question.id}/review", {"action": "approve"})
    db.session.expire_all()
    assert db.session.get(Question, question.id).status == Status.APPROVED


def test_a_numeric_answer_typed_the_vietnamese_way_is_stored_as_the_number(client, login_as):
    login_as(Role.EDITOR)
    create(client, "numeric")
    question = latest_question()
    assert question.current.content["value"] == 2594
    # Shown back the way it was typed: a Vietnamese reader sees a thousands dot.
    assert "2.594 kế hoạch" in client.get(f"/questions/{question.id}").get_data(as_text=True)


def test_search_without_accents_finds_the_question(client, login_as):
    login_as(Role.EDITOR)
    create(client, "single")
    create(client, "true_false")
    page = client.get("/questions?q=chi+thi+05").get_data(as_text=True)
    assert "Chỉ thị 05-CT/TW được ban hành ngày nào?" in page
    assert "Kết luận 01-KL/TW ban hành ngày 18/5/2021." not in page


def test_an_edit_makes_a_new_version_and_the_old_one_stays_readable(client, login_as):
    login_as(Role.EDITOR)
    create(client, "single")
    question = latest_question()
    edit = dict(COMMON, type="single", base_revision="1", **EVERY_TYPE["single"])
    edit["stem"] = "Ngày ban hành Chỉ thị 05-CT/TW là ngày nào?"
    assert client.post_form(f"/questions/{question.id}/edit", edit).status_code == 302
    history = client.get(f"/questions/{question.id}/history").get_data(as_text=True)
    assert "Ngày ban hành Chỉ thị 05-CT/TW là ngày nào?" in history
    assert "Chỉ thị 05-CT/TW được ban hành ngày nào?" in history  # version 1, still readable
    assert 'class="diff-removed"' in history and 'class="diff-added"' in history


def test_the_second_editor_is_told_and_sees_the_other_version_nothing_is_overwritten(
    app, client, login_as, make_user
):
    login_as(Role.EDITOR)
    create(client, "single")
    question = latest_question()
    other = second_client(app, "bientap2", Role.EDITOR, make_user=make_user)
    first = dict(COMMON, type="single", base_revision="1", **EVERY_TYPE["single"])
    first["stem"] = "Bản sửa của người thứ nhất"
    assert client.post_form(f"/questions/{question.id}/edit", first).status_code == 302
    late = dict(first, stem="Bản sửa của người thứ hai")
    response = other.post_form(f"/questions/{question.id}/edit", late)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Bản sửa của người thứ nhất" in page  # theirs, shown
    assert "Bản sửa của người thứ hai" in page  # mine, kept in the form
    db.session.expire_all()
    assert (
        db.session.get(Question, question.id).current.content["stem"]
        == "Bản sửa của người thứ nhất"
    )


@pytest.mark.parametrize(
    "kind, change, field",
    [
        ("single", {"options-0-correct": ""}, "options"),
        ("single", {"options-1-text": "15/5/2016"}, "options"),
        ("short_text", {"accepted": ""}, "accepted"),
        ("numeric", {"value": "hai nghìn"}, "value"),
        ("ordering", {"items": "Chỉ một mục"}, "items"),
    ],
)
def test_bad_content_is_refused_beside_its_field_and_nothing_is_saved(
    client, login_as, kind, change, field
):
    login_as(Role.EDITOR)
    response = create(client, kind, **change)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="error"' in page
    assert db.session.scalar(select(Question)) is None


def test_themes_and_tags_are_kept_with_the_question(app, client, login_as):
    from contest.themes.demo import load_demo_themes

    load_demo_themes()
    db.session.commit()
    theme = db.session.scalar(select(Theme).where(Theme.short_name == "Chỉ thị 05-CT/TW"))
    login_as(Role.EDITOR)
    create(client, "single", themes=str(theme.id), tags="mốc thời gian, Văn bản")
    question = latest_question()
    assert [t.short_name for t in question.themes] == ["Chỉ thị 05-CT/TW"]
    assert sorted(t.name for t in question.tags) == ["mốc thời gian", "văn bản"]
    found = client.get(f"/questions?theme={theme.id}&tag=văn+bản").get_data(as_text=True)
    assert "Chỉ thị 05-CT/TW được ban hành ngày nào?" in found


@pytest.mark.parametrize("role", [Role.JUDGE, Role.SECRETARY])
def test_staff_outside_the_bank_never_see_questions_or_answers(client, login_as, make_user, role):
    from questions import service

    author = make_user("bientap", Role.EDITOR)
    content = {
        "type": "single",
        "stem": "Câu hỏi bí mật",
        "options": [{"text": "Đúng", "correct": True}, {"text": "Sai", "correct": False}],
    }
    question = service.create_question(author, content, service.Details())
    db.session.commit()
    login_as(role)
    assert client.get("/questions").status_code == 403
    assert client.get(f"/questions/{question.id}").status_code == 403
    assert client.get(f"/questions/{question.id}/history").status_code == 403


def test_a_reviewer_cannot_edit_and_an_editor_cannot_approve(app, client, login_as, make_user):
    login_as(Role.EDITOR)
    create(client, "single")
    question = latest_question()
    client.post_form(f"/questions/{question.id}/review", {"action": "submit"})
    client.post_form(f"/questions/{question.id}/review", {"action": "approve"})
    db.session.expire_all()
    assert db.session.get(Question, question.id).status == Status.IN_REVIEW
    reviewer = second_client(app, "duyet", Role.REVIEWER, make_user=make_user)
    assert reviewer.get(f"/questions/{question.id}/edit").status_code == 403


def test_the_list_pages_through_the_sample_bank_keeping_the_filters(app, client, login_as):
    from contest.demo import load_demo

    load_demo()
    login_as(Role.REVIEWER, username="duyet2")
    first = client.get("/questions?status=approved").get_data(as_text=True)
    assert "Trang 1/5" in first and "page=2" in first and "status=approved" in first
    last = client.get("/questions?status=approved&page=5").get_data(as_text=True)
    assert "Trang 5/5" in last and "page=4" in last and "page=6" not in last
    assert client.get("/questions?page=99").status_code == 200  # past the end: the last page


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_image_is_stored_under_a_random_name_and_shown_to_staff(app, client, login_as, tmp_path):
    import io

    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    login_as(Role.EDITOR)
    response = create(client, "single", image=(io.BytesIO(PNG), "anh-bac-ho.png"))
    assert response.status_code == 302
    name = latest_question().current.image_path
    assert name.endswith(".png") and "anh-bac-ho" not in name
    assert (tmp_path / name).read_bytes() == PNG
    detail = client.get(f"/questions/{latest_question().id}").get_data(as_text=True)
    assert f"/uploads/{name}" in detail
    assert client.get(f"/uploads/{name}").data == PNG


@pytest.mark.parametrize(
    "data, filename",
    [
        (b"<svg onload=alert(1)></svg>", "anh.png"),  # a script dressed as a picture
        (b"MZ\x90\x00 not a picture", "anh.jpg"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (3 * 1024 * 1024), "to-qua.png"),
    ],
)
def test_a_file_that_is_not_a_small_image_is_refused_and_nothing_is_saved(
    app, client, login_as, tmp_path, data, filename
):
    import io

    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    login_as(Role.EDITOR)
    response = create(client, "single", image=(io.BytesIO(data), filename))
    assert response.status_code == 200
    assert 'id="image-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Question)) is None
    assert list(tmp_path.iterdir()) == []


def test_a_refused_question_leaves_no_image_behind(app, client, login_as, tmp_path):
    import io

    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    login_as(Role.EDITOR)
    response = create(
        client, "single", image=(io.BytesIO(PNG), "a.png"), **{"options-0-correct": ""}
    )
    assert response.status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_only_stored_image_names_are_served(app, client, login_as):
    login_as(Role.HOST)
    assert client.get("/uploads/..%2F..%2Fsecret_key").status_code == 404
    assert client.get("/uploads/secret_key").status_code == 404


def test_a_reviewer_approves_a_selection_and_is_told_which_were_refused(
    app, client, login_as, make_user
):
    from questions import service

    author = make_user("bientap", Role.EDITOR)
    reviewer = login_as(Role.REVIEWER, Role.EDITOR, username="duyet")
    ids = []
    for n, owner in enumerate([author, author, reviewer]):
        content = {
            "type": "true_false", "stem": f"Nhận định số {n}", "answer": True,
        }  # fmt: skip
        question = service.create_question(owner, content, service.Details())
        service.apply_action(question, owner, service.Action.SUBMIT)
        ids.append(question.id)
    draft = service.create_question(
        author, {"type": "true_false", "stem": "Nháp", "answer": False}, service.Details()
    )
    db.session.commit()

    response = client.post_form(
        "/questions/bulk",
        {"ids": [*ids, draft.id], "action": "approve", "next": "/questions"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    statuses = {q.id: q.status for q in db.session.scalars(select(Question))}
    assert [statuses[i] for i in ids] == [Status.APPROVED, Status.APPROVED, Status.IN_REVIEW]
    assert statuses[draft.id] == Status.DRAFT
    assert "Đã thực hiện cho 2 câu hỏi." in page
    assert f"Câu hỏi {ids[2]}: Bạn là người soạn câu hỏi này" in page  # one's own question


def test_an_editor_tags_and_themes_a_selection(app, client, login_as):
    from contest.themes.demo import load_demo_themes

    load_demo_themes()
    db.session.commit()
    theme = db.session.scalar(select(Theme).where(Theme.short_name == "Kết luận 01-KL/TW"))
    login_as(Role.EDITOR)
    create(client, "single")
    create(client, "true_false")
    ids = [q.id for q in db.session.scalars(select(Question))]
    client.post_form("/questions/bulk", {"ids": ids, "action": "tag", "tag": "Ôn tập tuần 1"})
    client.post_form("/questions/bulk", {"ids": ids, "action": "theme", "theme": theme.id})
    for question in db.session.scalars(select(Question)):
        assert [t.name for t in question.tags] == ["ôn tập tuần 1"]
        assert theme in question.themes


def test_bulk_actions_are_for_editors_and_reviewers_only(client, login_as):
    login_as(Role.HOST)
    assert client.post_form("/questions/bulk", {"ids": [1], "action": "approve"}).status_code == 403


def test_the_overview_counts_the_bank_by_theme_level_and_status(app, client, login_as):
    from contest.demo import load_demo

    load_demo()
    login_as(Role.HOST, username="dan2")
    page = client.get("/questions/dashboard").get_data(as_text=True)
    # 102 approved sample questions; Directive 05 holds 40 of them.
    assert "<h2>102</h2>" in page
    row = page[page.index("<td>Chỉ thị 05-CT/TW</td>") :].split("</tr>")[0]
    assert "<strong>40</strong>" in row
    assert '"labels":' in page and "Chỉ thị 05-CT/TW" in page  # the chart's data


def test_the_list_previews_stems_as_plain_text(client, login_as):
    login_as(Role.EDITOR)
    create(client, "single", stem="**Phần thi kiến thức.** Chỉ thị 05-CT/TW ban hành ngày nào?")
    page = client.get("/questions").get_data(as_text=True)
    assert "Phần thi kiến thức. Chỉ thị 05-CT/TW ban hành ngày nào?" in page
    assert "**Phần thi" not in page


def test_a_question_keeps_a_theme_that_was_retired_since_and_can_still_be_edited(client, login_as):
    from contest.themes.demo import load_demo_themes

    load_demo_themes()
    db.session.commit()
    theme = db.session.scalar(select(Theme).where(Theme.short_name == "Chỉ thị 05-CT/TW"))
    login_as(Role.EDITOR)
    create(client, "single", themes=str(theme.id))
    question = latest_question()
    theme.active = False
    db.session.commit()
    form_page = client.get(f"/questions/{question.id}/edit").get_data(as_text=True)
    assert "Chỉ thị 05-CT/TW" in form_page
    edit = dict(
        COMMON, type="single", base_revision="1", themes=str(theme.id), **EVERY_TYPE["single"]
    )
    edit["stem"] = "Chỉ thị 05 ban hành ngày nào?"
    assert client.post_form(f"/questions/{question.id}/edit", edit).status_code == 302
    assert [t.id for t in latest_question().themes] == [theme.id]


def test_after_saving_a_near_duplicate_the_editor_sees_links_to_the_look_alikes(client, login_as):
    login_as(Role.EDITOR)
    create(client, "single")
    first = latest_question()
    response = create(client, "single", stem="Chỉ thị số 05-CT/TW được ban hành ngày nào?")
    page = client.get(response.location).get_data(as_text=True)
    assert "Câu hỏi gần giống đã có trong ngân hàng:" in page
    assert f'href="/questions/{first.id}"' in page
    unrelated = create(client, "true_false")
    assert "gần giống" not in client.get(unrelated.location).get_data(as_text=True)


def test_a_source_address_that_is_not_a_web_link_is_shown_as_text_only(client, login_as):
    from questions import service
    from questions.service import Details

    editor = login_as(Role.EDITOR)
    content = {"type": "true_false", "stem": "Nguồn lạ?", "answer": True}
    details = Details(source_document="Tệp nhập", source_url="javascript:alert(1)")
    question = service.create_question(editor, content, details)
    db.session.commit()
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert 'href="javascript:' not in page
    assert "javascript:alert(1)" in page  # still readable, so it can be corrected
