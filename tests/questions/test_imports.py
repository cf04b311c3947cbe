"""Importing question files through the pages and the CLI: preview, refusals, all or nothing."""

import io
import json
import time

import pytest
from sqlalchemy import func, select

from contest.accounts.roles import Role
from contest.extensions import db
from contest.themes.demo import load_demo_themes
from contest.themes.models import Theme
from questions import imports, service
from questions.models import Question
from questions.service import Details

GIFT = """// Câu hỏi tìm hiểu Chỉ thị 05-CT/TW
$CATEGORY: $course$/top/Chỉ thị 05-CT//TW/Tuần 1

::ct05::Chỉ thị 05-CT/TW được ban hành ngày nào? {
  =15/5/2016 # Đúng: ngày 15/5/2016.
  ~18/5/2021
  ~14/5/2011
}

Kết luận 01-KL/TW được ban hành ngày 18/5/2021. {T}

Chỉ thị 05-CT/TW do cơ quan nào ban hành? {=Bộ Chính trị =Bộ Chính trị khóa XII}
""".encode()

BROKEN_GIFT = """Câu hỏi đúng. {T}

Câu hỏi thiếu ngoặc đóng {=Bộ Chính trị ~Ban Bí thư

Câu hỏi số {#abc}
""".encode()


@pytest.fixture
def themes(app):
    load_demo_themes()
    db.session.commit()


@pytest.fixture
def app_config(tmp_path):
    return {"IMPORT_FOLDER": str(tmp_path / "imports")}


def upload(client, data: bytes, filename: str, **fields):
    form = {"file": (io.BytesIO(data), filename), **fields}
    return client.post_form("/questions/import", form, content_type="multipart/form-data")


def question_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Question))


