"""The review workflow as a pure function: which action may move a question where, and who may.

draft ──submit──▶ in_review ──approve──▶ approved
  ▲                   │
  └──── (edit) ◀── reject (with a comment) ──▶ rejected ──submit──▶ in_review
any state but retired ──retire──▶ retired ──reopen──▶ draft

Editing a question in any state but retired makes its new version a draft again: nobody's
approval covers text they have not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from questions.models import Status


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    RETIRE = "retire"
    REOPEN = "reopen"


# action -> (states it starts from, state it leads to)
MOVES: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.SUBMIT: (frozenset({Status.DRAFT, Status.REJECTED}), Status.IN_REVIEW),
    Action.APPROVE: (frozenset({Status.IN_REVIEW}), Status.APPROVED),
    Action.REJECT: (frozenset({Status.IN_REVIEW}), Status.REJECTED),
    Action.RETIRE: (
        frozenset({Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.REJECTED}),
        Status.RETIRED,
    ),
    Action.REOPEN: (frozenset({Status.RETIRED}), Status.DRAFT),
}

REVIEW_ACTIONS = {Action.APPROVE, Action.REJECT, Action.RETIRE}


@dataclass(frozen=True)
class Actor:
    """Who acts: their say as editor or reviewer, and whether they wrote the question."""

    may_edit: bool
    may_review: bool
    is_author: bool


class Refused(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def next_status(
    action: Action,
    status: Status,
    actor: Actor,
    *,
    comment: str = "",
    allow_self_approval: bool = False,
) -> Status:
    """The state `action` leads to, or `Refused` with the reason's code."""
    starts, leads_to = MOVES[action]
    if status not in starts:
        raise Refused("not_from_this_state")
    if action in REVIEW_ACTIONS and not actor.may_review:
        raise Refused("reviewers_only")
    if action not in REVIEW_ACTIONS and not actor.may_edit:
        raise Refused("editors_only")
    if action is Action.APPROVE and actor.is_author and not allow_self_approval:
        raise Refused("own_question")
    if action is Action.REJECT and not comment.strip():
        raise Refused("comment_required")
    return leads_to


def status_after_edit(status: Status) -> Status:
    """A new version is a draft: whatever was approved or reviewed was another text."""
    if status is Status.RETIRED:
        raise Refused("retired")
    return Status.DRAFT
