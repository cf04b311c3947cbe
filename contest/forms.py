"""Form pieces shared by every domain package."""

from wtforms import SelectMultipleField, widgets


class CheckboxListField(SelectMultipleField):
    """A list of checkboxes for picking several values (roles, themes)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