def token_of(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def test_a_gift_file_is_previewed_then_imported_with_themes_tags_and_status(
    client, login_as, themes
):
    login_as(Role.EDITOR)
    token = token_of(upload(client, GIFT, "tuan1.gift"))
    preview = client.get(f"/questions/import/{token}").get_data(as_text=True)
    assert "Chỉ thị 05-CT/TW được ban hành ngày nào?" in preview
    assert "Số câu hỏi đọc được: 3" in preview
    assert question_count() == 0  # nothing written before the confirmation
    theme = db.session.scalar(select(Theme).where(Theme.short_name == "Kết luận 01-KL/TW"))
    response = client.post_form(
        f"/questions/import/{token}/commit",
        {"themes": str(theme.id), "tags": "tuần 1, trắc nghiệm", "status": "in_review"},
    )
    assert response.status_code == 302
    done = client.get(f"/questions/import/{token}").get_data(as_text=True)
    assert "Đã nhập 3 câu hỏi" in done
    questions = db.session.scalars(select(Question).order_by(Question.id)).all()
    assert [q.status for q in questions] == ["in_review"] * 3
    first = questions[0]
    assert first.current.content["options"][0] == {
        "text": "15/5/2016",
        "correct": True,
        "feedback": "Đúng: ngày 15/5/2016.",
    }
    # The file's category names a theme of the bank; "Tuần 1" is not a theme, so it is a tag.
    assert {t.short_name for t in first.themes} == {"Chỉ thị 05-CT/TW", "Kết luận 01-KL/TW"}
    assert {tag.name for tag in first.tags} == {"tuần 1", "trắc nghiệm"}
    assert questions[2].current.content["accepted"] == ["Bộ Chính trị", "Bộ Chính trị khóa XII"]
    assert "ban hanh ngay nao" in first.current.search_text  # found by search


def test_a_broken_file_is_refused_whole_with_line_numbers(client, login_as):
    login_as(Role.EDITOR)
    token = token_of(upload(client, BROKEN_GIFT, "hong.gift"))
    preview = client.get(f"/questions/import/{token}").get_data(as_text=True)
    assert "Tệp bị từ chối" in preview
    assert "Dòng 3" in preview and "Dòng 5" in preview
    response = client.post_form(f"/questions/import/{token}/commit", {"status": "draft"})
    assert response.status_code == 302
    assert question_count() == 0  # the good question on line 1 was not written either
    assert "Tệp có lỗi" in client.get(f"/questions/import/{token}").get_data(as_text=True)


def test_duplicates_are_flagged_against_the_bank_and_within_the_file(client, login_as):
    editor = login_as(Role.EDITOR)
    content = {
        "type": "true_false",
        "stem": "Kết luận 01-KL/TW ban hành ngày 18/5/2021.",
        "answer": True,
    }
    existing = service.create_question(editor, content, Details())
    db.session.commit()
    twice = (
        GIFT + "\n\nChỉ thị 05-CT/TW được ban hành vào ngày nào? {=15/5/2016 ~1/1/2000}\n".encode()
    )
    token = token_of(upload(client, twice, "trung.gift"))
    preview = client.get(f"/questions/import/{token}?only=duplicates").get_data(as_text=True)
    assert f"/questions/{existing.id}" in preview  # a link to the look-alike in the bank
    assert "Giống dòng 4 của tệp này" in preview
    # The import may leave out the questions that duplicate the bank.
    client.post_form(
        f"/questions/import/{token}/commit", {"status": "draft", "skip_bank_duplicates": "y"}
    )
    assert question_count() == 1 + 3  # the existing one, and 4 read less the bank duplicate


def test_an_old_encoding_is_refused_beside_the_field(client, login_as):
    login_as(Role.EDITOR)
    response = upload(client, "Câu đúng. {T}".encode("cp1258"), "cu.gift")
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


def test_an_unknown_format_is_refused_with_the_formats_it_could_be(client, login_as):
    login_as(Role.EDITOR)
    response = upload(client, b"\x89PNG\r\n\x1a\n", "anh.png")
    assert response.status_code == 400
    assert ".xlsx" in response.get_data(as_text=True)


def test_a_broken_zip_posing_as_a_workbook_gets_a_clear_message(client, login_as):
    login_as(Role.EDITOR)
    response = upload(client, b"PK\x03\x04 not really a zip", "cau-hoi.xlsx")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Excel" in page and "không" in page.lower()
    assert question_count() == 0


def test_someone_elses_import_cannot_be_seen_or_committed(app, client, login_as, make_user):
    owner = make_user("nguoinhap", Role.EDITOR)
    with app.test_request_context():
        token = imports.start(owner, "tuan1.gift", GIFT)
    login_as(Role.EDITOR)
    assert client.get(f"/questions/import/{token}").status_code == 404
    client.post_form(f"/questions/import/{token}/commit", {"status": "draft"})
    assert question_count() == 0


def test_only_a_reviewer_may_import_as_approved(client, login_as):
    login_as(Role.EDITOR)
    token = token_of(upload(client, GIFT, "tuan1.gift"))
    assert 'value="approved"' not in client.get(f"/questions/import/{token}").get_data(as_text=True)
    response = client.post_form(f"/questions/import/{token}/commit", {"status": "approved"})
    assert response.status_code == 400
    assert question_count() == 0


def test_a_reviewer_imports_approved_questions_that_contests_may_draw(client, login_as):
    login_as(Role.REVIEWER)
    token = token_of(upload(client, GIFT, "tuan1.gift"))
    client.post_form(f"/questions/import/{token}/commit", {"status": "approved"})
    drawable = db.session.scalars(service.drawable_versions()).all()
    assert len(drawable) == 3


def test_a_failure_while_writing_leaves_nothing_behind(client, login_as, monkeypatch):
    login_as(Role.EDITOR)
    token = token_of(upload(client, GIFT, "tuan1.gift"))

    def broken(_tags):  # questions and versions are already inserted when tags fail
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, "_insert_tags", broken)
    client.post_form(f"/questions/import/{token}/commit", {"status": "draft", "tags": "x"})
    assert question_count() == 0
    page = client.get(f"/questions/import/{token}").get_data(as_text=True)
    assert "Không có gì được ghi" in page


def test_discarding_removes_the_upload(client, login_as, app):
    login_as(Role.EDITOR)
    token = token_of(upload(client, GIFT, "tuan1.gift"))
    client.post_form(f"/questions/import/{token}/discard")
    assert client.get(f"/questions/import/{token}").status_code == 404


def test_a_host_may_export_but_not_import(client, login_as):
    login_as(Role.HOST)
    assert client.get("/questions/import").status_code == 403
    assert client.get("/questions/export").status_code == 200


def test_a_file_over_the_limit_is_refused_in_vietnamese(client, login_as, app):
    login_as(Role.EDITOR)
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(client, b"x" * 4096, "lon.gift")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


# ---- big files: a worker process, with progress ---------------------------------------------


def wait_for_phase(client, token: str, phases: set[str], seconds: float = 60.0) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        state = imports.state(token)
        if state["phase"] in phases:
            return state
        assert time.monotonic() < deadline, f"still {state} after {seconds} s"
        time.sleep(0.1)  # polling a file another process writes; the deadline bounds it


def big_gift(count: int) -> bytes:
    blocks = [
        f"Câu hỏi thứ {n} về Chỉ thị 05-CT/TW và số {n * 7919 % 100003}? {{=Đáp án {n} ~Sai {n}}}"
        for n in range(count)
    ]
    return "\n\n".join(blocks).encode()


