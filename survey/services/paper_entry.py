"""Paper forms at volume: marks for questions left blank or with several boxes ticked, and double entry.

A keyed form may mark a question "blank" (nothing was filled in) or "multiple" (more than one box ticked
where one was asked for). A mark is not an answer: the question stays unanswered in the response and
the mark is kept with the form (`paper_forms.marks`), so exports and reports can say why it is missing.
On a rating set the marks are per row (`{question id: {item id: mark}}`): one row left blank or with two
boxes ticked never wipes the rows keyed.

Double entry: a second person keys the same form blind; `differences` lists the questions where the
two entries disagree, to be resolved by choosing one of them, or, when both keyed it wrong, by entering what
the form says (`Entered`: checked by the engine on its own page like a keyed answer, marks included).
The first keyer may neither key the second entry nor resolve the differences (`second_person_problem`; an
admin may, giving a reason that is audited).
A resolution is checked like a journey (`resolve`): answers to questions the chosen answers' routing does
not ask are dropped (and listed), and a question the routing asks that neither chosen entry answers, or an
answer the engine refuses, stops the resolution with a message naming the question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.config import today
from survey.engine import Question, Questionnaire, check_stored, walk
from survey.engine.answers import is_required
from survey.engine.answers_more import cross_checks
from survey.engine.catalogue import N_
from survey.engine.model import OTHER_SUFFIX
from survey.services.words import gettext, ngettext

# The marks' words and NOT_ASKED are msgids (N_), translated where they are shown (`_mark`).
MARKS = {"blank": N_("Left blank on the form"), "multiple": N_("More than one box ticked")}
NOT_ASKED = N_("Not asked (routing)")
ITEM_MARK_FIELD = "item_mark-"
REASON_LIMIT = 500


def marks_for(question: Question) -> dict[str, str]:
    """The whole-question marks: every asked question can be blank; a single choice can have several ticks.

    A rating set takes its marks per item instead (`item_marks_for`), so none are offered here: marking
    the whole set would wipe the rows already keyed.
    """
    if not question.asks or question.type == "rating":
        return {}
    if question.type == "single":
        return {k: gettext(v) for k, v in MARKS.items()}
    return {"blank": gettext(MARKS["blank"])}


def item_marks_for(question: Question) -> dict[str, str]:
    """The marks each item of a rating set can take (left blank, or more than one box ticked on the row)."""
    return {k: gettext(v) for k, v in MARKS.items()} if question.asks and question.type == "rating" else {}


def _mark(mark: Any) -> str:
    """A mark's words, translated (an unknown mark as it is)."""
    return gettext(MARKS[str(mark)]) if str(mark) in MARKS else str(mark)


def item_marks_from(question: Question, form: Mapping[str, Any]) -> dict[str, str]:
    """{item id: mark} of the rows of a rating set marked on its keying page (`item_mark-<item id>`)."""
    if not item_marks_for(question):
        return {}
    out = {}
    for item in question.items:
        value = form.get(ITEM_MARK_FIELD + item.id, "")
        if isinstance(value, list):
            value = value[0] if value else ""
        if value in MARKS:
            out[item.id] = str(value)
    return out


def marked_and_answered(
    q: Questionnaire, question: Question, form: Mapping[str, Any], marks: Mapping[str, str]
) -> list[Any]:
    """Errors for rows both answered and marked (the keyer must choose one)."""
    from survey.engine.answers import AnswerError, item_field

    out = []
    for item in question.items:
        chosen = form.get(item_field(item.id))
        if item.id in marks and chosen:
            out.append(
                AnswerError(
                    gettext(
                        "Choose a box or a mark for “%(item)s”, not both", item=q.text(item.text, q.language)
                    ),
                    ITEM_MARK_FIELD + item.id,
                )
            )
    return out


def fill_marked(
    question: Question, form: Mapping[str, Any], marks: Mapping[str, str]
) -> dict[str, list[str]]:
    """The page's form with a stand-in answer on each marked row, so the engine checks the other rows (its
    required check would refuse the marked ones); `without_marked` takes the stand-ins out again."""
    from survey.engine.answers import item_field

    getlist = getattr(form, "getlist", None)
    data = {
        key: (getlist(key) if getlist else list(v) if isinstance(v, list) else [v]) for key, v in form.items()
    }
    for item_id in marks:
        data[item_field(item_id)] = [question.codes[0]]
    return data


