"""The forms for a contest's parts: each format's rules, and the part's questions.

Only the chosen format's boxes are checked and saved; the defaults of the others come from
`live.rules.DEFAULTS`, so switching a part's format starts from sensible rules.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from contest.forms import Form
from live.models import FORMAT_LABELS, PartFormat
from live.rules import DEFAULTS
from live.setup_forms import (
    NOT_A_CHOICE,
    NOT_A_NUMBER,
    REQUIRED_MESSAGE,
    at_most,
    number,
    required,
)
from live.setup_service import NAME_MAX
from questions.models import Level

SCORING_LABELS = {
    "all_or_nothing": _l("All or nothing: every correct option ticked and no wrong one"),
    "partial": _l("Partial: a share of the points for each correct option"),
}
FORMAT_FIELDS = {
    "all_answer": [
        ("aa_points", "points"),
        ("aa_time_limit_s", "time_limit_s"),
        ("aa_speed_bonus", "speed_bonus"),
        ("aa_multiple_scoring", "multiple_scoring"),
    ],
    "buzzer": [
        ("bz_points", "points"),
        ("bz_wrong_penalty", "wrong_penalty"),
        ("bz_time_limit_s", "time_limit_s"),
    ],
    "judged": [
        ("jd_criteria", "criteria"),
        ("jd_trimmed_mean", "trimmed_mean"),
        ("jd_stage_time_limit_s", "stage_time_limit_s"),
        ("jd_overtime_steps", "overtime_steps"),
        ("jd_overtime_stop_s", "overtime_stop_s"),
    ],
    "packages": [
        ("pk_values", "values"),
        ("pk_questions_per_turn", "questions_per_turn"),
        ("pk_time_limit_s", "time_limit_s"),
        ("pk_steal", "steal"),
        ("pk_steal_time_s", "steal_time_s"),
        ("pk_steal_owner_loses", "steal_owner_loses"),
        ("pk_steal_wrong_percent", "steal_wrong_ratio"),
    ],
    "elimination": [
        ("el_seats", "seats"),
        ("el_time_limit_s", "time_limit_s"),
    ],
    "sudden_death": [
        ("sd_time_limit_s", "time_limit_s"),
    ],
}
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def _number(text: str) -> float | int | None:
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


def _pairs(text: str) -> list[tuple[int, str, str]]:
    """Non-blank lines "left | right" as (line number, left, right); right is "" without a bar."""
    rows = []
    for number_, line in enumerate((text or "").splitlines(), start=1):
        if line.strip():
            left, _bar, right = line.partition("|")
            rows.append((number_, left.strip(), right.strip()))
    return rows


def _show(value) -> str:
    """A number as Vietnamese write it in the box: 0,5 and 1 (not 1,0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


class PartForm(Form):
    title = StringField(_l("Title"), validators=[required(), at_most(NAME_MAX)])
    format = RadioField(
        _l("Format"),
        choices=[SelectChoice(f.value, FORMAT_LABELS[f]) for f in PartFormat],
        default=PartFormat.ALL_ANSWER.value,
        invalid_choice_message=NOT_A_CHOICE,
    )
    aa_points = number(_l("Points per question"), 0, 1000)
    aa_time_limit_s = number(_l("Time to answer (seconds)"), 1, 3600)
    aa_speed_bonus = BooleanField(_l("Speed bonus: full points at once, half at the last second"))
    aa_multiple_scoring = RadioField(
        _l("Questions with several correct options"),
        choices=[SelectChoice(value, label) for value, label in SCORING_LABELS.items()],
        validate_choice=False,
    )
    bz_points = number(_l("Points for a right answer"), 0, 1000)
    bz_wrong_penalty = number(_l("Points taken for a wrong answer"), 0, 1000)
    bz_time_limit_s = number(_l("Time to answer once the buzz is won (seconds)"), 1, 3600)
    jd_criteria = TextAreaField(_l("Criteria, one per line: name | highest mark"))
    jd_trimmed_mean = BooleanField(
        _l("Trimmed mean: drop the highest and the lowest judge (with three judges or more)")
    )
    jd_stage_time_limit_s = number(_l("Time on stage (seconds)"), 1, 7200)
    jd_overtime_steps = TextAreaField(
        _l("Overtime penalties, one per line: seconds over | points taken")
    )
    jd_overtime_stop_s = number(_l("The performance is stopped this many seconds over"), 0, 3600)
    pk_values = StringField(_l("What a question can be worth, e.g. 10, 20, 30"))
    pk_questions_per_turn = number(_l("Questions in a team's package"), 1, 10)
    pk_time_limit_s = number(_l("Time to answer (seconds)"), 1, 3600)
    pk_steal = BooleanField(_l("After a wrong answer, the other teams may buzz to steal"))
    pk_steal_time_s = number(_l("Time to buzz for a steal (seconds)"), 1, 60)
    pk_steal_owner_loses = BooleanField(
        _l("The team whose question is stolen also loses its value")
    )
    pk_steal_wrong_percent = number(_l("A wrong steal costs this percentage of the value"), 0, 100)
    el_seats = number(_l("Seats (players join with a seat number from 1 to this)"), 2, 1000)
    el_time_limit_s = number(_l("Time to answer (seconds)"), 1, 3600)
    sd_time_limit_s = number(_l("Time to answer once the buzz is won (seconds)"), 1, 3600)
    submit = SubmitField(_l("Save the part"))

    def load(self, part_format: str, rules: dict) -> None:
        """Fill the form: the part's format and rules, every other format's defaults."""
        self.format.data = part_format
        for format_, fields in FORMAT_FIELDS.items():
            values = rules if format_ == part_format else DEFAULTS[format_]
            for name, key in fields:
                value = values.get(key, DEFAULTS[format_][key])
                if key == "criteria":
                    value = "\n".join(f"{c['name']} | {_show(c['max'])}" for c in value)
                elif key == "overtime_steps":
                    value = "\n".join(f"{s['after_s']} | {_show(s['penalty'])}" for s in value)
                elif key == "values":
                    value = ", ".join(_show(v) for v in value)
                elif key == "steal_wrong_ratio":
                    value = round(value * 100)
                self[name].data = value

    def criteria(self) -> list[dict]:
        """The criteria typed, as stored; errors go on the field."""
        criteria = []
        for line, name, maximum in _pairs(self.jd_criteria.data):
            value = _number(maximum)
            if not name or value is None or not 0 < value <= 100:
                self.jd_criteria.errors.append(
                    _l(
                        "Line %(line)d: write a criterion as “Nội dung | 6”: its name, a bar "
                        "and its highest mark (up to 100).",
                        line=line,
                    )
                )
                continue
            criteria.append({"name": name[:NAME_MAX], "max": value})
        if not criteria and not self.jd_criteria.errors:
            self.jd_criteria.errors.append(_l("A judged part needs at least one criterion."))
        return criteria

    def overtime_steps(self) -> list[dict]:
        steps = []
        for line, after, penalty in _pairs(self.jd_overtime_steps.data):
            after_s, points = _number(after), _number(penalty)
            if not isinstance(after_s, int) or points is None:
                self.jd_overtime_steps.errors.append(
                    _l(
                        "Line %(line)d: write a step as “60 | 1”: whole seconds over the "
                        "limit, a bar and the points taken.",
                        line=line,
                    )
                )
                continue
            steps.append({"after_s": after_s, "penalty": points})
        return sorted(steps, key=lambda step: step["after_s"])

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        chosen = self.format.data
        for format_, fields in FORMAT_FIELDS.items():
            for name, _key in fields:
                field = self[name]
                if format_ != chosen:
                    field.errors = []  # another format's boxes are hidden and not saved
                elif isinstance(field, IntegerField) and field.data is None and not field.errors:
                    field.errors = [REQUIRED_MESSAGE]
        if chosen == PartFormat.JUDGED:
            self._settings = {"criteria": self.criteria(), "overtime_steps": self.overtime_steps()}
        if chosen == PartFormat.PACKAGES:
            self._settings = {"values": self.package_values()}
        return not self.errors

    def package_values(self) -> list[int]:
        values = []
        for word in re.split(r"[,;\s]+", self.pk_values.data or ""):
            if not word:
                continue
            if not word.isdigit() or not 0 < int(word) <= 1000:
                self.pk_values.errors.append(
                    _l("Write whole numbers of points separated by commas, e.g. 10, 20, 30.")
                )
                return []
            values.append(int(word))
        if not values:
            self.pk_values.errors.append(_l("Give at least one value, e.g. 10, 20, 30."))
        return sorted(set(values))

    def settings(self) -> dict:
        """The chosen format's settings, as StagePart.settings keeps them (after validate)."""
        chosen = self.format.data
        result = {}
        for name, key in FORMAT_FIELDS[chosen]:
            result[key] = self[name].data
        if chosen == PartFormat.ALL_ANSWER and result["multiple_scoring"] not in SCORING_LABELS:
            result["multiple_scoring"] = DEFAULTS["all_answer"]["multiple_scoring"]
        if chosen in (PartFormat.JUDGED, PartFormat.PACKAGES):
            result.update(self._settings)
        if "steal_wrong_ratio" in result:
            result["steal_wrong_ratio"] = result["steal_wrong_ratio"] / 100
        for key in ("speed_bonus", "trimmed_mean", "steal", "steal_owner_loses"):
            if key in result:
                result[key] = bool(result[key])
        return result


class StageQuestionForm(Form):
    points = number(_l("Points (empty: the part's)"), 0, 1000)
    time_limit_s = number(_l("Time in seconds (empty: the part's)"), 1, 3600)
    notes = TextAreaField(_l("Notes for the host: pronunciation, what to say"))
    submit = SubmitField(_l("Save"))


OPTION_LETTERS = "ABCD"


class TypedQuestionForm(Form):
    stem = TextAreaField(_l("Question"), validators=[required()])
    options = FieldList(
        StringField(_l("Option"), validators=[Optional(), at_most(500)]),
        min_entries=len(OPTION_LETTERS),
        max_entries=len(OPTION_LETTERS),
    )
    correct = RadioField(
        _l("Correct option"),
        choices=[SelectChoice(str(i), letter) for i, letter in enumerate(OPTION_LETTERS)],
        validate_choice=False,
    )
    explanation = TextAreaField(_l("Explanation shown after the reveal"), validators=[Optional()])
    notes = TextAreaField(_l("Notes for the host: pronunciation, what to say"))
    submit = SubmitField(_l("Add the question"))

    def correct_index(self) -> int | None:
        value = self.correct.data or ""
        return int(value) if value.isdigit() else None


def level_choices():
    return [SelectChoice("", _l("Any level"))] + [SelectChoice(lv.value, lv.label) for lv in Level]


class DrawForm(Form):
    theme = SelectField(_l("Theme"), coerce=int, validate_choice=False)
    level = SelectField(_l("Level"), choices=level_choices, validate_choice=False)
    count = IntegerField(
        _l("How many"),
        default=5,
        validators=[
            required(),
            NumberRange(min=1, max=50, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
        invalid_value_message=NOT_A_NUMBER,
    )
    submit = SubmitField(_l("Draw"))

    def set_themes(self, themes) -> None:
        self.theme.choices = [SelectChoice(0, _l("Any theme"))] + [
            SelectChoice(theme.id, theme.short_name) for theme in themes
        ]


class PickForm(Form):
    question_ids = SelectMultipleField(coerce=int, validate_choice=False)
    submit = SubmitField(_l("Add the ticked questions"))
