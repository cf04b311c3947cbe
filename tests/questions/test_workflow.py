"""The review workflow: who may move a question where."""

import pytest

from questions.models import Status
from questions.workflow import Action, Actor, Refused, next_status, status_after_edit

EDITOR = Actor(may_edit=True, may_review=False, is_author=True)
REVIEWER = Actor(may_edit=False, may_review=True, is_author=False)
AUTHOR_REVIEWER = Actor(may_edit=True, may_review=True, is_author=True)


def test_an_editor_submits_a_draft_and_a_reviewer_approves_it():
    in_review = next_status(Action.SUBMIT, Status.DRAFT, EDITOR)
    assert in_review is Status.IN_REVIEW
    assert next_status(Action.APPROVE, in_review, REVIEWER) is Status.APPROVED


def test_a_rejection_needs_the_reviewers_comment():
    with pytest.raises(Refused, match="comment_required"):
        next_status(Action.REJECT, Status.IN_REVIEW, REVIEWER, comment="  ")
    rejected = next_status(Action.REJECT, Status.IN_REVIEW, REVIEWER, comment="Sai ngày ban hành")
    assert rejected is Status.REJECTED
    assert next_status(Action.SUBMIT, rejected, EDITOR) is Status.IN_REVIEW


def test_nobody_approves_their_own_question_unless_the_setting_allows_it():
    with pytest.raises(Refused, match="own_question"):
        next_status(Action.APPROVE, Status.IN_REVIEW, AUTHOR_REVIEWER)
    approved = next_status(
        Action.APPROVE, Status.IN_REVIEW, AUTHOR_REVIEWER, allow_self_approval=True
    )
    assert approved is Status.APPROVED


@pytest.mark.parametrize("action", [Action.APPROVE, Action.REJECT, Action.RETIRE])
def test_only_reviewers_approve_reject_or_retire(action):
    with pytest.raises(Refused, match="reviewers_only"):
        next_status(action, Status.IN_REVIEW, EDITOR, comment="x")


@pytest.mark.parametrize("action", [Action.SUBMIT, Action.REOPEN])
def test_only_editors_submit_or_reopen(action):
    start = Status.DRAFT if action is Action.SUBMIT else Status.RETIRED
    with pytest.raises(Refused, match="editors_only"):
        next_status(action, start, REVIEWER)


@pytest.mark.parametrize(
    "action, status",
    [
        (Action.APPROVE, Status.DRAFT),  # nobody approves what was never submitted
        (Action.APPROVE, Status.APPROVED),
        (Action.SUBMIT, Status.IN_REVIEW),
        (Action.SUBMIT, Status.APPROVED),
        (Action.REJECT, Status.APPROVED),
        (Action.RETIRE, Status.RETIRED),
        (Action.REOPEN, Status.APPROVED),
    ],
)
def test_actions_from_the_wrong_state_are_refused(action, status):
    with pytest.raises(Refused, match="not_from_this_state"):
        next_status(action, status, AUTHOR_REVIEWER, comment="x", allow_self_approval=True)


def test_a_retired_question_comes_back_as_a_draft():
    retired = next_status(Action.RETIRE, Status.APPROVED, REVIEWER)
    assert next_status(Action.REOPEN, retired, EDITOR) is Status.DRAFT


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.REJECTED]
)
def test_an_edit_makes_the_new_version_a_draft(status):
    assert status_after_edit(status) is Status.DRAFT


def test_a_retired_question_cannot_be_edited():
    with pytest.raises(Refused, match="retired"):
        status_after_edit(Status.RETIRED)
