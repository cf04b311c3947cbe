"""Forms of a stage contest's setup: the contest, teams, judges, parts and their questions.

Forms check shapes (present, a number, a line "Nội dung | 6"); `setup_service` and
`setup_questions` check meaning, and their messages are put beside the field they concern.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import ColorField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from contest.forms import Form
from live.setup_seats import COLOUR
from live.setup_service import NAME_MAX, TITLE_MAX

REQUIRED_MESSAGE = _l("This field is required.")
NOT_A_NUMBER = _l("Enter a whole number.")
NOT_A_CHOICE = _l("Choose one of the options.")
TIEBREAK_LABELS = {
    "none": _l("None: tied teams share the place"),
    "part": _l("The points of one part: more points there ranks higher"),
    "sudden_death": _l("A sudden-death question: the host records the order of the tied teams"),
}


def required() -> DataRequired:
    return DataRequired(message=REQUIRED_MESSAGE)


def at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("At most %(max)d characters."))


def colour_check() -> Regexp:
    return Regexp(COLOUR, message=_l("Write the colour as # and six hex digits, e.g. #c62828."))


def number(label, low: int, high: int, **kwargs) -> IntegerField:
    """An optional whole number from `low` to `high` (a part's form requires its own format's)."""
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(min=low, max=high, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
        invalid_value_message=NOT_A_NUMBER,
        **kwargs,
    )


class StageContestForm(Form):
    title = StringField(_l("Title"), validators=[required(), at_most(TITLE_MAX)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    tiebreak = RadioField(
        _l("Tie-break"),
        choices=[SelectChoice(value, label) for value, label in TIEBREAK_LABELS.items()],
        default="none",
        invalid_choice_message=NOT_A_CHOICE,
    )
    tiebreak_part = SelectField(_l("Part for the tie-break"), coerce=int, validate_choice=False)
    # The projector's look (live/look.py): three colours and the organiser's logo.
    look_primary = ColorField(
        _l("Main colour (header band, answer tiles)"),
        validators=[Optional(), colour_check()],
    )
    look_accent = ColorField(
        _l("Accent colour (question numbers, headings)"),
        validators=[Optional(), colour_check()],
    )
    look_background = ColorField(
        _l("Background colour"),
        validators=[Optional(), colour_check()],
    )
    logo = FileField(_l("Organiser's logo (PNG, JPEG or WebP, up to 1 MB)"))
    remove_logo = BooleanField(_l("Remove the logo"))
    submit = SubmitField(_l("Save the contest"))

    def look(self) -> dict[str, str]:
        """The colours chosen (after validate); one left empty keeps the contest's own."""
        fields = {
            "primary": self.look_primary,
            "accent": self.look_accent,
            "background": self.look_background,
        }
        return {key: field.data for key, field in fields.items() if field.data}

    def show_look(self, colours: dict[str, str]) -> None:
        """Fill the colour boxes (a browser sends #000000 for an empty one)."""
        self.look_primary.data = colours["primary"]
        self.look_accent.data = colours["accent"]
        self.look_background.data = colours["background"]

    def set_parts(self, parts) -> None:
        self.tiebreak_part.choices = [SelectChoice(0, _l("Part…"))] + [
            SelectChoice(part.id, part.title) for part in parts
        ]


class TeamForm(Form):
    name = StringField(_l("Team name"), validators=[required(), at_most(NAME_MAX)])
    unit = StringField(_l("Unit (code or name)"), validators=[Optional(), at_most(300)])
    members = TextAreaField(_l("Members, one per line"), validators=[Optional()])
    colour = ColorField(
        _l("Colour"),
        validators=[
            required(),
            Regexp(COLOUR, message=_l("Write the colour as # and six hex digits, e.g. #c62828.")),
        ],
    )
    submit = SubmitField(_l("Save the team"))


class JudgeForm(Form):
    name = StringField(_l("Judge's name"), validators=[required(), at_most(NAME_MAX)])
    submit = SubmitField(_l("Save the judge"))


# Each format's settings as (form field, key in StagePart.settings).
