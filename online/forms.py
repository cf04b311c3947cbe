"""Forms of online contests: the organisers' contest and round editors, registration, come back.

Forms check shapes (present, a number, a date); the services in `contests` and `registration`
check meaning (the bank can fill a draw, a phone is a mobile number, a person is old enough) and
their messages are put beside the field they concern.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
    ValidationError,
)
from wtforms import Form as PlainForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from contest.forms import BabelTranslations, CheckboxListField, Form
from online import contests
from online.contests import FIELD_NAMES, OFF, OPTIONAL, REQUIRED
from online.models import PREDICTION_LABELS, REVIEW_LABELS, Counted, Standings
from questions.models import Level

REQUIRED_MESSAGE = _l("This field is required.")
NOT_A_NUMBER = _l("Enter a whole number.")
NOT_A_CHOICE = _l("Choose one of the options.")
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
TIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def required() -> DataRequired:
    return DataRequired(message=REQUIRED_MESSAGE)


def at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("At most %(max)d characters."))


def between(low: int, high: int) -> NumberRange:
    return NumberRange(min=low, max=high, message=_l("Enter a number from %(min)s to %(max)s."))


class SubForm(PlainForm):
    """A repeated group inside a form: no CSRF token of its own, messages in our catalog."""

    class Meta:
        def get_translations(self, form):
            return BabelTranslations()


# ---- organisers ---------------------------------------------------------------------------------

FIELD_LABELS = {
    "date_of_birth": _l("Date of birth"),
    "gender": _l("Gender"),
    "phone": _l("Phone number"),
    "email": _l("Email"),
    "national_id": _l("National ID (CCCD)"),
    "unit": _l("Unit"),
}
SETTING_LABELS = {OFF: _l("Not asked"), OPTIONAL: _l("Optional"), REQUIRED: _l("Required")}
STANDINGS_LABELS = {
    Standings.SUM: _l("Sum of the rounds"),
    Standings.BEST: _l("Best single round"),
}
COUNTED_LABELS = {
    Counted.BEST: _l("The best (then the earliest)"),
    Counted.FIRST: _l("The first"),
}


class CustomFieldForm(SubForm):
    label = StringField(_l("Question to ask"), validators=[Optional(), at_most(120)])
    required = BooleanField(_l("Required"))


def _setting_field(name: str) -> SelectField:
    return SelectField(
        FIELD_LABELS[name],
        choices=[SelectChoice(value, label) for value, label in SETTING_LABELS.items()],
        default=contests.DEFAULT_FIELDS[name],
        invalid_choice_message=NOT_A_CHOICE,
    )


class ContestForm(Form):
    title = StringField(_l("Title"), validators=[required(), at_most(contests.TITLE_MAX)])
    slug = StringField(_l("Web address"), validators=[Optional(), at_most(contests.SLUG_MAX)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    rules = TextAreaField(_l("Rules"), validators=[Optional()])
    themes = CheckboxListField(_l("Themes"), coerce=int, validate_choice=True)
    standings = RadioField(
        _l("Overall standings"),
        choices=[SelectChoice(value.value, label) for value, label in STANDINGS_LABELS.items()],
        default=Standings.SUM.value,
        invalid_choice_message=NOT_A_CHOICE,
    )
    minimum_age = IntegerField(
        _l("Minimum age"),
        validators=[Optional(), between(1, contests.AGE_MAX)],
        invalid_value_message=NOT_A_NUMBER,
    )
    field_date_of_birth = _setting_field("date_of_birth")
    field_gender = _setting_field("gender")
    field_phone = _setting_field("phone")
    field_email = _setting_field("email")
    field_national_id = _setting_field("national_id")
    field_unit = _setting_field("unit")
    custom = FieldList(
        FormField(CustomFieldForm), min_entries=contests.CUSTOM_MAX, max_entries=contests.CUSTOM_MAX
    )
    published = BooleanField(_l("Published: anyone may see the contest and register"))
    submit = SubmitField(_l("Save the contest"))

    def setting_fields(self):
        return [self[f"field_{name}"] for name in FIELD_NAMES]

    def load(self, values: contests.ContestValues) -> None:
        """Fill a fresh form from a contest's settings."""
        self.title.data, self.slug.data = values.title, values.slug
        self.description.data, self.rules.data = values.description, values.rules
        self.themes.data = values.theme_ids
        self.standings.data, self.minimum_age.data = values.standings, values.minimum_age
        for name in FIELD_NAMES:
            self[f"field_{name}"].data = values.fields.get(name, contests.DEFAULT_FIELDS[name])
        for row in values.custom:
            index = int(row["key"][1:]) - 1  # "c2" is the second row
            if 0 <= index < len(self.custom.entries):
                entry = self.custom.entries[index].form
                entry.label.data, entry.required.data = row["label"], row["required"]
        self.published.data = values.published

    def values(self) -> contests.ContestValues:
        return contests.ContestValues(
            title=self.title.data or "",
            slug=self.slug.data or "",
            description=(self.description.data or "").strip(),
            rules=(self.rules.data or "").strip(),
            theme_ids=list(self.themes.data or []),
            standings=self.standings.data,
            minimum_age=self.minimum_age.data,
            fields={name: self[f"field_{name}"].data for name in FIELD_NAMES},
            custom=[
                {"label": entry.form.label.data or "", "required": entry.form.required.data}
                for entry in self.custom.entries
            ],
            published=self.published.data,
        )


