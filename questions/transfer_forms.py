"""Forms of the import and export pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from contest.forms import CheckboxListField, Form
from questions.models import Status

FORMAT_LABELS = {
    "xlsx": _l("Excel workbook (.xlsx)"),
    "csv": _l("CSV text (.csv)"),
    "docx": _l("Word document (.docx)"),
    "gift": _l("GIFT (Moodle)"),
    "aiken": _l("Aiken (Moodle)"),
    "moodle_xml": _l("Moodle XML"),
    "json": _l("JSON (HoiThi, lossless)"),
}


def _format_choices() -> list[SelectChoice]:
    return [SelectChoice(name, label) for name, label in FORMAT_LABELS.items()]


class UploadForm(Form):
    file = FileField(
        _l("Question file"),
        validators=[FileRequired(message=_l("Choose a file."))],
        render_kw={"accept": ".xlsx,.csv,.docx,.gift,.txt,.xml,.json"},
    )
    format = SelectField(
        _l("Format"),
        choices=lambda: [SelectChoice("", _l("Tell from the file"))] + _format_choices(),
        default="",
    )
    submit = SubmitField(_l("Check the file"))


class CommitForm(Form):
    themes = CheckboxListField(_l("Add these themes to every question"), coerce=int)
    tags = StringField(
        _l("Add these tags to every question (separated by commas)"),
        validators=[Length(max=500)],
    )
    status = SelectField(
        _l("Status of the imported questions"),
        choices=[
            SelectChoice(Status.DRAFT.value, _l("Draft")),
            SelectChoice(Status.IN_REVIEW.value, _l("In review")),
            SelectChoice(Status.APPROVED.value, _l("Approved")),
        ],
        default=Status.DRAFT.value,
    )
    skip_bank_duplicates = BooleanField(_l("Leave out the questions that duplicate the bank"))
    submit = SubmitField(_l("Import the questions"))


class ExportForm(Form):
    class Meta:
        csrf = False  # a GET form that only reads

    format = SelectField(_l("Format"), choices=lambda: _format_choices(), default="xlsx")
    submit = SubmitField(_l("Export"))
