"""The constraints a reader can build from a report's JSON (analysis.report.jsonout), for the auditor.

Everything comes from the document itself, so `survey disclosure audit FILE.json` needs nothing else:
question tables (counts, bases, percentages to 4 decimal places, single-choice rows adding up to their
base, multiple-choice cells at most their base and adding up to at least it), number bands, theme counts
(at most the answers, with their percentages), channel and mode tallies (adding up to the headline), the
responses per day (adding up to the headline) and the routing links the report lists in its `disclosure`
block (a question asked only to those who gave some answers to another: its base equals, or is at most,
the sum of those answers' counts). Rounded counts (a public output's rounding base) become intervals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analysis.disclosure.auditor import EPS, INF, CellRange, System, audit
from analysis.disclosure.routing import atoms, components, has, holds, merged_parents, routing
from survey.engine import Questionnaire

SHARE_HALF_STEP = 0.00005  # shares are published as fractions rounded to 4 decimal places


FLAGGED = ("under", "fine", "over")  # flags that say which way a group leans ("small": too small to judge)


def profile_var(dimension: str, category: str) -> str:
    """A group's count in the profile ('' as category: the dimension's prefix)."""
    return f"profile {dimension}: {category}"


def question_key(qid: str, item: str | None) -> str:
    return f"question {qid}" + (f" item {item}" if item else "")


def base_var(key: str) -> str:
    return f"{key}: base"


def cell_var(key: str, code: str) -> str:
    return f"{key}: {code}"


def routing_links(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """The links a questionnaire's routing makes between tables (analysis.disclosure.routing).

    {"question", "parent", "codes", "equal"}: the question's base equals (required) or is at most
    (optional) the sum of the parent's counts for those codes (a one-clause `equals`/`in` condition on a
    single-choice question); parent None: a required question asked of everyone, whose base is the number
    of complete responses. {"question", "condition", "parents", "equal"}: any other condition on choice
    questions (as JSON), turned into constraints on atoms (routing.py). Questions whose routing cannot be
    modelled are in `routing(questionnaire).unmodelled`; protected outputs hide their tables whole.
    """
    return list(routing(questionnaire).links)


class _Builder:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        block = doc.get("disclosure") or {}
        self.rounding = block.get("rounding") or None
        self.total = _int(doc.get("headline", {}).get("complete"))
        self.upper = float(self.total) if self.total is not None else INF
        self.system = System()

    def count(self, name: str, value: Any, upper: float | None = None) -> None:
        """A count as shown: fixed, an interval when rounded, hidden (audited) when None."""
        bound = self.upper if upper is None else upper
        if value is None:
            self.system.var(name, hidden=True, upper=bound)
            return
        self.system.var(name, upper=bound)
        if self.rounding:
            half = self.rounding / 2
            self.system.between(name, max(0.0, value - half), value + half)
        else:
            self.system.fix(name, value)

    def share(self, count: str, base: str, share: Any, half_step: float = SHARE_HALF_STEP) -> None:
        if isinstance(share, int | float) and not isinstance(share, bool):
            self.system.share(count, base, float(share), half_step)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def report_system(doc: Mapping[str, Any]) -> System:
    """Every constraint the document's figures give on its counts (see the module docstring)."""
    b = _Builder(doc)
    if b.total is not None:
        b.system.var("total complete")
        b.system.fix("total complete", b.total)
    half = SHARE_HALF_STEP
    decimals = (doc.get("disclosure") or {}).get("share_decimals")
    if decimals is not None:
        half = 0.5 * 10 ** -int(decimals)
    _questions(b, doc, half)
    _numbers(b, doc, half)
    _themes(b, doc, half)
    _tallies(b, doc)
    _links(b, doc)
    _profile(b, doc)
    return b.system


def _questions(b: _Builder, doc: Mapping[str, Any], half: float) -> None:
    s = b.system
    for q in doc.get("questions", []):
        key = question_key(str(q.get("id")), q.get("item"))
        base = base_var(key)
        b.count(base, q.get("base"))
        cells = []
        for row in q.get("rows", []):
            name = cell_var(key, str(row.get("code")))
            cells.append(name)
            b.count(name, row.get("count"))
            b.share(name, base, row.get("share"), half)
            if q.get("type") == "multiple":
                s.constrain({name: 1.0, base: -1.0}, hi=0.0)
        if cells and q.get("type") in ("single", "rating"):
            s.equal({**dict.fromkeys(cells, 1.0), base: -1.0}, 0.0)
        elif cells and q.get("type") == "multiple":
            s.constrain({**dict.fromkeys(cells, 1.0), base: -1.0}, lo=0.0)


def _numbers(b: _Builder, doc: Mapping[str, Any], half: float) -> None:
    for n in doc.get("numbers", []):
        key = f"number {n.get('id')}"
        base = base_var(key)
        b.count(base, n.get("base"))
        cells = []
        for label, count, share in n.get("bands", []):
            name = cell_var(key, str(label))
            cells.append(name)
            b.count(name, count)
            b.share(name, base, share, half)
        if cells:
            b.system.equal({**dict.fromkeys(cells, 1.0), base: -1.0}, 0.0)


