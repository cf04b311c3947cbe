"""Theme forms: the editor's form, the list filters, the retire/reactivate button."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from contest.forms import Form
from contest.themes import service
from contest.themes.models import ThemeKind

# WTForms ships no Vietnamese catalog, so every message a person can meet here is our own.
REQUIRED = DataRequired(message=_l("This field is required."))
YEAR_RANGE = NumberRange(
    min=service.YEAR_MIN,
    max=service.YEAR_MAX,
    message=_l("Enter a year from %(min)s to %(max)s."),
)
NOT_A_YEAR = _l("Enter the year in digits, e.g. 2024.")
NOT_A_CHOICE = _l("Choose one of the options.")


def at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("At most %(max)d characters."))


def kind_choices():
    return [(kind.value, kind.label) for kind in ThemeKind]


class ThemeForm(Form):
    # Most themes added by hand are an organisation's annual theme.
    kind = SelectField(
        _l("Kind"),
        choices=kind_choices,
        default=ThemeKind.ANNUAL.value,
        validators=[REQUIRED],
        invalid_choice_message=NOT_A_CHOICE,
    )
    short_name = StringField(
        _l("Short name"), validators=[REQUIRED, at_most(service.SHORT_NAME_MAX)]
    )
    title = TextAreaField(
        _l("Full official title"), validators=[REQUIRED, at_most(service.TITLE_MAX)]
    )
    organisation = StringField(
        _l("Organisation"), validators=[REQUIRED, at_most(service.ORGANISATION_MAX)]
    )
    year_from = IntegerField(
        _l("First year"), validators=[REQUIRED, YEAR_RANGE], invalid_value_message=NOT_A_YEAR
    )
    year_to = IntegerField(
        _l("Last year"), validators=[Optional(), YEAR_RANGE], invalid_value_message=NOT_A_YEAR
    )
    document_code = StringField(
        _l("Document code"), validators=[Optional(), at_most(service.DOCUMENT_CODE_MAX)]
    )
    # A text box, not the browser's date picker: the picker follows the browser's locale,
    # while staff here write and read dates as dd/mm/yyyy.
    issued_on = DateField(
        _l("Issued on"),
        format=["%d/%m/%Y", "%Y-%m-%d"],
        widget=TextInput(),
        validators=[Optional()],
        invalid_value_message=_l("Enter the date as dd/mm/yyyy, e.g. 15/05/2016."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional()])
    source = StringField(_l("Source"), validators=[Optional(), at_most(service.SOURCE_MAX)])
    submit = SubmitField(_l("Save the theme"))

    def theme_fields(self) -> dict:
        """The submitted values, named as the service expects them."""
        names = (
            "kind",
            "short_name",
            "title",
            "organisation",
            "year_from",
            "year_to",
            "document_code",
            "issued_on",
            "description",
            "source",
        )
        return {name: self[name].data for name in names}


def status_choices():
    return [
        (service.STATUS_ACTIVE, _l("In use")),
        (service.STATUS_RETIRED, _l("Retired")),
        (service.STATUS_ALL, _l("All")),
    ]


class ThemeFilterForm(Form):
    """Read from the query string; a search changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), at_most(200)])
    kind = SelectField(
        _l("Kind"),
        choices=lambda: [("", _l("All kinds")), *kind_choices()],
        validators=[Optional()],
        invalid_choice_message=NOT_A_CHOICE,
    )
    year = IntegerField(
        _l("Year"), validators=[Optional(), YEAR_RANGE], invalid_value_message=NOT_A_YEAR
    )
    status = SelectField(
        _l("Status"),
        choices=status_choices,
        default=service.STATUS_ACTIVE,
        invalid_choice_message=NOT_A_CHOICE,
    )
    submit = SubmitField(_l("Filter"))

    def filters(self) -> dict:
        """Filters for `service.theme_query`; a value that did not validate is ignored."""
        return {
            "query": self.q.data if not self.q.errors else None,
            "kind": self.kind.data if not self.kind.errors else None,
            "year": self.year.data if not self.year.errors else None,
            "status": self.status.data if not self.status.errors else service.STATUS_ACTIVE,
        }


class ThemeActiveForm(Form):
    """Retire or reactivate: the wanted state is posted, so a repeated click changes nothing."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])
