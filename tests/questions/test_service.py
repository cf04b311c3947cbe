"""Questions in the database: versions, lost-update protection, review, what contests may draw."""

import pytest
from sqlalchemy import func, select

from contest.accounts.roles import Role
from contest.extensions import db
from questions import service
from questions.models import Question, QuestionVersion, Status, VersionIsImmutable
from questions.service import Details, QuestionChanged, QuestionInvalid
from questions.workflow import Action, Refused


def single_choice(stem="Chỉ thị 05-CT/TW được ban hành ngày nào?", correct=1):
    dates = ["14/5/2011", "15/5/2016", "18/5/2021", "07/11/2006"]
    return {
        "type": "single",
        "stem": stem,
        "explanation": "Chỉ thị 05-CT/TW ngày 15/5/2016 của Bộ Chính trị.",
        "options": [{"text": d, "correct": i == correct} for i, d in enumerate(dates)],
    }


DETAILS = Details(level="recall", points=10, time_limit_s=30, source_document="facts.md F1")


@pytest.fixture
def editor(make_user):
    return make_user("bientap", Role.EDITOR)


@pytest.fixture
def reviewer(make_user):
    return make_user("duyet", Role.REVIEWER)


def new_question(editor, **kwargs):
    question = service.create_question(editor, single_choice(**kwargs), DETAILS)
    db.session.commit()
    return question


def version_count():
    return db.session.scalar(select(func.count()).select_from(QuestionVersion))


def test_a_new_question_is_a_draft_with_its_first_version(app, editor):
    question = new_question(editor)
    assert question.status == Status.DRAFT and question.revision == 1
    assert question.current.number == 1
    assert question.current.content["options"][1] == {"text": "15/5/2016", "correct": True}
    assert "chi thi 05-ct/tw" in question.current.search_text


def test_invalid_content_is_refused_and_nothing_is_written(app, editor):
    content = single_choice()
    for option in content["options"]:
        option["correct"] = False
    with pytest.raises(QuestionInvalid) as refused:
        service.create_question(editor, content, DETAILS)
    db.session.rollback()
    assert any(issue.field == "options" for issue in refused.value.issues)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_every_edit_adds_a_version_and_the_old_one_stays_readable(app, editor):
    question = new_question(editor)
    service.edit_question(
        question, editor, 1, single_choice(stem="Ngày ban hành Chỉ thị 05?"), DETAILS
    )
    db.session.commit()
    assert question.revision == 2
    first, second = question.versions
    assert first.content["stem"] == "Chỉ thị 05-CT/TW được ban hành ngày nào?"
    assert second.content["stem"] == "Ngày ban hành Chỉ thị 05?"
    assert question.current.number == 2


def test_saving_the_same_content_again_makes_no_new_version(app, editor):
    question = new_question(editor)
    assert service.edit_question(question, editor, 1, single_choice(), DETAILS) is None
    assert version_count() == 1


def test_a_version_can_never_be_changed_in_place(app, editor):
    question = new_question(editor)
    question.current.points = 99
    with pytest.raises(VersionIsImmutable):
        db.session.commit()
    db.session.rollback()


def test_the_second_of_two_editors_saving_from_the_same_revision_is_told_and_writes_nothing(
    app, editor, make_user
):
    other = make_user("bientap2", Role.EDITOR)
    question = new_question(editor)
    service.edit_question(
        question, editor, 1, single_choice(stem="Bản của người thứ nhất"), DETAILS
    )
    db.session.commit()
    with pytest.raises(QuestionChanged):
        service.edit_question(
            question, other, 1, single_choice(stem="Bản của người thứ hai"), DETAILS
        )
    db.session.rollback()
    assert version_count() == 2
    assert question.current.content["stem"] == "Bản của người thứ nhất"


def test_the_unique_version_number_stops_a_lost_update_even_past_the_revision_check(app, editor):
    question = new_question(editor)
    # Another process already wrote version 2 but this session still believes revision 1.
    db.session.add(
        QuestionVersion(
            question_id=question.id,
            number=2,
            type="single",
            content=single_choice(),
            level="recall",
        )
    )
    db.session.commit()
    with pytest.raises(QuestionChanged):
        service.edit_question(question, editor, 1, single_choice(stem="Muộn"), DETAILS)
    db.session.rollback()
    assert version_count() == 2


def test_restoring_an_old_version_adds_it_again_as_the_newest(app, editor):
    question = new_question(editor)
    service.edit_question(question, editor, 1, single_choice(stem="Sửa lần một"), DETAILS)
    db.session.commit()
    service.restore_version(question, editor, 1, 2)
    db.session.commit()
    assert [v.number for v in question.versions] == [1, 2, 3]
    assert question.current.content == question.versions[0].content


def test_review_then_edit_keeps_the_approved_version_drawable(app, editor, reviewer):
    question = new_question(editor)
    service.apply_action(question, editor, Action.SUBMIT)
    service.apply_action(question, reviewer, Action.APPROVE)
    db.session.commit()
    assert question.status == Status.APPROVED and question.approved_revision == 1

    service.edit_question(question, editor, 1, single_choice(stem="Bản sửa chưa duyệt"), DETAILS)
    db.session.commit()
    assert question.status == Status.DRAFT
    drawable = db.session.scalars(service.drawable_versions()).all()
    assert [(v.question_id, v.number) for v in drawable] == [(question.id, 1)]


def test_draft_and_retired_questions_are_never_drawable(app, editor, reviewer):
    draft = new_question(editor, stem="Câu nháp")
    retired = new_question(editor, stem="Câu đã loại")
    service.apply_action(retired, editor, Action.SUBMIT)
    service.apply_action(retired, reviewer, Action.APPROVE)
    service.apply_action(retired, reviewer, Action.RETIRE)
    db.session.commit()
    drawable = {v.question_id for v in db.session.scalars(service.drawable_versions())}
    assert draft.id not in drawable and retired.id not in drawable


def test_an_editor_cannot_approve_and_a_reviewer_cannot_approve_their_own(app, editor, make_user):
    both = make_user("motminh", Role.EDITOR, Role.REVIEWER)
    question = service.create_question(both, single_choice(), DETAILS)
    service.apply_action(question, both, Action.SUBMIT)
    with pytest.raises(Refused, match="reviewers_only"):
        service.apply_action(question, editor, Action.APPROVE)
    with pytest.raises(Refused, match="own_question"):
        service.apply_action(question, both, Action.APPROVE)
    app.config["QUESTIONS_ALLOW_SELF_APPROVAL"] = True
    assert service.apply_action(question, both, Action.APPROVE) is Status.APPROVED


def test_a_rejection_keeps_the_reviewers_comment(app, editor, reviewer):
    question = new_question(editor)
    service.apply_action(question, editor, Action.SUBMIT)
    service.apply_action(question, reviewer, Action.REJECT, comment="Thiếu nguồn trích dẫn")
    db.session.commit()
    assert question.status == Status.REJECTED
    assert question.review_comment == "Thiếu nguồn trích dẫn"
    assert question.reviewed_by_id == reviewer.id


def test_tags_are_shared_and_named_once(app, editor):
    first = new_question(editor, stem="Câu một")
    second = new_question(editor, stem="Câu hai")
    service.set_tags(first, ["Mốc thời gian", " mốc  thời gian ", "Hậu Giang"])
    service.set_tags(second, ["MỐC THỜI GIAN"])
    db.session.commit()
    assert [t.name for t in first.tags] == ["mốc thời gian", "hậu giang"]
    assert second.tags[0].id == first.tags[0].id
