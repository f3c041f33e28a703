"""Reference populations: load, validate and look up census shares (format in docs/reference-data.md)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.reference.catalogue import DIMENSIONS, DimensionInfo, comparator_of
from survey.engine import Questionnaire

SHIPPED_DIR = Path(__file__).resolve().parent
DEFAULT_REFERENCE = "milton-keynes-census-2021"
COLUMNS = ("dimension", "category", "count", "share", "source")
MAX_PHRASE = 100
OPTIONAL_COLUMNS = ("phrase",)  # how reports name the people in a category ("women"); may be left out
SHARE_TOLERANCE = 0.002  # shares are usually rounded to 4 places; 19 rounded shares can be off by ~0.001
AGREEMENT_TOLERANCE = 0.005  # a given share and its count's share of the dimension total must agree
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Category:
    """One row of a reference file: a category of a dimension with its count, share and source."""

    name: str
    count: int | None
    share: float | None
    source: str
    line: int
    phrase: str = ""  # optional: the people in it as they follow "among" (analysis.reference.phrases)


@dataclass(frozen=True)
class Dimension:
    """A dimension (e.g. age_adult16plus) and its categories, in file order."""

    name: str
    categories: tuple[Category, ...]
    info: DimensionInfo
    comparator_for: str | None = None  # e.g. "tenure_households_grouped" for ENGLAND_tenure_...

    @property
    def shares(self) -> dict[str, float]:
        """Category -> share of the dimension, rescaled to add up to exactly 1."""
        values = [c.share if c.share is not None else float(c.count or 0) for c in self.categories]
        total = sum(values)
        return {c.name: (v / total if total else 0.0) for c, v in zip(self.categories, values, strict=True)}

    @property
    def phrases(self) -> dict[str, str]:
        """Category -> the file's phrase for its people, for categories that have one."""
        return {c.name: c.phrase for c in self.categories if c.phrase}

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct sources of the dimension's rows, in order."""
        return tuple(dict.fromkeys(c.source for c in self.categories))


@dataclass(frozen=True)
class Reference:
    """A reference population: named dimensions of census shares for one area."""

    name: str
    path: str
    dimensions: tuple[Dimension, ...]

    def dimension(self, name: str) -> Dimension:
        """The dimension called name; KeyError with the available names otherwise."""
        for dim in self.dimensions:
            if dim.name == name:
                return dim
        raise KeyError(f"reference {self.name!r} has no dimension {name!r}; it has: {', '.join(self.names)}")

    @property
    def names(self) -> tuple[str, ...]:
        """Names of all dimensions, in file order."""
        return tuple(d.name for d in self.dimensions)

    @property
    def margins(self) -> tuple[str, ...]:
        """Names of the dimensions usable as margins (not totals, not comparators)."""
        return tuple(d.name for d in self.dimensions if d.info.margin and d.comparator_for is None)


@dataclass(frozen=True)
class Problem:
    """One fault in a reference file, with its line number."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ReferenceDataError(ValueError):
    """A reference file is malformed; problems lists every fault found with its line."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