def without_marked(value: Any, marks: Mapping[str, str]) -> Any:
    """A rating set's stored value without its marked rows (None when no row is left)."""
    if not isinstance(value, dict):
        return value
    kept = {k: v for k, v in value.items() if k not in marks}
    return kept or None


@dataclass(frozen=True)
class Difference:
    """One question on which the two entries of a form disagree."""

    question_id: str
    question: str
    first: str
    second: str


def shown(q: Questionnaire, question: Question, value: Any, mark: Any, asked: bool = True) -> str:
    """An entry's value as staff read it: the option labels, the number or text, or the mark.

    `asked`: whether the entry's own answers route to the question ("Not asked (routing)" otherwise).
    """
    if not asked:
        return gettext(NOT_ASKED)
    if mark and not isinstance(mark, dict):
        return _mark(mark)
    labels = {option.code: q.text(option.label, q.language) for option in question.options}
    if isinstance(value, dict) or isinstance(mark, dict):
        values, marks = dict(value or {}), dict(mark or {})
        parts = []
        for item in question.items:
            if item.id in values:
                parts.append(
                    f"{q.text(item.text, q.language)}: {labels.get(str(values[item.id]), values[item.id])}"
                )
            elif item.id in marks:
                parts.append(f"{q.text(item.text, q.language)}: {_mark(marks[item.id])}")
        return "; ".join(parts) or gettext("Not answered")
    if value is None:
        return gettext("Not answered")
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), str(value))


def differences(
    q: Questionnaire,
    first: tuple[dict[str, Any], dict[str, Any]],
    second: tuple[dict[str, Any], dict[str, Any]],
) -> list[Difference]:
    """Questions (in questionnaire order) whose (answer, mark) differ between two entries of one form."""
    (answers_1, marks_1), (answers_2, marks_2) = first, second
    asked_1 = {x.id for x in walk(q, answers_1)[0]}
    asked_2 = {x.id for x in walk(q, answers_2)[0]}
    found: list[Difference] = []
    for question in q.questions:
        if not question.asks:
            continue
        one = (answers_1.get(question.id), marks_1.get(question.id))
        two = (answers_2.get(question.id), marks_2.get(question.id))
        if one != two:
            found.append(
                Difference(
                    question.id,
                    q.text(question.text, q.language),
                    shown(q, question, *one, asked=question.id in asked_1),
                    shown(q, question, *two, asked=question.id in asked_2),
                )
            )
    return found


@dataclass(frozen=True)
class Entered:
    """What the paper form says for one question, entered by whoever resolves the differences: the stored
    entries of its page (`{question id: value, question id + ".other": words}`) or a mark."""

    entries: dict[str, Any]
    mark: str | dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The form kept in the staff session between the entry page and the differences page."""
        return {"entries": dict(self.entries), "mark": self.mark}

    @classmethod
    def from_dict(cls, value: Any) -> Entered | None:
        """An `Entered` read back from the session (None when it is not one)."""
        if not isinstance(value, dict) or not isinstance(value.get("entries"), dict):
            return None
        mark = value.get("mark")
        return cls(dict(value["entries"]), mark if isinstance(mark, str | dict) else None)

    def shown(self, q: Questionnaire, question: Question) -> str:
        """The entered value (or mark) as staff read it."""
        return shown(q, question, self.entries.get(question.id), self.mark)


def _take(qid: str, target: dict[str, Any], source: Mapping[str, Any]) -> None:
    """Copy a question's value (and the words of its "other" option) from source, or drop it from target."""
    for key in (qid, qid + OTHER_SUFFIX):
        if source.get(key) is not None:
            target[key] = source[key]
        else:
            target.pop(key, None)


def resolved(
    chosen: dict[str, str],
    first: tuple[dict[str, Any], dict[str, Any]],
    second: tuple[dict[str, Any], dict[str, Any]],
    entered: Mapping[str, Entered] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers and marks kept: the first entry, with each question chosen "second" taken from the
    second entry and each chosen "entered" from what was entered for it."""
    answers, marks = dict(first[0]), dict(first[1])
    for qid, side in chosen.items():
        if side == "second":
            _take(qid, answers, second[0])
            _take(qid, marks, second[1])
        elif side == "entered" and entered and qid in entered:
            _take(qid, answers, entered[qid].entries)
            _take(qid, marks, {qid: entered[qid].mark})
    return answers, marks


@dataclass(frozen=True)
class Resolution:
    """What resolving a form's differences keeps, what the routing drops, and why it cannot be kept."""

    answers: dict[str, Any]
    marks: dict[str, Any]
    dropped: tuple[str, ...]  # texts of the questions whose answer or mark the routing no longer asks
    problems: dict[str, str]  # question id -> why the chosen answers cannot be stored together


def _missing_items(question: Question, value: Any, mark: Any) -> list[str]:
    """Items of a rating set neither answered nor marked."""
    answered, marked = dict(value or {}), dict(mark or {}) if isinstance(mark, dict) else {}
    return [i.id for i in question.items if i.id not in answered and i.id not in marked]


def check_keyed(q: Questionnaire, answers: dict[str, Any], marks: dict[str, Any]) -> Resolution:
    """The engine's routing and checks over a keyed form's answers and marks (see `resolve`)."""
    visible, kept = walk(q, answers)
    asked = {x.id for x in visible}
    dropped = [
        q.text(x.text, q.language)
        for x in q.questions
        if x.asks and x.id not in asked and (x.id in answers or x.id in marks)
    ]
    kept_marks = {qid: mark for qid, mark in marks.items() if qid in asked}
    problems: dict[str, str] = {}
    for question in visible:
        if not question.asks:
            continue
        text = q.text(question.text, q.language)
        value, mark = kept.get(question.id), kept_marks.get(question.id)
        if isinstance(mark, str):
            continue  # marked as a whole: missing, with its reason
        if question.type == "rating" and isinstance(mark, dict):
            if is_required(question, kept) and _missing_items(question, value, mark):
                problems[question.id] = gettext(
                    "“%(question)s” has rows neither chosen entry answers or marks", question=text
                )
            continue
        if value is None:
            if is_required(question, kept):
                problems[question.id] = gettext(
                    "“%(question)s” is asked after the answers chosen, but the entry chosen for it does not "
                    "answer it: choose the entry that does",
                    question=text,
                )
            continue
        errors = check_stored(question, value, today=today()) or cross_checks(question, value, kept, None)
        if errors:
            problems[question.id] = gettext("“%(question)s”: %(problem)s", question=text, problem=errors[0])
    return Resolution(kept, kept_marks, tuple(dropped), problems)


def resolve(
    q: Questionnaire,
    chosen: dict[str, str],
    first: tuple[dict[str, Any], dict[str, Any]],
    second: tuple[dict[str, Any], dict[str, Any]],
    entered: Mapping[str, Entered] | None = None,
) -> Resolution:
    """The chosen answers and marks, run through the routing and checks: never stores a contradiction."""
    return check_keyed(q, *resolved(chosen, first, second, entered))


def same_person(one: str, other: str) -> bool:
    """Whether two keyers' e-mail addresses are the same person (any case, surrounding spaces)."""
    return one.strip().casefold() == other.strip().casefold()


def second_person_problem(first_keyer: str, me: str, *, admin: bool, reason: str, doing: str) -> str | None:
    """Why `me` may not do `doing` ("second": key the second entry, "resolve": resolve the differences) to a
    form: the first keyer must not check their own keying. An admin may, with a reason (audited); None when
    allowed."""
    if not same_person(first_keyer, me):
        return None
    if admin and reason.strip():
        if len(reason.strip()) > REASON_LIMIT:
            return gettext("The reason must be %(limit)s characters or fewer", limit=REASON_LIMIT)
        return None
    if doing == "resolve":
        if admin:
            return gettext(
                "You keyed the first entry of this form: someone else must resolve the differences, or give "
                "your reason for doing it yourself"
            )
        return gettext("You keyed the first entry of this form: someone else must resolve the differences")
    if admin:
        return gettext(
            "You keyed the first entry of this form: someone else must key its second entry, or give your "
            "reason for doing it yourself"
        )
    return gettext("You keyed the first entry of this form: someone else must key its second entry")


def resolved_message(form_number: str, batch: str, dropped: tuple[str, ...]) -> str:
    """What the page says once a form is resolved, naming the answers the routing dropped."""
    if not dropped:
        return gettext("Form %(form)s of batch %(batch)s is verified", form=form_number, batch=batch)
    return ngettext(
        "Form %(form)s of batch %(batch)s is verified. The answers chosen do not lead to %(names)s, so that "
        "answer was dropped",
        "Form %(form)s of batch %(batch)s is verified. The answers chosen do not lead to %(names)s, so those "
        "answers were dropped",
        len(dropped),
        form=form_number,
        batch=batch,
        names=", ".join(f"“{text}”" for text in dropped),
    )