def _themes(b: _Builder, doc: Mapping[str, Any], half: float) -> None:
    for block in doc.get("themes", []):
        key = f"themes of {block.get('question')}"
        base = base_var(key)
        b.count(base, block.get("answered"))
        for t in block.get("themes", []):
            name = cell_var(key, str(t.get("id")))
            b.count(name, t.get("respondents"))
            b.share(name, base, t.get("share"), half)
            b.system.constrain({name: 1.0, base: -1.0}, hi=0.0)


def _links(b: _Builder, doc: Mapping[str, Any]) -> None:
    s = b.system
    links = (doc.get("disclosure") or {}).get("links", [])
    _atom_links(b, doc, links)
    for link in links:
        if link.get("condition") is not None:
            continue
        if link.get("parent") is None:
            for q in doc.get("questions", []):
                if str(q.get("id")) == str(link["question"]) and b.total is not None:
                    s.equal({base_var(question_key(str(q.get("id")), q.get("item"))): 1.0}, b.total)
            continue
        parent = question_key(str(link["parent"]), None)
        names = [cell_var(parent, str(c)) for c in link.get("codes", [])]
        if not all(n in s.index for n in names):
            continue
        for key, exact in _routed_bases(b, doc, str(link["question"])):
            coefs = {**dict.fromkeys(names, 1.0), base_var(key): -1.0}
            if link.get("equal") and exact:
                s.equal(coefs, 0.0)
            else:
                s.constrain(coefs, lo=0.0)


def _routed_bases(b: _Builder, doc: Mapping[str, Any], question: str) -> list[tuple[str, bool]]:
    """The published bases a routed question's condition bounds, and whether an `equal` link makes them
    exact: its own table's base (exact), else each rating item's base or the number table's base (those
    who answered that item or gave a number: at most those asked)."""
    own = question_key(question, None)
    if base_var(own) in b.system.index:
        return [(own, True)]
    number = f"number {question}"
    if base_var(number) in b.system.index:
        return [(number, False)]
    keys = [
        question_key(str(q.get("id")), q.get("item"))
        for q in doc.get("questions", [])
        if str(q.get("id")) == question and q.get("item")
    ]
    return [(k, False) for k in keys if base_var(k) in b.system.index]


def _atom_links(b: _Builder, doc: Mapping[str, Any], links: Sequence[Mapping[str, Any]]) -> None:
    """Links with any other condition (analysis.disclosure.routing): one integer count per answer
    combination of the parent questions; parents' counts and routed bases are sums of them."""
    s = b.system
    groups = components(links)
    if not groups:
        return
    tables: dict[str, Mapping[str, Any]] = {}
    items: dict[str, list[str]] = {}
    for q in doc.get("questions", []):
        key = question_key(str(q.get("id")), q.get("item"))
        tables[key] = q
        if q.get("item"):
            items.setdefault(str(q.get("id")), []).append(key)
    for k, group in enumerate(groups):
        parents = merged_parents(group)
        combos = atoms(parents)
        names = [s.var(f"routing group {k}: atom {i}", upper=b.upper) for i in range(len(combos))]
        # the atoms count the respondents the tables describe who reached the parents (each group its own:
        # a required question is not always answered by every one of them, as in responses kept from
        # an earlier version of the questionnaire)
        s.constrain(dict.fromkeys(names, 1.0), hi=b.upper)
        for p in parents:
            table = tables.get(question_key(p["question"], None))
            if table is not None:  # else not in this output: nothing published to tie its atoms to
                _atom_parent(s, p, table, names, combos)
        for link in group:
            met = [n for n, a in zip(names, combos, strict=True) if holds(link["condition"], a)]
            child = question_key(str(link["question"]), None)
            keys = [child] if child in tables else items.get(str(link["question"]), [])
            number = f"number {link['question']}"
            if base_var(number) in s.index:
                keys = [number]  # a number question: those who gave a number, at most those asked
            for key in keys:
                coefs = {**dict.fromkeys(met, 1.0), base_var(key): -1.0}
                if link.get("equal") and key == child:
                    s.equal(coefs, 0.0)
                else:
                    s.constrain(coefs, lo=0.0)


def _atom_parent(
    s: System, p: Mapping[str, Any], table: Mapping[str, Any], names: list[str], combos: list[dict[str, Any]]
) -> None:
    """A parent's base, named answers and other answers as sums of the atoms."""
    key = question_key(p["question"], None)
    answered = [n for n, a in zip(names, combos, strict=True) if p["question"] in a]
    s.equal({**dict.fromkeys(answered, 1.0), base_var(key): -1.0}, 0.0)
    for code in p["codes"]:
        cell = cell_var(key, code)
        if cell in s.index:
            chose = [n for n, a in zip(names, combos, strict=True) if has(a.get(p["question"]), code)]
            s.equal({**dict.fromkeys(chose, 1.0), cell: -1.0}, 0.0)
    unnamed = [
        cell_var(key, str(r.get("code")))
        for r in table.get("rows", [])
        if str(r.get("code")) not in p["codes"]
    ]
    other = [
        n
        for n, a in zip(names, combos, strict=True)
        if p["question"] in a and _other(a[p["question"]], p["codes"])
    ]
    if p["type"] == "single":
        s.equal({**dict.fromkeys(other, 1.0), **dict.fromkeys(unnamed, -1.0)}, 0.0)
    else:  # each unnamed answer at most the respondents who gave one; together at least them
        for cell in unnamed:
            s.constrain({**dict.fromkeys(other, 1.0), cell: -1.0}, lo=0.0)
        s.constrain({**dict.fromkeys(other, 1.0), **dict.fromkeys(unnamed, -1.0)}, hi=0.0)


