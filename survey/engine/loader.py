"""Loading definitions: read the file, check the schema and semantics, build the immutable model."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from survey.engine.conditions import parse_condition
from survey.engine.errors import DefinitionError, Problem, ValidationResult, pointer, problem
from survey.engine.model import (
    ITEM_TYPES,
    Check,
    DemographicMapping,
    Net,
    Option,
    Owner,
    Question,
    Questionnaire,
    Range,
    RatingItem,
    Section,
    SupportContact,
    TimeBudget,
)
from survey.engine.schema import schema_problems
from survey.engine.semantic_more import ReferenceCatalogue
from survey.engine.text import Text


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def parse_json(text: str, file: str = "") -> tuple[Any, list[Problem]]:
    """Parse JSON text, reporting syntax errors with line and column and refusing duplicate keys."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates), []
    except _DuplicateKey as exc:
        return None, [problem("DUPLICATE_KEY", "", file=file, key=exc.key)]
    except json.JSONDecodeError as exc:
        return None, [
            problem("MALFORMED_JSON", "", file=file, line=exc.lineno, column=exc.colno, reason=exc.msg)
        ]
    except RecursionError:
        return None, [problem("MALFORMED_JSON", "", file=file, line=1, column=1, reason="nested too deeply")]
    except ValueError:  # an integer of more than 4,300 digits (Python's limit on converting them)
        reason = "a number has too many digits"
        return None, [problem("MALFORMED_JSON", "", file=file, line=1, column=1, reason=reason)]


def _date(raw: Any) -> date | None:
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
    except ValueError:
        return None


def _text(raw: Any, lang: str) -> Text | None:
    return Text.of(raw, lang) if raw is not None else None


def _options(raw: Any, lang: str) -> tuple[Option, ...]:
    return tuple(
        Option(
            code=o["code"],
            label=Text.of(o["label"], lang),
            kind=o.get("kind", "answer"),
            exclusive=bool(o.get("exclusive", False)) or o.get("kind") == "none",
            hint=_text(o.get("hint"), lang),
            other=bool(o.get("other", False)),
            show_if=_condition(o.get("show_if")),
        )
        for o in raw or ()
    )


def _condition(raw: Any) -> Any:
    return parse_condition(raw) if raw is not None else None


def _question(raw: Mapping[str, Any], section_id: str, path: str, lang: str) -> Question:
    kind = raw["type"]
    show_if = raw.get("show_if")
    return Question(
        id=raw["id"],
        type=kind,
        text=Text.of(raw["text"], lang),
        section_id=section_id,
        path=path,
        hint=_text(raw.get("hint"), lang),
        required=kind == "consent"
        or (bool(raw.get("required", True)) and kind != "info" and raw.get("required_if") is None),
        show_if=parse_condition(show_if) if show_if is not None else None,
        sensitive=bool(raw.get("sensitive", False)),
        options=_options(raw.get("scale") if kind == "rating" else raw.get("options"), lang),
        items=tuple(RatingItem(i["id"], Text.of(i["text"], lang)) for i in raw.get("items") or ())
        if kind in ITEM_TYPES
        else (),
        max_length=int(raw.get("max_length", 2000)),
        multiline=bool(raw.get("multiline", True)),
        min=raw.get("min"),
        max=raw.get("max"),
        suffix=_text(raw.get("suffix"), lang),
        style=raw.get("style", "information"),
        body=_text(raw.get("body"), lang),
        show_support_contacts=bool(raw.get("show_support_contacts", False)),
        error_subject=_text(raw.get("error_subject"), lang),
        places=int(raw.get("places", 2)),
        dont_know=_text(raw.get("dont_know"), lang),
        format=raw.get("format"),
        pattern=raw.get("pattern"),
        min_date=raw.get("min_date"),
        max_date=raw.get("max_date"),
        keep=raw.get("keep", "outward"),
        label=_text(raw.get("consent_label"), lang),
        rank_count=raw.get("rank_count"),
        required_if=_condition(raw.get("required_if")),
        checks=tuple(
            Check(parse_condition(c["when"]), Text.of(c["message"], lang), f"{path}/checks/{i}")
            for i, c in enumerate(raw.get("checks") or ())
        ),
        errors=tuple((k, Text.of(v, lang)) for k, v in (raw.get("errors") or {}).items()),
        headline=bool(raw.get("headline", False)),
        nets=tuple(Net(tuple(n["codes"]), Text.of(n["label"], lang)) for n in raw.get("net") or ()),
        required_as_written=bool(raw.get("required", True)),
    )


def _section(raw: Mapping[str, Any], index: int, lang: str) -> Section:
    path = f"/sections/{index}"
    show_if = raw.get("show_if")
    return Section(
        id=raw["id"],
        title=Text.of(raw["title"], lang),
        path=path,
        intro=_text(raw.get("intro"), lang),
        sensitive=bool(raw.get("sensitive", False)),
        show_if=parse_condition(show_if) if show_if is not None else None,
        questions=tuple(
            _question(q, raw["id"], f"{path}/questions/{j}", lang)
            for j, q in enumerate(raw.get("questions", ()))
        ),
    )


