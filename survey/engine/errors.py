"""The catalogue of definition problems: stable codes, message templates and advice for council officers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from survey.engine.model import Questionnaire

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ErrorCode:
    """One entry of the catalogue: a stable code, its severity, a message template and advice."""

    code: str
    severity: Severity
    template: str
    advice: str


_ENTRIES: tuple[ErrorCode, ...] = (
    # Reading the file
    ErrorCode(
        "FILE_NOT_FOUND",
        "error",
        "the file cannot be read: {reason}",
        "Check the file name and that the file exists.",
    ),
    ErrorCode(
        "NOT_UTF8",
        "error",
        "the file is not UTF-8 text ({reason})",
        "Save the file as UTF-8 (most editors offer this under 'Save as').",
    ),
    ErrorCode(
        "MALFORMED_JSON",
        "error",
        "the file is not valid JSON: {reason}",
        "Fix the JSON at that position: look for a missing comma, quote or bracket just before it.",
    ),
    ErrorCode(
        "DUPLICATE_KEY",
        "error",
        "the key '{key}' appears twice in the same object",
        "Remove one of the two entries: JSON keeps only the last one and the other is lost.",
    ),
    ErrorCode(
        "TOO_DEEP",
        "error",
        "the definition is nested more than {limit} levels deep here",
        "Simplify this part: conditions rarely need more than a few levels of all / any / not.",
    ),
    # Structure (JSON Schema)
    ErrorCode(
        "MISSING_FIELD",
        "error",
        "the required field '{field}' is missing",
        "Add the field; docs/questionnaire-format.md lists the required fields of each object.",
    ),
    ErrorCode(
        "UNKNOWN_FIELD",
        "error",
        "'{field}' is not a field of this object",
        "Check the spelling against docs/questionnaire-format.md, or remove the field.",
    ),
    ErrorCode(
        "WRONG_TYPE",
        "error",
        "{value} should be {expected}",
        "Change the value to the expected kind (text in quotes, a whole number, a list in [...]).",
    ),
    ErrorCode(
        "BAD_VALUE",
        "error",
        "{value} is not allowed here: {reason}",
        "Use one of the values docs/questionnaire-format.md allows for this field.",
    ),
    ErrorCode(
        "UNKNOWN_OPERATOR",
        "error",
        "{value} is not a condition operator",
        "Use one of: equals, not_equals, in, not_in, contains, answered, gt, gte, lt, lte.",
    ),
    ErrorCode(
        "SCHEMA_VIOLATION",
        "error",
        "{reason}",
        "Compare this part of the file with docs/questionnaire-format.md.",
    ),
    # Identity and options
    ErrorCode(
        "RESERVED_ID",
        "error",
        "the question id '{id}' is the name of a column every export has",
        "Choose another id: exports have the columns {reserved}, and a question with one of those ids would "
        "share its column.",
    ),
    ErrorCode(
        "DUPLICATE_ID",
        "error",
        "the id '{id}' is used more than once (also at {other})",
        "Give every section, question and rating item its own id; answers are stored under these ids.",
    ),
    ErrorCode(
        "DUPLICATE_OPTION",
        "error",
        "the option code '{code}' is used twice in question '{question}'",
        "Give each option of a question its own code; answers are stored as these codes.",
    ),
    ErrorCode(
        "NO_OPTIONS",
        "error",
        "question '{question}' is a {type} question but offers no {what}",
        "Add the options the resident can choose from, or change the question type.",
    ),
    ErrorCode(
        "EMPTY_SECTION",
        "error",
        "section '{section}' has no questions",
        "Add questions to the section or remove it.",
    ),
    ErrorCode(
        "BAD_BOUNDS",
        "error",
        "the smallest allowed answer {min} is larger than the largest {max}",
        "Swap or correct 'min' and 'max'.",
    ),
    ErrorCode(
        "BAD_DATE",
        "error",
        "{value} is not a date in the form YYYY-MM-DD",
        "Write dates as year-month-day, for example 2016-05-03.",
    ),
    ErrorCode(
        "DATES_REVERSED",
        "error",
        "the survey closes ({closes}) before it opens ({opens})",
        "Correct 'opens' or 'closes' so that the survey closes after it opens.",
    ),
    ErrorCode(
        "LANGUAGE_NOT_OFFERED",
        "error",
        "the default language '{language}' is not in 'languages'",
        "List the default language first in 'languages'.",
    ),
    # Conditions
    ErrorCode(
        "UNKNOWN_QUESTION",
        "error",
        "'{question}' is not a question of this questionnaire",
        "Check the question id in the condition; ids are case-sensitive.",
    ),
    ErrorCode(
        "UNKNOWN_OPTION",
        "error",
        "'{code}' is not an option of question '{question}'",
        "Use one of the question's option codes: {codes}.",
    ),
    ErrorCode(
        "UNKNOWN_ITEM",
        "error",
        "'{item}' is not an item of rating question '{question}'",
        "Use one of the question's item ids: {items}.",
    ),
    ErrorCode(
        "SELF_REFERENCE",
        "error",
        "the condition of '{target}' depends on '{question}' itself",
        "A question or section cannot depend on its own answers; use an earlier question.",
    ),
    ErrorCode(
        "FORWARD_REFERENCE",
        "error",
        "the condition of '{target}' depends on '{question}', which is asked later",
        "Conditions may only use answers already given: move '{question}' earlier.",
    ),
    ErrorCode(
        "OPERATOR_MISMATCH",
        "error",
        "'{op}' cannot be used with {type} question '{question}'{detail}",
        "Use an operator that fits the question: {allowed}.",
    ),
    ErrorCode(
        "BAD_CONDITION_VALUE",
        "error",
        "the value {value} does not fit '{op}' on question '{question}'",
        "{expected}",
    ),
    ErrorCode(
        "UNREACHABLE",
        "error",
        "'{target}' can never be shown: {reason}",
        "Change the condition so that some answers show it, or remove it.",
    ),
    ErrorCode(
        "CONDITION_ALWAYS_TRUE",
        "warning",
        "the condition of '{target}' is true for everyone who reaches it",
        "Check the condition: as written it never hides anything, so it can be removed.",
    ),
    # Demographic mappings
    ErrorCode(
        "MAPPING_UNKNOWN_QUESTION",
        "error",
        "the mapping for '{dimension}' names '{question}', which is not a question here",
        "Correct the question id in the mapping.",
    ),
    ErrorCode(
        "MAPPING_UNKNOWN_OPTION",
        "error",
        "the mapping for '{dimension}' maps '{code}', which is not an option of '{question}'",
        "Use the question's option codes: {codes}.",
    ),
    ErrorCode(
        "MAPPING_MISMATCH",
        "error",
        "the mapping for '{dimension}' {reason}",
        "Use 'map' for single choice questions and 'ranges' for number questions.",
    ),
    ErrorCode(
        "MAPPING_INCOMPLETE",
        "warning",
        "the mapping for '{dimension}' leaves {codes} of question '{question}' unmapped",
        "Map every option code, to null when it cannot be matched to a census category.",
    ),
    ErrorCode(
        "MAPPING_RANGES",
        "warning",
        "the ranges of the mapping for '{dimension}' {reason}",
        "Make the ranges cover the question's allowed answers without overlapping.",
    ),
    ErrorCode(
        "UNKNOWN_REFERENCE",
        "error",
        "the reference population '{reference}' is not known here",
        "Use one of the known reference populations: {known} (survey reference list shows them).",
    ),
    ErrorCode(
        "UNKNOWN_DIMENSION",
        "error",
        "the mapping names dimension '{dimension}', which reference '{reference}' does not have",
        "Use one of the reference's dimensions: {known}.",
    ),
    ErrorCode(
        "UNKNOWN_CATEGORY",
        "error",
        "the mapping for '{dimension}' maps '{code}' to '{category}', which is not one of its categories",
        "Use one of the dimension's categories: {known}.",
    ),
    # Question details
    ErrorCode(
        "EXCLUSIVE_ON_SINGLE",
        "warning",
        "option '{code}' of single choice question '{question}' is marked exclusive, which has no effect",
        "A single choice question takes one answer anyway: remove 'exclusive'.",
    ),
    ErrorCode(
        "ALL_EXCLUSIVE",
        "warning",
        "every option of question '{question}' is exclusive, so only one can ever be chosen",
        "Make it a single choice question, or remove 'exclusive' from options that can be combined.",
    ),
    ErrorCode(
        "NO_SUPPORT_CONTACTS",
        "error",
        "page '{question}' shows the support contacts, but the questionnaire has none",
        "Add 'support_contacts' (a name with a phone number or web address), or remove "
        "'show_support_contacts'.",
    ),
    ErrorCode(
        "BAD_PATTERN",
        "error",
        "the pattern of question '{question}' is not a regular expression: {reason}",
        "Correct the pattern (Python regular expression syntax); test it on a few real answers.",
    ),
    ErrorCode(
        "WHOLE_BOUNDS",
        "error",
        "'{field}' of number question '{question}' is {value}, not a whole number",
        "Number questions take whole numbers: use a whole bound, or make it a 'decimal' question.",
    ),
    ErrorCode(
        "SCREEN_OUT_ALWAYS",
        "error",
        "screen-out page '{question}' has no condition, so it ends every journey",
        "Give the page (or its section) a show_if naming who the survey is not for.",
    ),
    ErrorCode(
        "IGNORED_FIELD",
        "warning",
        "'{field}' has no effect on {type} questions",
        "Remove the field, or change the question type if it was meant to be a {wanted} question.",
    ),
    # Language and length
    ErrorCode(
        "CONTROL_CHARACTER",
        "error",
        "the text has the invisible control character {char}, which cannot be stored or shown",
        "Remove the character (a spreadsheet cell may hold it written as _x0000_ and the like).",
    ),
    ErrorCode(
        "MISSING_MAIN_TEXT",
        "error",
        "no '{language}' text, and '{language}' is the questionnaire's main language: residents would see "
        "the '{shown}' text instead",
        "Add the text in the main language; the other languages are translations of it.",
    ),
    ErrorCode(
        "MISSING_TRANSLATION",
        "warning",
        "no {languages} text; residents will see the {default} text",
        "Add the translation, or accept the fallback to the default language.",
    ),
    ErrorCode(
        "UNKNOWN_LANGUAGE",
        "warning",
        "text in '{language}', which is not in 'languages'",
        "Add '{language}' to 'languages' or remove this text.",
    ),
    ErrorCode(
        "LONG_PATH",
        "warning",
        "the longest path {reason}",
        "Consider shortening the questionnaire: long surveys lose respondents.",
    ),
    ErrorCode(
        "PATHS_NOT_EXHAUSTIVE",
        "warning",
        "path analysis was bounded: {reason}",
        "The figures are estimates; simplify multiple-choice conditions for an exact analysis.",
    ),
)

CATALOGUE: dict[str, ErrorCode] = {entry.code: entry for entry in _ENTRIES}
# Problems whose advice names the valid values (a reference's dimensions, a dimension's categories): the
# advice is part of the answer, so `survey validate` prints it without --explain.
NAMES_VALID: frozenset[str] = frozenset(entry.code for entry in _ENTRIES if "{known}" in entry.advice)


class _Default(dict[str, Any]):
    """Format mapping that leaves unknown placeholders visible rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Problem:
    """One error or warning found in a definition, located by file and JSON path."""

    code: str
    path: str
    message: str
    advice: str = ""
    file: str = ""
    severity: Severity = "error"
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        location = self.path or "/"
        if self.line is not None:
            location = f"line {self.line} column {self.column}"
        return f"{self.file or '<definition>'}: {location}: {self.message} ({self.code})"

    def with_file(self, file: str) -> Problem:
        """Return this problem attributed to another file name."""
        return Problem(
            self.code, self.path, self.message, self.advice, file, self.severity, self.line, self.column
        )


