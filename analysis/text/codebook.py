"""Codebooks: themes with keywords, phrases and examples, loaded from and saved to versioned JSON files."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from analysis.text import nlp
from analysis.text.normalise import clean

_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_TERMS = {"type": "array", "items": {"type": "string", "minLength": 1}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "version", "themes"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": _ID},
        "version": {"type": "string", "pattern": _SEMVER.pattern},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "language": {"type": "string"},
        "questionnaires": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "themes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "label"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": _ID},
                    "label": {"type": "string", "minLength": 1},
                    "description": {"type": "string"},
                    "keywords": _TERMS,
                    "exact_keywords": _TERMS,
                    "phrases": _TERMS,
                    "negation_exempt": _TERMS,
                    "negatable": {"type": "boolean"},
                    "examples": _TERMS,
                },
            },
        },
    },
}
DEFAULT_CODEBOOK = "community-safety"


@dataclass(frozen=True)
class Problem:
    """One fault in a codebook file: where (JSON pointer) and what."""

    path: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{where}{self.path or '/'}: {self.message}"


class CodebookError(ValueError):
    """A codebook file could not be loaded; `problems` lists every fault found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Theme:
    """A theme: id, label, description, matching terms and example answers."""

    id: str
    label: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    exact_keywords: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    negation_exempt: tuple[str, ...] = ()
    negatable: bool = True
    examples: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every matching term of the theme (keywords, exact keywords and phrases)."""
        return self.keywords + self.exact_keywords + self.phrases


@dataclass(frozen=True)
class Codebook:
    """A versioned list of themes for one questionnaire's free-text questions."""

    id: str
    version: str
    themes: tuple[Theme, ...]
    title: str = ""
    description: str = ""
    language: str = "en-GB"
    questionnaires: tuple[str, ...] = ()  # ids of the questionnaires this codebook serves
    _index: Mapping[str, Theme] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {t.id: t for t in self.themes})

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id (KeyError if absent)."""
        return self._index[theme_id]

    @property
    def theme_ids(self) -> tuple[str, ...]:
        """Theme ids in codebook order."""
        return tuple(t.id for t in self.themes)


def term_stems(term: str) -> tuple[str, ...]:
    """The stem sequence a term matches, normalised exactly as answers are."""
    return tuple(nlp.stem(tok) for tok in nlp.tokenise(clean(term)) if tok not in nlp.PUNCTUATION)


def validate_codebook_dict(data: Any, file: str = "") -> list[Problem]:
    """Every problem in a codebook dict: structure (JSON Schema) first, then meaning."""
    from jsonschema import Draft202012Validator

    problems = [
        Problem("/" + "/".join(str(p) for p in err.absolute_path), err.message, file)
        for err in sorted(Draft202012Validator(SCHEMA).iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        return problems
    seen_ids: dict[str, int] = {}
    for i, theme in enumerate(data["themes"]):
        where = f"/themes/{i}"
        if theme["id"] in seen_ids:
            problems.append(
                Problem(
                    f"{where}/id",
                    f"duplicate theme id '{theme['id']}' (also /themes/{seen_ids[theme['id']]})",
                    file,
                )
            )
        seen_ids.setdefault(theme["id"], i)
        problems.extend(_theme_problems(theme, where, file))
    if not data["themes"]:
        problems.append(Problem("/themes", "a codebook needs at least one theme", file))
    return problems


def _theme_problems(theme: Mapping[str, Any], where: str, file: str) -> list[Problem]:
    problems: list[Problem] = []
    for key in ("keywords", "exact_keywords", "phrases"):
        for j, term in enumerate(theme.get(key, [])):
            stems = term_stems(term)
            if not stems:
                problems.append(
                    Problem(f"{where}/{key}/{j}", f"'{term}' has no letters or digits to match", file)
                )
            elif key == "exact_keywords" and len(stems) > 1:
                problems.append(
                    Problem(f"{where}/{key}/{j}", f"exact keyword '{term}' must be one word", file)
                )
    terms = (
        set(theme.get("keywords", [])) | set(theme.get("exact_keywords", [])) | set(theme.get("phrases", []))
    )
    for j, term in enumerate(theme.get("negation_exempt", [])):
        if term not in terms:
            problems.append(
                Problem(
                    f"{where}/negation_exempt/{j}",
                    f"'{term}' is not one of this theme's keywords or phrases",
                    file,
                )
            )
    if not terms:
        problems.append(Problem(where, f"theme '{theme['id']}' has no keywords or phrases", file))
    return problems


def codebook_from_dict(data: Any, file: str = "") -> Codebook:
    """Build a Codebook from a dict, or raise CodebookError with every problem found."""
    problems = validate_codebook_dict(data, file)
    if problems:
        raise CodebookError(problems)
    themes = tuple(
        Theme(
            id=t["id"],
            label=t["label"],
            description=t.get("description", ""),
            keywords=tuple(t.get("keywords", ())),
            exact_keywords=tuple(t.get("exact_keywords", ())),
            phrases=tuple(t.get("phrases", ())),
            negation_exempt=tuple(t.get("negation_exempt", ())),
            negatable=t.get("negatable", True),
            examples=tuple(t.get("examples", ())),
        )
        for t in data["themes"]
    )
    return Codebook(
        data["id"],
        data["version"],
        themes,
        data.get("title", ""),
        data.get("description", ""),
        data.get("language", "en-GB"),
        tuple(data.get("questionnaires", ())),
    )


def load_codebook(path: str | Path) -> Codebook:
    """Load and validate a codebook JSON file; CodebookError lists each problem as `file: /path: message`."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CodebookError([Problem("", f"cannot read the file: {exc.strerror or exc}", name)]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CodebookError(
            [Problem("", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", name)]
        ) from exc
    return codebook_from_dict(data, name)


def default_codebook() -> Codebook:
    """The shipped community-safety codebook (analysis/codebooks/community-safety.json)."""
    ref = resources.files("analysis").joinpath(f"codebooks/{DEFAULT_CODEBOOK}.json")
    return codebook_from_dict(
        json.loads(ref.read_text(encoding="utf-8")), f"codebooks/{DEFAULT_CODEBOOK}.json"
    )


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The JSON-ready dict of a codebook (empty optional fields left out)."""
    themes = []
    for t in codebook.themes:
        item: dict[str, Any] = {"id": t.id, "label": t.label, "description": t.description}
        for key in ("keywords", "exact_keywords", "phrases", "negation_exempt"):
            if getattr(t, key):
                item[key] = list(getattr(t, key))
        if not t.negatable:
            item["negatable"] = False
        item["examples"] = list(t.examples)
        themes.append(item)
    return {
        "id": codebook.id,
        "version": codebook.version,
        "title": codebook.title,
        "description": codebook.description,
        "language": codebook.language,
        **({"questionnaires": list(codebook.questionnaires)} if codebook.questionnaires else {}),
        "themes": themes,
    }


def save_codebook(codebook: Codebook, path: str | Path) -> None:
    """Validate and write a codebook as indented JSON (atomically: a temporary file then a rename)."""
    data = codebook_to_dict(codebook)
    problems = validate_codebook_dict(data, str(path))
    if problems:
        raise CodebookError(problems)
    target = Path(path)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(target)


def bump_version(version: str, part: str = "minor") -> str:
    """Next semantic version: `major`, `minor` (new themes) or `patch` (edits)."""
    match = _SEMVER.match(version)
    if not match:
        raise ValueError(f"version '{version}' is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(g) for g in match.groups())
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def with_theme(codebook: Codebook, theme: Theme) -> Codebook:
    """A new codebook version with a theme added (or replaced, keeping its place)."""
    if theme.id in codebook.theme_ids:
        themes = tuple(theme if t.id == theme.id else t for t in codebook.themes)
        version = bump_version(codebook.version, "patch")
    else:
        themes = (*codebook.themes, theme)
        version = bump_version(codebook.version, "minor")
    return replace(codebook, version=version, themes=themes)


def without_theme(codebook: Codebook, theme_id: str) -> Codebook:
    """A new major version without a theme (reports comparing with older versions lose it)."""
    if theme_id not in codebook.theme_ids:
        raise ValueError(f"the codebook has no theme '{theme_id}'")
    if len(codebook.themes) == 1:
        raise ValueError("a codebook needs at least one theme")
    themes = tuple(t for t in codebook.themes if t.id != theme_id)
    return replace(codebook, version=bump_version(codebook.version, "major"), themes=themes)


def codebook_from_descriptions(
    codebook_id: str, themes: Sequence[Mapping[str, str]], *, version: str = "1.0.0"
) -> Codebook:
    """A starter codebook from theme ids, labels and descriptions: their content words become keywords."""
    built: list[Theme] = []
    stop = nlp.stopwords()
    for item in themes:
        words: dict[tuple[str, ...], str] = {}
        for tok in nlp.tokenise(clean(f"{item['label']} {item.get('description', '')}")):
            if tok not in stop and tok not in nlp.PUNCTUATION and len(tok) > 2 and not tok.isdigit():
                words.setdefault(term_stems(tok), tok)
        theme_id = re.sub(r"[^A-Za-z0-9_-]+", "_", str(item["id"])).strip("_-") or f"theme_{len(built) + 1}"
        built.append(Theme(theme_id, item["label"], item.get("description", ""), tuple(words.values())))
    # A word in many themes' descriptions ("gambling" in every gambling theme) tells them apart from nothing.
    spread = Counter(term_stems(w) for t in built for w in t.keywords)
    limit = max(2, len(built) // 4)
    built = [
        replace(t, keywords=tuple(w for w in t.keywords if spread[term_stems(w)] <= limit)) for t in built
    ]
    return Codebook(codebook_id, version, tuple(built))
