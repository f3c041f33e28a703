# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and these classes subclass it)
"""Flask-WTF forms of the questionnaire builder, drawn with govuk-frontend-wtf widgets (GOV.UK fields,
error messages and summary)."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from survey.services.questionnaire_builder import (
    BOX_LIMIT,
    LINE_LIMIT,
    clean_words,
    option_kinds,
    question_types,
)
from survey.services.words import gettext

ID_RULE = Regexp(
    r"^[a-z0-9][a-z0-9-]*$",
    message=lazy_gettext("Use only lower-case letters, digits and hyphens, like crime-2027"),
)


def pairs(items: list[tuple[str, Any]]) -> list[SelectChoice]:
    """(value, words) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in items]


DATE_RULE = Regexp(
    r"^(today|[0-9]{4}-[0-9]{2}-[0-9]{2})$", message=lazy_gettext("Enter a date like 2027-03-31, or today")
)
LANG_RULE = Regexp(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", message=lazy_gettext("Enter a language code such as en or cy")
)


def field_name(field: Field) -> str:
    """A field's label without its parenthesis: 'Hint (optional)' -> 'Hint'."""
    return str(field.label.text).split(" (")[0]


class BuilderForm(FlaskForm):
    """Every builder form: its text cleaned as residents' answers are (no NUL, control or bidi characters),
    and everything submitted limited to LINE_LIMIT characters (BOX_LIMIT for a box of paragraphs), said at the
    field: typed boxes, and the values of lists, radios and hidden fields, which a changed page can send too.
    A list whose choices are not checked by WTForms (`validate_choice=False`) names its allowed values in
    ALLOWED, checked here."""

    ALLOWED: ClassVar[dict[str, tuple[str, ...]]] = {}

    def validate(self, extra_validators: object = None) -> bool:
        for field in self:
            if isinstance(field, StringField) and isinstance(field.data, str):
                field.data = clean_words(field.data)
        fine = bool(super().validate(extra_validators))
        for field in self:
            if isinstance(field, StringField) and any(isinstance(v, Length) for v in field.validators or ()):
                continue  # a limit of its own, with its own message
            limit = BOX_LIMIT if isinstance(field, TextAreaField) else LINE_LIMIT
            values = field.data if isinstance(field.data, list) else [field.data]
            if any(isinstance(v, str) and len(v) > limit for v in values):
                field.errors = [
                    *field.errors,
                    gettext(
                        "%(field_name)s must be %(limit)s characters or fewer",
                        field_name=field_name(field),
                        limit=format(limit, ","),
                    ),
                ]
                fine = False
            elif field.name in self.ALLOWED and field.data and field.data not in self.ALLOWED[field.name]:
                field.errors = [
                    *field.errors,
                    gettext("Select %(field_name)s from the list", field_name=field_name(field).lower()),
                ]
                fine = False
        return fine


class NewDraftForm(BuilderForm):
    qid = StringField(
        lazy_gettext("Questionnaire id"),
        widget=GovTextInput(),
        description=lazy_gettext("Used in links and exports; lower case and hyphens, like fire-safety-2027"),
        validators=[
            DataRequired(lazy_gettext("Enter an id for the questionnaire")),
            Length(max=80, message=lazy_gettext("Questionnaire id must be 80 characters or fewer")),
            ID_RULE,
        ],
    )
    title = StringField(
        lazy_gettext("Title residents see"),
        widget=GovTextInput(),
        validators=[
            DataRequired(lazy_gettext("Enter the title residents see")),
            Length(max=200, message=lazy_gettext("Title residents see must be 200 characters or fewer")),
        ],
    )
    language = StringField(
        lazy_gettext("Main language"),
        default="en",
        widget=GovTextInput(),
        description=lazy_gettext("A language code: en for English, cy for Welsh"),
        validators=[DataRequired(lazy_gettext("Enter the main language")), LANG_RULE],
    )
    start = RadioField(
        lazy_gettext("Start from"),
        widget=GovRadioInput(),
        default="blank",
        choices=pairs(
            [
                ("blank", lazy_gettext("A blank questionnaire")),
                ("bundled", lazy_gettext("A copy of a bundled questionnaire")),
                ("bank", lazy_gettext("Blocks of the question bank")),
            ]
        ),
        validators=[InputRequired(lazy_gettext("Select what to start from"))],
    )
    template = SelectField(
        lazy_gettext("Bundled questionnaire"), widget=GovSelect(), choices=[], validate_choice=False
    )
    blocks = SelectMultipleField(
        lazy_gettext("Question bank blocks"), widget=GovCheckboxesInput(), choices=[], validate_choice=False
    )


class SettingsForm(BuilderForm):
    title = StringField(
        lazy_gettext("Title"),
        widget=GovTextInput(),
        validators=[
            DataRequired(lazy_gettext("Enter the title")),
            Length(max=200, message=lazy_gettext("Title must be 200 characters or fewer")),
        ],
    )
    description = TextAreaField(lazy_gettext("Description"), widget=GovTextArea(), validators=[Optional()])
    exit_url = StringField(
        lazy_gettext("Where residents go when they leave (exit page address)"),
        widget=GovTextInput(),
        validators=[Optional(), URL(message=lazy_gettext("Enter an address starting https://"))],
    )


class SectionForm(BuilderForm):
    title = StringField(
        lazy_gettext("Section title"),
        widget=GovTextInput(),
        validators=[DataRequired(lazy_gettext("Enter the section title"))],
    )
    intro = TextAreaField(
        lazy_gettext("Introduction (optional)"), widget=GovTextArea(), validators=[Optional()]
    )
    sensitive = BooleanField(
        lazy_gettext("This section asks about sensitive things"), widget=GovCheckboxInput()
    )


class NewQuestionForm(BuilderForm):
    qtype = RadioField(
        lazy_gettext("Type of question"),
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired(lazy_gettext("Select a type of question"))],
    )
    text = StringField(
        lazy_gettext("Question"),
        widget=GovTextInput(),
        validators=[DataRequired(lazy_gettext("Enter the question"))],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.qtype.choices = pairs(question_types())


class QuestionForm(BuilderForm):
    ALLOWED: ClassVar[dict[str, tuple[str, ...]]] = {"text_format": ("", "email", "phone", "pattern")}
    text = StringField(
        lazy_gettext("Question"),
        widget=GovTextInput(),
        validators=[DataRequired(lazy_gettext("Enter the question"))],
    )
    hint = StringField(lazy_gettext("Hint (optional)"), widget=GovTextInput(), validators=[Optional()])
    required = BooleanField(lazy_gettext("Residents must answer"), widget=GovCheckboxInput())
    sensitive = BooleanField(
        lazy_gettext("Sensitive (shown with care, kept apart in exports)"), widget=GovCheckboxInput()
    )
    max_length = IntegerField(
        lazy_gettext("Most characters allowed"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=1, message=lazy_gettext("Enter a number of characters above 0")),
        ],
        description=lazy_gettext("Leave empty for the standard limit"),
    )
    multiline = BooleanField(lazy_gettext("A long answer box"), widget=GovCheckboxInput())
    text_format = SelectField(
        lazy_gettext("What the answer must look like"),
        widget=GovSelect(),
        validate_choice=False,
        choices=pairs(
            [
                ("", lazy_gettext("Anything")),
                ("email", lazy_gettext("An email address")),
                ("phone", lazy_gettext("A phone number")),
                ("pattern", lazy_gettext("A pattern (below)")),
            ]
        ),
    )
    pattern = StringField(
        lazy_gettext("Pattern (a regular expression the whole answer must match)"),
        widget=GovTextInput(),
        validators=[Optional()],
    )
    min = StringField(lazy_gettext("Smallest number allowed"), widget=GovTextInput(), validators=[Optional()])
    max = StringField(lazy_gettext("Largest number allowed"), widget=GovTextInput(), validators=[Optional()])
    places = IntegerField(
        lazy_gettext("Decimal places"),
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, max=6, message=lazy_gettext("Enter 1 to 6 places"))],
    )
    suffix = StringField(
        lazy_gettext("Unit after the box (optional)"), widget=GovTextInput(), validators=[Optional()]
    )
    dont_know = StringField(
        lazy_gettext("Words of a ‘don’t know’ box (optional)"),
        widget=GovTextInput(),
        validators=[Optional()],
        description=lazy_gettext("For example: I don’t know"),
    )
    min_date = StringField(
        lazy_gettext("Earliest date allowed"),
        widget=GovTextInput(),
        validators=[Optional(), DATE_RULE],
        description=lazy_gettext("YYYY-MM-DD, or today"),
    )
    max_date = StringField(
        lazy_gettext("Latest date allowed"),
        widget=GovTextInput(),
        validators=[Optional(), DATE_RULE],
        description=lazy_gettext("YYYY-MM-DD, or today"),
    )
    consent_label = StringField(
        lazy_gettext("Words beside the consent box"), widget=GovTextInput(), validators=[Optional()]
    )
    rank_count = IntegerField(
        lazy_gettext("How many to rank (leave empty for all)"),
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, message=lazy_gettext("Enter a number above 0"))],
    )
    style = RadioField(
        lazy_gettext("Kind of page"),
        widget=GovRadioInput(),
        validators=[Optional()],
        choices=pairs(
            [
                ("information", lazy_gettext("Information")),
                ("interruption", lazy_gettext("Interruption (a pause, with care)")),
            ]
        ),
    )
    body = TextAreaField(lazy_gettext("Words on the page"), widget=GovTextArea(), validators=[Optional()])
    show_support_contacts = BooleanField(
        lazy_gettext("Show the support contacts on this page"), widget=GovCheckboxInput()
    )


class ChoiceForm(BuilderForm):
    label = StringField(
        lazy_gettext("Words residents see"),
        widget=GovTextInput(),
        validators=[DataRequired(lazy_gettext("Enter the words"))],
    )
    code = StringField(
        lazy_gettext("Code (stored with answers; optional)"),
        widget=GovTextInput(),
        validators=[Optional()],
        description=lazy_gettext("Made from the words when left empty; keep it when you reword later"),
    )
    kind = SelectField(lazy_gettext("Kind of answer"), widget=GovSelect(), choices=[], validate_choice=False)
    # (not sent at all for rating items)
    ALLOWED: ClassVar[dict[str, tuple[str, ...]]] = {"kind": tuple(k for k, _ in option_kinds())}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = pairs(option_kinds())


class ConditionForm(BuilderForm):
    """A rule on an earlier question: its operators (set per question, from the engine's table for its type)
    and the one box its type compares with (an option, a whole number, a date or a postcode district)."""

    question = SelectField(
        lazy_gettext("Question"),
        widget=GovSelect(),
        choices=[],
        validators=[DataRequired(lazy_gettext("Select the earlier question"))],
    )
    op = RadioField(
        lazy_gettext("Its answer"),
        widget=GovRadioInput(),
        choices=[],
        validate_choice=False,  # checked with the chosen question's type (builder_operators.comparison)
        validators=[InputRequired(lazy_gettext("Select how the answer is compared"))],
    )
    value = SelectField(
        lazy_gettext("Option (not needed for ‘is answered’)"),
        widget=GovSelect(),
        choices=[],
        validate_choice=False,
    )
    number = StringField(
        lazy_gettext("Number (not needed for ‘is answered’)"),
        widget=GovTextInput(),
        description=lazy_gettext("A whole number, like 18"),
        validators=[Optional()],
    )
    date = StringField(
        lazy_gettext("Date (not needed for ‘is answered’)"),
        widget=GovTextInput(),
        description=lazy_gettext("YYYY-MM-DD, like 2027-03-31"),
        validators=[Optional()],
    )
    postcode = StringField(
        lazy_gettext("Postcode district (not needed for ‘is answered’)"),
        widget=GovTextInput(),
        description=lazy_gettext("The first half of a postcode, like MK9"),
        validators=[Optional()],
    )


class CombineForm(BuilderForm):
    combine = RadioField(
        lazy_gettext("When there is more than one rule"),
        widget=GovRadioInput(),
        default="all",
        choices=pairs(
            [
                ("all", lazy_gettext("Show when all rules are met")),
                ("any", lazy_gettext("Show when any rule is met")),
            ]
        ),
    )
    negate = BooleanField(
        lazy_gettext("Turn it round: hide when the rules are met (not)"), widget=GovCheckboxInput()
    )


class LanguageForm(BuilderForm):
    language = StringField(
        lazy_gettext("Add a language"),
        widget=GovTextInput(),
        description=lazy_gettext("cy for Welsh, pl for Polish"),
        validators=[DataRequired(lazy_gettext("Enter a language code")), LANG_RULE],
    )