def problem(
    code: str,
    path: str,
    /,
    *,
    file: str = "",
    line: int | None = None,
    column: int | None = None,
    **values: Any,
) -> Problem:
    """Build a Problem from the catalogue entry `code`, filling its templates with `values`."""
    entry = CATALOGUE[code]
    fill = _Default(values)
    return Problem(
        code=code,
        path=path,
        message=entry.template.format_map(fill),
        advice=entry.advice.format_map(fill),
        file=file,
        severity=entry.severity,
        line=line,
        column=column,
    )


def pointer(*parts: str | int) -> str:
    """Join path parts into a JSON Pointer (RFC 6901)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class DefinitionError(Exception):
    """Raised by the loader when a definition has errors; carries every Problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.errors = tuple(p for p in self.problems if p.severity == "error")
        self.warnings = tuple(p for p in self.problems if p.severity == "warning")
        first = str(self.errors[0]) if self.errors else "invalid questionnaire definition"
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        super().__init__(first + more)

    @property
    def codes(self) -> list[str]:
        """The codes of the errors, in order."""
        return [p.code for p in self.errors]


@dataclass(frozen=True)
class ValidationResult:
    """What validation found: the questionnaire (only when there are no errors), errors, warnings."""

    questionnaire: Questionnaire | None
    errors: tuple[Problem, ...] = field(default_factory=tuple)
    warnings: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors
