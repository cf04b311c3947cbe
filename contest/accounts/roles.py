"""The staff roles. A user may hold several; admin passes every role check."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    HOST = "host"
    JUDGE = "judge"
    SECRETARY = "secretary"

    @property
    def label(self):
        return ROLE_LABELS[self]

    @property
    def duty(self):
        return ROLE_DUTIES[self]


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.EDITOR: _l("Editor"),
    Role.REVIEWER: _l("Reviewer"),
    Role.HOST: _l("Host"),
    Role.JUDGE: _l("Judge"),
    Role.SECRETARY: _l("Secretary"),
}

ROLE_DUTIES = {
    Role.ADMIN: _l("Manages accounts, units and themes"),
    Role.EDITOR: _l("Writes questions"),
    Role.REVIEWER: _l("Approves questions"),
    Role.HOST: _l("Runs stage contests"),
    Role.JUDGE: _l("Scores judged parts"),
    Role.SECRETARY: _l("Keeps the score sheet"),
}
