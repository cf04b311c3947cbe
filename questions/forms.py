"""The question editor: one form for every type; only the chosen type's fields are read."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms import Form as SubForm
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from contest.forms import CheckboxListField, Form
from questions.checking import parse_number
from questions.models import Level, QuestionType

MAX_OPTIONS = 8


class OptionForm(SubForm):
    """One option row; empty rows are ignored (no CSRF: it lives inside the question form)."""

    text = StringField(_l("Option"), validators=[Length(max=1000)])
    correct = BooleanField(_l("Correct"))
    weight = StringField(_l("Weight (%)"), validators=[Length(max=10)])
    feedback = StringField(_l("Feedback"), validators=[Length(max=1000)])


class QuestionForm(Form):
    type = SelectField(
        _l("Question type"), choices=lambda: [SelectChoice(t.value, t.label) for t in QuestionType]
    )
    stem = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=5000)])
    options = FieldList(FormField(OptionForm), min_entries=MAX_OPTIONS, max_entries=MAX_OPTIONS)
    scoring = RadioField(
        _l("Scoring"),
        choices=[
            SelectChoice("all_or_nothing", _l("All or nothing")),
            SelectChoice("partial", _l("Partial, by option weights")),
        ],
        default="all_or_nothing",
    )
    answer = RadioField(
        _l("The statement is"),
        choices=[SelectChoice("true", _l("True")), SelectChoice("false", _l("False"))],
        validators=[Optional()],
    )
    accepted = TextAreaField(_l("Accepted answers, one per line"), validators=[Length(max=5000)])
    ignore_diacritics = BooleanField(_l("Accept answers typed without Vietnamese accents"))
    value = StringField(_l("Correct number"), validators=[Length(max=40)])
    tolerance = StringField(_l("Tolerance (±)"), validators=[Length(max=40)])
    unit = StringField(_l("Unit"), validators=[Length(max=40)])
    items = TextAreaField(
        _l("Items in the correct order, one per line"), validators=[Length(max=5000)]
    )
    guidance = TextAreaField(_l("Guidance for the people scoring"), validators=[Length(max=5000)])
    explanation = TextAreaField(_l("Explanation"), validators=[Length(max=5000)])

    level = SelectField(
        _l("Level"), choices=lambda: [SelectChoice(lv.value, lv.label) for lv in Level]
    )
    points = IntegerField(_l("Points"), default=10, validators=[NumberRange(min=0, max=1000)])
    time_limit_s = IntegerField(
        _l("Time limit (seconds)"), default=30, validators=[NumberRange(min=5, max=3600)]
    )
    source_document = StringField(_l("Source document"), validators=[Length(max=300)])
    source_section = StringField(_l("Article or section"), validators=[Length(max=300)])
    source_url = StringField(_l("Source URL"), validators=[Optional(), URL(), Length(max=500)])
    image = FileField(_l("Image (PNG, JPEG, GIF or WebP)"))
    remove_image = BooleanField(_l("Remove the image"))
    themes = CheckboxListField(_l("Themes"), coerce=int, validate_choice=True)
    tags = StringField(_l("Tags, separated by commas"), validators=[Length(max=500)])
    base_revision = HiddenField()
    submit = SubmitField(_l("Save"))

    def content(self) -> dict:
        """The content dict for the chosen type, read from the form as typed."""
        kind = self.type.data
        content = {
            "type": kind,
            "stem": self.stem.data or "",
            "explanation": self.explanation.data or "",
        }
        if kind in ("single", "multiple"):
            content["options"] = [
                _option(entry.form) for entry in self.options if entry.form.text.data
            ]
            if kind == "multiple":
                content["scoring"] = self.scoring.data or "all_or_nothing"
        elif kind == "true_false":
            content["answer"] = {"true": True, "false": False}.get(self.answer.data)
        elif kind == "short_text":
            content["accepted"] = _lines(self.accepted.data)
            content["ignore_diacritics"] = bool(self.ignore_diacritics.data)
        elif kind == "numeric":
            content["value"] = _number(self.value.data)
            content["tolerance"] = _number(self.tolerance.data) if self.tolerance.data else 0
            if self.unit.data:
                content["unit"] = self.unit.data
        elif kind == "ordering":
            content["items"] = _lines(self.items.data)
        elif kind == "open" and self.guidance.data:
            content["guidance"] = self.guidance.data
        return content

    def fill_from(self, content: dict) -> None:
        """Put a stored content dict back into the form, for editing."""
        self.type.data = content["type"]
        self.stem.data = content.get("stem", "")
        self.explanation.data = content.get("explanation", "")
        for entry, option in zip(self.options, content.get("options", []), strict=False):
            entry.form.text.data = option["text"]
            entry.form.correct.data = option.get("correct", False)
            weight = option.get("weight")
            entry.form.weight.data = "" if weight is None else f"{weight:g}"
            entry.form.feedback.data = option.get("feedback", "")
        self.scoring.data = content.get("scoring", "all_or_nothing")
        if "answer" in content:
            self.answer.data = "true" if content["answer"] else "false"
        self.accepted.data = "\n".join(content.get("accepted", []))
        self.ignore_diacritics.data = content.get("ignore_diacritics", False)
        if "value" in content:
            self.value.data = f"{content['value']:g}"
            self.tolerance.data = f"{content.get('tolerance', 0):g}"
        self.unit.data = content.get("unit", "")
        self.items.data = "\n".join(content.get("items", []))
        self.guidance.data = content.get("guidance", "")

    def field_for(self, issue_field: str):
        """The form field an issue about `options.2.text` or `value` belongs beside."""
        head, _, rest = issue_field.partition(".")
        if head == "options" and rest:
            index, _, sub = rest.partition(".")
            if index.isdigit() and int(index) < MAX_OPTIONS:
                row = self.options[int(index)].form
                return getattr(row, sub, row.text)
        return getattr(self, head, self.stem)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _number(text: str | None):
    """The number an editor typed, read the Vietnamese way first ("2.594" is 2594)."""
    readings = parse_number(text or "")
    return readings[0] if readings else (text or "")


def _option(row: OptionForm) -> dict:
    option = {"text": row.text.data, "correct": bool(row.correct.data)}
    if row.weight.data:
        option["weight"] = _number(row.weight.data)
    if row.feedback.data:
        option["feedback"] = row.feedback.data
    return option


class ReviewForm(Form):
    """Submit, approve, reject (with a comment), retire or reopen."""

    action = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment for the editor"), validators=[Length(max=2000)])


class RestoreForm(Form):
    number = HiddenField(validators=[DataRequired()])
    base_revision = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Restore this version"))


class BulkForm(Form):
    """An action on the questions ticked in the list."""

    ids = SelectMultipleField(coerce=int, validate_choice=False)
    action = SelectField(
        _l("With the selected questions"),
        choices=[
            SelectChoice("approve", _l("Approve")),
            SelectChoice("retire", _l("Retire")),
            SelectChoice("tag", _l("Add a tag")),
            SelectChoice("theme", _l("Add a theme")),
        ],
    )
    tag = StringField(_l("Tag"), validators=[Length(max=80)])
    theme = SelectField(_l("Theme"), coerce=int, validate_choice=False, choices=[])
    next = HiddenField()
    submit = SubmitField(_l("Apply"))