def level_choices():
    return [SelectChoice("", _l("Level…"))] + [SelectChoice(lv.value, lv.label) for lv in Level]


class DrawRowForm(SubForm):
    theme = SelectField(_l("Theme"), coerce=int, validate_choice=False)
    level = SelectField(_l("Level"), choices=level_choices, validate_choice=False)
    count = IntegerField(
        _l("How many"),
        validators=[Optional(), between(1, contests.DRAW_COUNT_MAX)],
        invalid_value_message=NOT_A_NUMBER,
    )


class LocalTimeField(DateTimeField):
    """A wall-clock time in a text box, not the browser's picker: the picker follows the
    browser's locale and zone, while organisers write Vietnam time as dd/mm/yyyy hh:mm."""

    widget = TextInput()


def _time_field(label) -> LocalTimeField:
    return LocalTimeField(
        label,
        format=TIME_FORMATS,
        validators=[InputRequired(message=REQUIRED_MESSAGE)],
        invalid_value_message=_l("Enter the time as dd/mm/yyyy hh:mm, e.g. 23/11/2026 00:30."),
    )


class RoundForm(Form):
    number = IntegerField(
        _l("Round number"),
        validators=[InputRequired(message=REQUIRED_MESSAGE), between(1, 1000)],
        invalid_value_message=NOT_A_NUMBER,
    )
    title = StringField(_l("Title"), validators=[required(), at_most(200)])
    opens_at = _time_field(_l("Opens at"))
    closes_at = _time_field(_l("Closes at"))
    draw_mode = RadioField(
        _l("How the questions are chosen"),
        choices=[
            SelectChoice("rows", _l("Drawn at random: so many questions per theme and level")),
            SelectChoice("fixed", _l("A fixed list of questions")),
        ],
        default="rows",
        invalid_choice_message=NOT_A_CHOICE,
    )
    rows = FieldList(
        FormField(DrawRowForm),
        min_entries=contests.DRAW_ROWS_MAX,
        max_entries=contests.DRAW_ROWS_MAX,
    )
    question_ids = StringField(_l("Question numbers"), validators=[Optional(), at_most(2000)])
    time_limit_min = IntegerField(
        _l("Time limit (minutes)"),
        default=10,
        validators=[InputRequired(message=REQUIRED_MESSAGE), between(1, 600)],
        invalid_value_message=NOT_A_NUMBER,
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed per person"),
        default=1,
        validators=[InputRequired(message=REQUIRED_MESSAGE), between(1, contests.ATTEMPTS_MAX)],
        invalid_value_message=NOT_A_NUMBER,
    )
    counted = RadioField(
        _l("Attempt that counts"),
        choices=[SelectChoice(value.value, label) for value, label in COUNTED_LABELS.items()],
        default=Counted.BEST.value,
        invalid_choice_message=NOT_A_CHOICE,
    )
    shuffle_questions = BooleanField(_l("Shuffle the questions"), default=True)
    shuffle_options = BooleanField(_l("Shuffle the options"), default=True)
    one_per_screen = BooleanField(
        _l("One question per screen (otherwise all on one page)"), default=True
    )
    review = SelectField(
        _l("Correct answers and explanations are shown"),
        choices=[SelectChoice(value.value, label) for value, label in REVIEW_LABELS.items()],
        default="after_close",
        invalid_choice_message=NOT_A_CHOICE,
    )
    prediction = SelectField(
        _l("Prediction question"),
        choices=[SelectChoice(value.value, label) for value, label in PREDICTION_LABELS.items()],
        default="all_correct",
        invalid_choice_message=NOT_A_CHOICE,
    )
    prediction_text = TextAreaField(_l("Wording of the prediction question"))
    grace_s = IntegerField(
        _l("Grace period after the deadline (seconds)"),
        default=15,
        validators=[InputRequired(message=REQUIRED_MESSAGE), between(0, contests.GRACE_MAX_S)],
        invalid_value_message=NOT_A_NUMBER,
    )
    submit = SubmitField(_l("Save the round"))

    def set_theme_choices(self, themes) -> None:
        choices = [SelectChoice(0, _l("Theme…"))]
        choices += [SelectChoice(theme.id, theme.short_name) for theme in themes]
        for entry in self.rows.entries:
            entry.form.theme.choices = choices

    def load(self, values: contests.RoundValues) -> None:
        """Fill a fresh form from a round's settings, times in the display zone."""
        self.number.data, self.title.data = values.number, values.title
        self.opens_at.data = contests.to_local(values.opens_at)
        self.closes_at.data = contests.to_local(values.closes_at)
        self.draw_mode.data = "fixed" if values.fixed else "rows"
        for entry, row in zip(self.rows.entries, values.rows, strict=False):
            entry.form.theme.data, entry.form.level.data = row.theme_id, row.level
            entry.form.count.data = row.count
        self.question_ids.data = ", ".join(str(qid) for qid in values.question_ids)
        self.time_limit_min.data = values.time_limit_min
        self.attempts_allowed.data, self.counted.data = values.attempts_allowed, values.counted
        self.shuffle_questions.data = values.shuffle_questions
        self.shuffle_options.data = values.shuffle_options
        self.one_per_screen.data = values.one_per_screen
        self.review.data, self.prediction.data = values.review, values.prediction
        self.prediction_text.data, self.grace_s.data = values.prediction_text, values.grace_s

    def parsed_question_ids(self) -> list[int] | None:
        """'12, 15 18' -> [12, 15, 18]; None when something else is typed."""
        text = (self.question_ids.data or "").replace(",", " ").replace(";", " ").replace("#", "")
        words = text.split()
        if not all(word.isdigit() for word in words):
            return None
        return [int(word) for word in words]

    def values(self) -> contests.RoundValues:
        rows = []
        for entry in self.rows.entries:
            sub = entry.form
            if sub.theme.data or sub.level.data or sub.count.data:
                rows.append(
                    contests.DrawRowValues(
                        sub.theme.data or 0, sub.level.data or "", sub.count.data or 0
                    )
                )
        return contests.RoundValues(
            number=self.number.data,
            title=self.title.data or "",
            opens_at=contests.from_local(self.opens_at.data),
            closes_at=contests.from_local(self.closes_at.data),
            rows=rows,
            question_ids=self.parsed_question_ids() or [],
            fixed=self.draw_mode.data == "fixed",
            time_limit_min=self.time_limit_min.data,
            attempts_allowed=self.attempts_allowed.data,
            counted=self.counted.data,
            shuffle_questions=self.shuffle_questions.data,
            shuffle_options=self.shuffle_options.data,
            one_per_screen=self.one_per_screen.data,
            review=self.review.data,
            prediction=self.prediction.data,
            prediction_text=self.prediction_text.data or "",
            grace_s=self.grace_s.data,
        )

    def validate_question_ids(self, field) -> None:
        if self.draw_mode.data == "fixed" and self.parsed_question_ids() is None:
            raise ValidationError(_l("Write the question numbers separated by commas: 12, 15, 18."))