@pytest.mark.parametrize("app_config", [{"IMPORT_BACKGROUND_KB": 1}])
def test_a_big_file_is_read_and_written_by_a_worker_with_progress(
    client, login_as, app, tmp_path, app_config
):
    app.config["IMPORT_FOLDER"] = str(tmp_path / "imports")
    login_as(Role.EDITOR)
    token = token_of(upload(client, big_gift(400), "lon.gift"))
    assert imports.state(token)["phase"] in {"queued", "reading", "checking", "ready"}
    if imports.state(token)["phase"] != "ready":
        page = client.get(f"/questions/import/{token}").get_data(as_text=True)
        assert 'http-equiv="refresh"' in page  # the progress page updates itself
    assert wait_for_phase(client, token, {"ready", "failed"})["phase"] == "ready"
    client.post_form(f"/questions/import/{token}/commit", {"status": "draft"})
    state = wait_for_phase(client, token, {"done", "failed"})
    assert (state["phase"], state["done"]) == ("done", 400)
    db.session.rollback()  # end this session's snapshot: the worker wrote from another process
    assert question_count() == 400


# ---- the command line -------------------------------------------------------------------------


def test_the_cli_imports_a_file_and_says_how_many(runner, tmp_path, themes):
    path = tmp_path / "tuan1.gift"
    path.write_bytes(GIFT)
    result = runner.invoke(
        args=[
            "questions",
            "import",
            str(path),
            "--theme",
            "Kết luận 01-KL/TW",
            "--status",
            "approved",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "3 questions" in result.output
    assert db.session.scalar(select(func.count()).where(Question.status == "approved")) == 3


def test_the_cli_dry_run_writes_nothing(runner, tmp_path):
    path = tmp_path / "tuan1.gift"
    path.write_bytes(GIFT)
    result = runner.invoke(args=["questions", "import", str(path), "--dry-run"])
    assert result.exit_code == 0 and "3 questions" in result.output
    assert question_count() == 0


def test_the_cli_prints_every_error_with_its_line_and_writes_nothing(runner, tmp_path):
    path = tmp_path / "hong.gift"
    path.write_bytes(BROKEN_GIFT)
    result = runner.invoke(args=["questions", "import", str(path)])
    assert result.exit_code != 0
    assert "line 3" in result.output and "line 5" in result.output
    assert question_count() == 0


def test_the_cli_exports_what_it_then_imports_again(runner, tmp_path, themes):
    source = tmp_path / "tuan1.gift"
    source.write_bytes(GIFT)
    runner.invoke(args=["questions", "import", str(source)])
    target = tmp_path / "bank.json"
    result = runner.invoke(args=["questions", "export", str(target), "--format", "json"])
    assert result.exit_code == 0 and "3 questions written" in result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    stems = [
        question["content"]["stem"] if "content" in question else question["stem"]
        for question in data["questions"]
    ]
    assert "Kết luận 01-KL/TW được ban hành ngày 18/5/2021." in stems


# ---- export through the page ------------------------------------------------------------------


def test_aiken_export_lists_what_it_leaves_out_before_the_download(client, login_as):
    editor = login_as(Role.EDITOR)
    service.create_question(
        editor,
        {
            "type": "single",
            "stem": "Chọn một.",
            "options": [{"text": "A", "correct": True}, {"text": "B"}],
        },
        Details(),
    )
    service.create_question(
        editor, {"type": "true_false", "stem": "Đúng hay sai?", "answer": True}, Details()
    )
    db.session.commit()
    page = client.get("/questions/export?format=aiken").get_data(as_text=True)
    assert "Đúng hay sai?" in page  # listed as left out, with the reason
    download = client.get("/questions/export?format=aiken&accept=1")
    assert download.headers["X-HoiThi-Skipped"] == "1"
    assert "ANSWER: A" in download.get_data(as_text=True)
    assert "Đúng hay sai" not in download.get_data(as_text=True)


def test_a_worker_gets_its_token_even_when_the_token_begins_with_a_dash(
    client, login_as, app, runner, tmp_path, monkeypatch
):
    # One random token in 64 begins with "-": the worker once took it for an option and never ran.
    app.config["IMPORT_FOLDER"] = str(tmp_path / "imports")
    login_as(Role.EDITOR)
    made = token_of(upload(client, GIFT, "tuan1.gift"))
    token = "-hdfj3T4FOUVkF2CjdtUAg"
    (tmp_path / "imports" / made).rename(tmp_path / "imports" / token)
    started = []
    monkeypatch.setattr(imports.subprocess, "Popen", lambda argv, **_kw: started.append(argv))
    imports._spawn_worker(token, "read")
    argv = started[0]
    result = runner.invoke(args=argv[argv.index("questions") :])
    assert "No such option" not in result.output
    assert imports.state(token)["phase"] == "ready"  # the worker ran and read the file