def demographic_mapping(raw: Mapping[str, Any], index: int = 0) -> DemographicMapping:
    """One `demographics` entry of a validated definition as the typed mapping."""
    return _mapping(raw, index)


def _mapping(raw: Mapping[str, Any], index: int) -> DemographicMapping:
    return DemographicMapping(
        dimension=raw["dimension"],
        question=raw["question"],
        path=f"/demographics/{index}",
        map=tuple((str(k), v) for k, v in (raw.get("map") or {}).items()),
        ranges=tuple(Range(r.get("min"), r.get("max"), r.get("category")) for r in raw.get("ranges") or ()),
    )


def build(data: Mapping[str, Any], source: str = "") -> Questionnaire:
    """Build the model from a definition that has passed the schema check."""
    lang = data["language"]
    owner = data.get("owner")
    budget = data.get("time_budget") or {}
    population = data.get("population_filter")
    return Questionnaire(
        id=data["id"],
        version=data["version"],
        language=lang,
        languages=tuple(data.get("languages") or (lang,)),
        title=Text.of(data["title"], lang),
        sections=tuple(_section(s, i, lang) for i, s in enumerate(data["sections"])),
        raw=copy.deepcopy(dict(data)),
        description=_text(data.get("description"), lang),
        owner=Owner(**{k: v for k, v in owner.items() if k in Owner.__dataclass_fields__}) if owner else None,
        opens=_date(data.get("opens")),
        closes=_date(data.get("closes")),
        privacy=_text(data.get("privacy"), lang),
        results=_text(data.get("results"), lang),
        exit_url=data.get("exit_url"),
        support_contacts=tuple(
            SupportContact(
                Text.of(c["name"], lang),
                c.get("phone"),
                c.get("url"),
                _text(c.get("hours"), lang),
                _text(c.get("description"), lang),
            )
            for c in data.get("support_contacts") or ()
        ),
        time_budget=TimeBudget(int(budget.get("max_questions", 30)), float(budget.get("max_minutes", 10))),
        population_filter=parse_condition(population) if population is not None else None,
        demographics=tuple(_mapping(m, i) for i, m in enumerate(data.get("demographics") or ())),
        source=source,
        reference=reference_name(data),
        population_name=_text(data.get("population_name"), lang),
    )


def reference_name(data: Mapping[str, Any]) -> str | None:
    """The reference population a definition names: its "reference" (or "x-reference") key, else None."""
    for key in ("reference", "x-reference"):
        name = data.get(key)
        if isinstance(name, str) and name:
            return name
    return None


MAX_DEPTH = 50


def _too_deep(data: Any) -> list[Problem]:
    """A TOO_DEEP problem when nesting exceeds MAX_DEPTH (checked without recursion)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return [problem("TOO_DEEP", pointer(*path[:MAX_DEPTH]), limit=MAX_DEPTH)]
        if isinstance(node, Mapping):
            stack += [(v, (*path, str(k))) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, (*path, i)) for i, v in enumerate(node)]
    return []


def validate_dict(
    data: Any, file: str = "", *, paths: bool = True, references: ReferenceCatalogue | None = None
) -> ValidationResult:
    """Validate a parsed definition: schema, then semantics, then path analysis; never raises.

    `references`: the reference populations known here, to check demographic mappings against.
    """
    from survey.engine.semantic import semantic_problems

    problems = _too_deep(data) or schema_problems(data)
    questionnaire: Questionnaire | None = None
    if not problems:
        questionnaire = build(data, file)
        problems = semantic_problems(questionnaire, data, with_paths=paths, references=references)
    problems = [p.with_file(file) for p in problems]
    errors = tuple(p for p in problems if p.severity == "error")
    warnings = tuple(p for p in problems if p.severity == "warning")
    return ValidationResult(None if errors else questionnaire, errors, warnings)


def validate_file(path: str | Path, *, references: ReferenceCatalogue | None = None) -> ValidationResult:
    """Read and validate a definition file; problems name the file by its base name."""
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return ValidationResult(None, (problem("FILE_NOT_FOUND", "", file=name, reason=exc.strerror or exc),))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ValidationResult(None, (problem("NOT_UTF8", "", file=name, reason=exc.reason),))
    data, problems = parse_json(text, name)
    if problems:
        return ValidationResult(None, tuple(problems))
    return validate_dict(data, name, references=references)


def _raise_if_errors(result: ValidationResult) -> Questionnaire:
    if result.errors or result.questionnaire is None:
        raise DefinitionError(result.errors + result.warnings)
    return result.questionnaire


def load_file(path: str | Path) -> Questionnaire:
    """Load a definition file into a Questionnaire; raises DefinitionError carrying the Problems."""
    return _raise_if_errors(validate_file(path))


def load_dict(data: Any, file: str = "") -> Questionnaire:
    """Load a parsed definition into a Questionnaire; raises DefinitionError carrying the Problems."""
    return _raise_if_errors(validate_dict(data, file))