# ---- participants -------------------------------------------------------------------------------

GENDER_LABELS = {"male": _l("Male"), "female": _l("Female"), "other": _l("Other")}


def _date_field(label, validators) -> DateField:
    return DateField(
        label,
        format=DATE_FORMATS,
        widget=TextInput(),
        validators=validators,
        invalid_value_message=_l("Enter the date as dd/mm/yyyy, e.g. 02/09/1990."),
        render_kw={"inputmode": "numeric", "autocomplete": "bday", "placeholder": "dd/mm/yyyy"},
    )


class RegistrationForm(Form):
    """The fields common to every contest; `registration_form` adds the contest's own."""

    full_name = StringField(
        _l("Full name"),
        validators=[required(), at_most(200)],
        render_kw={"autocomplete": "name"},
    )
    submit = SubmitField(_l("Register"))

    custom_keys: list[str] = []

    def values(self) -> dict:
        """The submitted values by field name, as `registration.register` expects them."""
        data = {"full_name": self.full_name.data or ""}
        for name in FIELD_NAMES:
            if name == "unit" and "unit_id" in self:
                data["unit_id"] = self.unit_id.data or ""
                data["unit_query"] = self.unit_query.data or ""
            elif name in self:
                data[name] = self[name].data
        data["custom"] = {key: (self[f"custom_{key}"].data or "") for key in self.custom_keys}
        return data