class SupportContactForm(BuilderForm):
    name = StringField(
        lazy_gettext("Organisation"),
        widget=GovTextInput(),
        validators=[DataRequired(lazy_gettext("Enter the organisation"))],
    )
    phone = StringField(lazy_gettext("Phone (optional)"), widget=GovTextInput(), validators=[Optional()])
    url = StringField(
        lazy_gettext("Website (optional)"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            URL(message=lazy_gettext("Enter an address starting https://")),
            Regexp(r"^https://", message=lazy_gettext("Enter an address starting https://")),
        ],
    )
    hours = StringField(
        lazy_gettext("Opening hours (optional)"), widget=GovTextInput(), validators=[Optional()]
    )

    def validate(self, extra_validators: object = None) -> bool:
        """A contact residents cannot reach is no help: a phone number or a website is needed."""
        fine = bool(super().validate(extra_validators))
        if not (self.phone.data or "").strip() and not (self.url.data or "").strip():
            self.phone.errors = [
                *self.phone.errors,
                gettext("Enter a phone number or a website, so that residents can reach them"),
            ]
            return False
        return fine


class MappingStartForm(BuilderForm):
    question = SelectField(
        lazy_gettext("Question"),
        widget=GovSelect(),
        choices=[],
        validators=[DataRequired(lazy_gettext("Select a question"))],
    )
    dimension = SelectField(
        lazy_gettext("Census dimension"),
        widget=GovSelect(),
        choices=[],
        validators=[DataRequired(lazy_gettext("Select a census dimension"))],
    )


class PublishForm(BuilderForm):
    version = StringField(
        lazy_gettext("Version number"),
        widget=GovTextInput(),
        description=lazy_gettext(
            "New responses record this version; a number already published cannot be reused"
        ),
        validators=[
            DataRequired(lazy_gettext("Enter a version number")),
            Length(max=40, message=lazy_gettext("Version number must be 40 characters or fewer")),
        ],
    )


class ConfirmRemoveForm(BuilderForm):
    """GOV.UK's 'Are you sure you want to remove …?': Yes or No (the page says what the removal means)."""

    confirm = RadioField(
        lazy_gettext("Remove it?"),
        widget=GovRadioInput(),
        choices=pairs([("yes", lazy_gettext("Yes")), ("no", lazy_gettext("No"))]),
        validators=[InputRequired(lazy_gettext("Select yes if you want to remove it"))],
    )


class ConfirmRemoveAtForm(ConfirmRemoveForm):
    """The same question about an entry found by its place in a list (a support contact, a census mapping):
    `seen` carries a fingerprint of the entry the page showed, so that a list changed meanwhile removes
    nothing."""

    seen = HiddenField()


def ranges_form(rows: int) -> type[FlaskForm]:
    """A census mapping of a number question: From and To boxes for each of `rows` rows (r0_low, r0_high …).

    Which census category a row is for, and every check of the numbers (whole numbers, overlaps, gaps,
    categories the reference population lacks), are survey.services.census_ranges.check_rows's: its messages
    name the category, which a box's own validator could not."""
    fields: dict[str, StringField] = {}
    for i in range(rows):
        fields[f"r{i}_low"] = StringField(gettext("From"), widget=GovTextInput(), validators=[Optional()])
        fields[f"r{i}_high"] = StringField(gettext("To"), widget=GovTextInput(), validators=[Optional()])
    return type("RangesForm", (BuilderForm,), fields)


class RenameQuestionForm(BuilderForm):
    """A question's new id (checked by survey.services.builder_rename: pattern, length, not in use)."""

    new_id = StringField(
        lazy_gettext("New id"),
        widget=GovTextInput(),
        description=lazy_gettext(
            "Lower-case letters, digits and _, starting with a letter, like victim_any (64 at most)"
        ),
        validators=[DataRequired(lazy_gettext("Enter the new id"))],
    )
    understood = BooleanField(
        lazy_gettext(
            "I understand that results under the old id will not join with results under the new one"
        ),
        widget=GovCheckboxInput(),
    )


class ChangeChoiceForm(BuilderForm):
    """New words for an option, scale point or item; its code (or id) stays, so answers keep their meaning."""

    label = StringField(
        lazy_gettext("Words residents see"),
        widget=GovTextInput(),
        validators=[DataRequired(lazy_gettext("Enter the words"))],
    )


class ChangeContactForm(SupportContactForm):
    """A support contact's fields changed in place; `seen` tells whether the list changed meanwhile."""

    seen = HiddenField()