def _other(state: Any, named: Sequence[str]) -> bool:
    """Whether an answer includes a code no condition names."""
    return any(v not in named for v in (state if isinstance(state, list) else [state]))


def _tallies(b: _Builder, doc: Mapping[str, Any]) -> None:
    s = b.system
    started_total = float(_int(doc.get("headline", {}).get("started")) or INF)
    for part in ("channels", "modes"):
        rows: Sequence[Mapping[str, Any]] = doc.get(part) or []
        complete, started = [], []
        for t in rows:
            c, st = f"{part} {t.get('name')}: complete", f"{part} {t.get('name')}: started"
            b.count(c, t.get("complete"))
            b.count(st, t.get("started"), started_total)
            s.constrain({st: 1.0, c: -1.0}, lo=0.0)
            complete.append(c)
            started.append(st)
        if complete and b.total is not None:
            s.equal(dict.fromkeys(complete, 1.0), b.total)
    days = doc.get("progress") or []
    if days and b.total is not None:
        names = []
        for d in days:
            name = f"progress {d.get('day')}: complete"
            b.count(name, d.get("complete"))
            names.append(name)
        s.equal(dict.fromkeys(names, 1.0), b.total)


def _profile(b: _Builder, doc: Mapping[str, Any]) -> None:
    """Representation flags of a partner or public output (those carrying `flag_limits`) as constraints.

    With c a group's count, n the dimension's respondents and P the census share (shown to 4 places):
    "under" is 100c < under·P·n, "fine" under·P·n <= 100c <= over·P·n, "over" 100c > over·P·n (strict
    inequalities relaxed to their closure and P widened by its rounding: the auditor then knows slightly
    less than a reader, never more). "small" says "under or over": not linear, left out. `profile_links`
    make c the sum of the question table's cells for the group's answers.
    """
    block = doc.get("disclosure") or {}
    limits = block.get("flag_limits")
    if not limits:
        return
    under, over = float(limits[0]) / 100, float(limits[1]) / 100
    s = b.system
    links = {str(link.get("dimension")): link for link in block.get("profile_links", [])}
    for dim in doc.get("profile", []):
        d = str(dim.get("dimension"))
        rows = dim.get("rows", [])
        if not any(r.get("flag") in FLAGGED for r in rows):
            continue
        link = links.get(d)
        key = question_key(str(link.get("question")), None) if link else ""
        if link and not all(
            cell_var(key, str(code)) in s.index for codes in link["categories"].values() for code in codes
        ):
            link = None  # the question's table is not in this output: the groups are audited themselves
        # The dimension's respondents are not a small count to protect; a group's count is audited in its
        # own right only when no question cells add up to it (else those cells are, with the flags).
        n = profile_var(d, "") + "respondents"
        s.var(n, upper=b.upper)
        if dim.get("respondents") is not None:
            s.fix(n, dim["respondents"])
        groups = []
        for r in rows:
            c = profile_var(d, str(r.get("category")))
            groups.append(c)
            if link is None or r.get("respondents") is not None:
                b.count(c, r.get("respondents"))
            else:
                s.var(c, upper=b.upper)
            share = r.get("population_share")
            if r.get("flag") not in FLAGGED or not isinstance(share, int | float):
                continue
            low, high = max(0.0, float(share) - SHARE_HALF_STEP), float(share) + SHARE_HALF_STEP
            if r.get("flag") in ("under", "fine"):
                s.constrain({c: 1.0, n: -(under if r.get("flag") == "under" else over) * high - EPS}, hi=0.0)
            if r.get("flag") in ("fine", "over"):
                s.constrain({c: 1.0, n: -(under if r.get("flag") == "fine" else over) * low + EPS}, lo=0.0)
        s.equal({**dict.fromkeys(groups, 1.0), n: -1.0}, 0.0)
        for category, codes in (link or {}).get("categories", {}).items():
            cells = [cell_var(key, str(code)) for code in codes]
            s.equal({**dict.fromkeys(cells, 1.0), profile_var(d, str(category)): -1.0}, 0.0)


def audit_report(doc: Mapping[str, Any], threshold: int | None = None) -> list[CellRange]:
    """Hidden counts of the document that a reader can pin to a range narrower than the threshold."""
    limit = threshold or int((doc.get("disclosure") or {}).get("threshold") or doc.get("min_cell") or 10)
    return [r for r in audit(report_system(doc), limit) if r.narrower_than(limit)]
