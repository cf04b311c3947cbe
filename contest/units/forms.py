"""Forms for units and unit imports."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from contest.units import rules, service

NO_PARENT = 0  # the <select> value for "top of the tree"


def parent_choice(value: str | None) -> int:
    return int(value) if value not in (None, "", "None") else NO_PARENT


class UnitForm(FlaskForm):
    # Code characters and uniqueness are checked by the service, the same rule as imports.
    code = StringField(_l("Unit code"), validators=[DataRequired(), Length(max=rules.CODE_MAX)])
    name = StringField(_l("Unit name"), validators=[DataRequired(), Length(max=rules.NAME_MAX)])
    parent = SelectField(_l("Parent unit"), coerce=parent_choice, validate_choice=True)
    kind = StringField(_l("Unit kind"), validators=[Optional(), Length(max=rules.KIND_MAX)])
    # Text, not a number input: "1.200" is how Vietnamese write twelve hundred.
    headcount = StringField(_l("Headcount"), validators=[Optional(), Length(max=20)])
    submit = SubmitField(_l("Save"))

    def set_parent_choices(self, choices, top_label) -> None:
        """`choices` are (id, label, disabled) triples; the top of the tree comes first."""
        self.parent.choices = [(NO_PARENT, top_label, {})] + [
            (unit_id, label, {"disabled": True} if disabled else {})
            for unit_id, label, disabled in choices
        ]

    @property
    def parent_id(self) -> int | None:
        return self.parent.data or None

    def validate_headcount(self, field) -> None:
        _number, problem = rules.parse_headcount(field.data)
        if problem:
            raise ValidationError(service.message(problem, {"value": field.data}))

    @property
    def headcount_value(self) -> int | None:
        return rules.parse_headcount(self.headcount.data)[0]


class ImportForm(FlaskForm):
    file = FileField(
        _l("Unit file (.csv or .xlsx)"),
        validators=[
            FileRequired(message=_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], message=_l("Only .csv and .xlsx files can be imported.")),
        ],
        render_kw={"accept": ".csv,.xlsx"},
    )
    submit = SubmitField(_l("Check the file"))
