"""Form pieces shared by every domain package."""

from flask_babel import get_translations, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField, widgets


class BabelTranslations:
    """WTForms' own messages, translated through our catalog (WTForms ships no Vietnamese).

    The raw catalog, not flask_babel's gettext: WTForms fills in `%(min)d` itself afterwards.
    """

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


_translations = BabelTranslations()


class Form(FlaskForm):
    """The base of every form: CSRF from Flask-WTF, messages in the visitor's language."""

    class Meta:
        def get_translations(self, form):
            return _translations


class ConfirmForm(Form):
    """An empty form: a button that posts with a CSRF token (sign out, deactivate, delete)."""

    submit = SubmitField(_l("Confirm"))


class CheckboxListField(SelectMultipleField):
    """A list of checkboxes for picking several values (roles, themes)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


# WTForms' and Flask-WTF's built-in messages, listed so `pybabel extract` puts them in our catalog.
# The text must match theirs exactly.
BUILT_IN_MESSAGES = [
    _l("This field is required."),
    _l("Field must be at least %(min)d characters long."),
    _l("Field cannot be longer than %(max)d characters."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Field must be exactly %(max)d characters long."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be equal to %(other_name)s."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    _l("The CSRF session token is missing."),
    _l("The CSRF tokens do not match."),
    _l("The referrer header is missing."),
    _l("The referrer does not match the host."),
    _l("File does not have an approved extension."),
    _l("File does not have an approved extension: {extensions}"),
]


def _plural_messages_for_extraction():  # never called: only read by `pybabel extract`
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    )
