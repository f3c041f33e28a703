# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and this class subclasses it)
"""The Flask-WTF form of deciding on a suggested theme (survey/staff/themes.py).

The themes page offers each suggestion its own small forms (accept, rename, merge, reject, and "suggest
again" for a rejected one), all posting this one form: `action` says which, `key` which suggestion. The
form checks the action; what depends on the suggestions and the codebook (a name for a rename, another
open suggestion to merge into, a theme of the codebook to add the words to) the view adds with `add_error`.
Since the page holds a copy of each field per suggestion, each field's id is the suggestion's
(`field_ids`), so the error summary links to the copy that was sent.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf

from survey.staff.form_fields import squashed

ACTIONS = ("accept", "rename", "merge", "reject", "undo")


def _text(value: str | None) -> str:
    return str(squashed(value or ""))


class SuggestionForm(FlaskForm):
    """One decision on a suggested theme: what to do (`action`) with which suggestion (`key`); accepting
    also sends the codebook version it was shown with, an optional name (`label`) and an existing theme to
    add the words to (`into`, empty for a new theme), then `confirm` from the "check the effect" page;
    renaming sends the new name (`label`); merging the suggestion to merge into (`merge_with`)."""

    anchor = "suggestions"  # where the summary links a message about the suggestions as a whole

    action = HiddenField(
        validators=[AnyOf(ACTIONS, message=lazy_gettext("Choose what to do with the suggestion"))]
    )
    key = HiddenField()
    base_version = HiddenField()
    label = StringField(lazy_gettext("Name of the new theme"), filters=[_text])
    into = StringField(
        lazy_gettext("Or add its words to an existing theme"), filters=[lambda value: value or ""]
    )
    merge_with = StringField(lazy_gettext("Merge into"), filters=[lambda value: value or ""])
    confirm = HiddenField()

    def field_ids(self, field_id: Callable[[str, str], str]) -> None:
        """Give the fields the ids of the sent suggestion's copies on the page (`field_id(prefix, key)`);
        the action and key, which have none, link to the suggestions heading."""
        key = self.key.data or ""
        self.label.id = field_id("rename" if self.action.data == "rename" else "label", key)
        self.into.id = field_id("into", key)
        self.merge_with.id = field_id("merge", key)
        for field in (self.action, self.key, self.base_version, self.confirm):
            field.id = self.anchor

    def page_errors(self) -> dict[str, str]:
        """Each refused field's first message by its id on the page (what the themes page shows)."""
        shown: dict[str, str] = {}
        for name, messages in self.errors.items():
            field = getattr(self, name, None) if name else None
            shown.setdefault(field.id if field is not None else self.anchor, str(messages[0]))
        return shown