def parse_reference(text: str, name: str, source: str = "<text>") -> Reference:
    """Parse and validate reference CSV text; raises ReferenceDataError listing every problem."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise ReferenceDataError(
            source, [Problem(1, "the file is empty; expected a header row: " + ",".join(COLUMNS))]
        )
    header = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ReferenceDataError(
            source,
            [
                Problem(
                    1, f"missing column(s): {', '.join(missing)} (the header must name {', '.join(COLUMNS)})"
                )
            ],
        )
    col = {c: header.index(c) for c in (*COLUMNS, *OPTIONAL_COLUMNS) if c in header}
    rows: dict[str, list[Category]] = {}
    faulty: set[str] = set()  # dimensions with a bad row: whole-dimension checks would only repeat it
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            problems.append(Problem(line, f"expected {len(header)} fields, found {len(fields)}"))
            continue
        cells = {"phrase": "", **{c: fields[i].strip() for c, i in col.items()}}
        row = _parse_row(cells, line, problems)
        if row is None:
            faulty.add(cells["dimension"])
        else:
            dim, cat = row
            seen = next((c for c in rows.get(dim, []) if c.name == cat.name), None)
            if seen is not None:
                problems.append(
                    Problem(
                        line,
                        f"duplicate category {cat.name!r} in dimension {dim!r} (first on line {seen.line})",
                    )
                )
                faulty.add(dim)
                continue
            rows.setdefault(dim, []).append(cat)
    dimensions = [_check_dimension(dim, cats, problems) for dim, cats in rows.items() if dim not in faulty]
    if not rows and not problems:
        problems.append(Problem(2, "the file has a header but no rows"))
    if problems:
        raise ReferenceDataError(source, sorted(problems, key=lambda p: p.line))
    return Reference(name=name, path=source, dimensions=tuple(dimensions))


def _parse_row(cells: dict[str, str], line: int, problems: list[Problem]) -> tuple[str, Category] | None:
    """One data row -> (dimension, Category), or None after recording its problems."""
    before = len(problems)
    dim, cat = cells["dimension"], cells["category"]
    if not dim:
        problems.append(Problem(line, "dimension is empty"))
    elif dim not in DIMENSIONS and comparator_of(dim) is None:
        problems.append(
            Problem(
                line,
                f"unknown dimension {dim!r}; known dimensions: "
                f"{', '.join(DIMENSIONS)} (comparators: AREA_<dimension>, "
                f"e.g. ENGLAND_tenure_households_grouped)",
            )
        )
    if not cat:
        problems.append(Problem(line, "category is empty"))
    count = _number(cells["count"], "count", line, problems, integer=True)
    share = _number(cells["share"], "share", line, problems, integer=False)
    if count is not None and count < 0:
        problems.append(Problem(line, f"count {cells['count']} is negative"))
    if share is not None and not 0 <= share <= 1:
        problems.append(
            Problem(
                line,
                f"share {cells['share']} is outside 0 to 1 (give shares as "
                f"fractions, e.g. 0.1233 for 12.33%)",
            )
        )
    if not cells["count"] and not cells["share"]:
        problems.append(Problem(line, "count and share are both empty; give at least one"))
    if not cells["source"]:
        problems.append(Problem(line, "source is empty; say where the figure comes from"))
    if len(cells["phrase"]) > MAX_PHRASE:
        problems.append(
            Problem(
                line,
                f"phrase is {len(cells['phrase'])} characters long; keep it under {MAX_PHRASE} "
                "(the people in the category as they follow 'among', e.g. 'people aged 16 to 24')",
            )
        )
    if len(problems) > before:
        return None
    phrase = " ".join(cells["phrase"].split())
    return dim, Category(cat, int(count) if count is not None else None, share, cells["source"], line, phrase)


def _number(text: str, what: str, line: int, problems: list[Problem], *, integer: bool) -> float | None:
    """Parse a count or share cell; empty gives None; bad text records a problem."""
    if not text:
        return None
    try:
        value = int(text.replace(",", "")) if integer else float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number between 0 and 1"
        problems.append(Problem(line, f"{what} {text!r} is not {kind}"))
        return None
    return float(value)


def _check_dimension(name: str, cats: list[Category], problems: list[Problem]) -> Dimension:
    """Check a whole dimension: known categories, shares adding to 1, counts agreeing with shares."""
    base = comparator_of(name)
    info = DIMENSIONS[base or name]
    first = cats[0].line
    if info.categories is not None:
        for cat in cats:
            if cat.name not in info.categories:
                problems.append(
                    Problem(
                        cat.line,
                        f"unknown category {cat.name!r} for dimension {name!r}; "
                        f"expected one of: {', '.join(info.categories)}",
                    )
                )
        absent = [c for c in info.categories if c not in {cat.name for cat in cats}]
        if absent:
            problems.append(Problem(first, f"dimension {name!r} lacks categories: {', '.join(absent)}"))
    if info.margin:
        _check_shares(name, cats, problems)
    return Dimension(name=name, categories=tuple(cats), info=info, comparator_for=base)


def _check_shares(name: str, cats: list[Category], problems: list[Problem]) -> None:
    """Shares of a margin add up to 1 (within rounding) and agree with the counts when both are given."""
    where = f"dimension {name!r} (lines {cats[0].line}-{cats[-1].line})"
    shares = [c.share for c in cats]
    counts = [c.count for c in cats]
    if any(s is None for s in shares):
        if any(c is None for c in counts):
            problems.append(Problem(cats[0].line, f"{where}: every row needs a share, or every row a count"))
        elif sum(c or 0 for c in counts) == 0:
            problems.append(Problem(cats[0].line, f"{where}: counts add up to 0"))
        return
    total = sum(s or 0.0 for s in shares)
    if abs(total - 1) > SHARE_TOLERANCE:
        problems.append(Problem(cats[0].line, f"{where}: shares add up to {total:.4f}, not 1"))
        return
    if all(c is not None for c in counts) and sum(c or 0 for c in counts) > 0:
        count_total = sum(c or 0 for c in counts)
        for cat in cats:
            implied = (cat.count or 0) / count_total
            if abs(implied - (cat.share or 0.0)) > AGREEMENT_TOLERANCE:
                problems.append(
                    Problem(
                        cat.line,
                        f"share {cat.share} disagrees with count {cat.count} "
                        f"({implied:.4f} of the dimension's total {count_total})",
                    )
                )


def load_reference(path: str | Path, name: str | None = None) -> Reference:
    """Load and validate a reference CSV file (name defaults to the file's stem)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(str(p), [Problem(1, f"the file is not UTF-8 text ({exc.reason})")]) from exc
    return parse_reference(text, name or p.stem, str(p))


def shipped_references() -> dict[str, Path]:
    """Reference files shipped with the service: name -> path."""
    return {p.stem: p for p in sorted(SHIPPED_DIR.glob("*.csv"))}


def available_references(imported_dir: str | Path | None = None) -> dict[str, Path]:
    """Shipped references plus those imported into imported_dir (imported names cannot shadow shipped)."""
    found = shipped_references()
    if imported_dir is not None and Path(imported_dir).is_dir():
        for p in sorted(Path(imported_dir).glob("*.csv")):
            found.setdefault(p.stem, p)
    return found


def resolve_reference(name: str | None = None, imported_dir: str | Path | None = None) -> Reference:
    """Load the reference called name (default: the shipped Milton Keynes figures)."""
    wanted = name or DEFAULT_REFERENCE
    found = available_references(imported_dir)
    if wanted not in found:
        raise KeyError(f"no reference population called {wanted!r}; available: {', '.join(found)}")
    return load_reference(found[wanted], wanted)


def reference_name_for(questionnaire: Questionnaire) -> str:
    """The reference a questionnaire uses: the one it names (`reference`, `x-reference`), else the default."""
    return questionnaire.reference or DEFAULT_REFERENCE


__all__ = [
    "Category",
    "Dimension",
    "Reference",
    "Problem",
    "ReferenceDataError",
    "DEFAULT_REFERENCE",
    "parse_reference",
    "load_reference",
    "shipped_references",
    "available_references",
    "resolve_reference",
    "reference_name_for",
    "NAME_PATTERN",
    "COLUMNS",
    "OPTIONAL_COLUMNS",
]