def registration_form(contest, **kwargs) -> RegistrationForm:
    """A registration form with the fields this contest asks for, required where it says so."""

    class ContestRegistration(RegistrationForm):
        pass

    def rule(name):
        setting = contests.field_setting(contest, name)
        if setting == OFF:
            return None
        return [required()] if setting == REQUIRED else [Optional()]

    if (validators := rule("date_of_birth")) is not None:
        ContestRegistration.date_of_birth = _date_field(FIELD_LABELS["date_of_birth"], validators)
    if (validators := rule("gender")) is not None:
        ContestRegistration.gender = SelectField(
            FIELD_LABELS["gender"],
            choices=[SelectChoice("", _l("Choose…"))]
            + [SelectChoice(value, label) for value, label in GENDER_LABELS.items()],
            validators=validators,
            invalid_choice_message=NOT_A_CHOICE,
        )
    if (validators := rule("phone")) is not None:
        ContestRegistration.phone = TelField(
            FIELD_LABELS["phone"],
            validators=[*validators, at_most(30)],
            render_kw={"autocomplete": "tel", "inputmode": "tel", "placeholder": "09xx xxx xxx"},
        )
    if (validators := rule("email")) is not None:
        ContestRegistration.email = StringField(
            FIELD_LABELS["email"],
            validators=[*validators, at_most(200)],
            render_kw={"autocomplete": "email", "inputmode": "email", "type": "email"},
        )
    if (validators := rule("national_id")) is not None:
        ContestRegistration.national_id = StringField(
            FIELD_LABELS["national_id"],
            validators=[*validators, at_most(20)],
            render_kw={"inputmode": "numeric", "autocomplete": "off"},
        )
    if (validators := rule("unit")) is not None:
        ContestRegistration.unit_query = SearchField(
            FIELD_LABELS["unit"],
            validators=[*validators, at_most(300)],
            render_kw={"autocomplete": "off"},
        )
        ContestRegistration.unit_id = HiddenField()
    keys = []
    for custom in contests.custom_fields(contest):
        keys.append(custom["key"])
        validators = [required()] if custom["required"] else [Optional()]
        setattr(
            ContestRegistration,
            f"custom_{custom['key']}",
            StringField(custom["label"], validators=[*validators, at_most(300)]),
        )
    ContestRegistration.custom_keys = keys
    return ContestRegistration(**kwargs)


class ComeBackForm(Form):
    phone = TelField(
        _l("Phone number"),
        validators=[required(), at_most(30)],
        render_kw={"autocomplete": "tel", "inputmode": "tel", "placeholder": "09xx xxx xxx"},
    )
    date_of_birth = _date_field(_l("Date of birth"), [required()])
    submit = SubmitField(_l("Open my page"))
