"""The form that starts a practice run."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange

from contest.forms import CheckboxListField, Form
from online.practice import DEFAULT_QUESTIONS, MAX_QUESTIONS, MIN_QUESTIONS
from questions.models import Level


class PracticeForm(Form):
    themes = CheckboxListField(_l("Themes (none ticked: all of them)"), coerce=int)
    levels = CheckboxListField(
        _l("Levels (none ticked: all of them)"),
        choices=lambda: [SelectChoice(level.value, level.label) for level in Level],
    )
    count = IntegerField(
        _l("How many questions"),
        default=DEFAULT_QUESTIONS,
        validators=[NumberRange(min=MIN_QUESTIONS, max=MAX_QUESTIONS)],
    )
    submit = SubmitField(_l("Start practising"))
