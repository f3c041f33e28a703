"""The messages that services compose for pages go through gettext (docs/translating.md): a sentence a service
returns, raises, hands to a problem or error, appends to a list of problems or lines, or keeps in a table of
words is never a bare English string or f-string; it is a msgid (`gettext`, `ngettext`, or marked `N_`/`Nn_`
and translated where it is shown) with named placeholders.

The modules in NOT_CHECKED keep English on purpose, each for the reason given; so does a line marked
`# not translated: <why>` (a format keyword, a stored reason, an internal key).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.helpers import callee_name

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "survey" / "services"
# Modules (relative to survey/services) whose English is not (yet) through gettext, and why.
NOT_CHECKED = {
    "builder_words.py": "rewrites the engine's English problem messages by matching their English words",
    "channels.py": "the poster's words are in the questionnaire's language (its own table, en and pl)",
    "demo/text.py": "made-up residents' answers for the demonstration data, not the service's words",
    "demo/targets.py": "the demonstration data's answers",
    "demo/store.py": "the demonstration data's answers",
    "jobs/__init__.py": "job messages are stored when the job runs (in the worker: no page's language)",
    "jobs/partner.py": "job messages are stored when the job runs",
    "jobs/reports.py": "job messages are stored when the job runs",
    "jobs/retention.py": "job messages are stored when the job runs",
    "jobs/suggestions.py": "job messages are stored when the job runs",
    "jobs/text_question.py": "job messages are stored when the job runs",
    "jobs/coding.py": "job messages are stored when the job runs",
    "need_bands.py": "partner need bands are computed by a job and stored",
    "partner_needs.py": "partner need figures are computed by a job and stored",
    "results.py": "the open data's notes (a published file's fixed text) and a refusal never shown",
    "results_meta.py": "the open data's column descriptions (a published file's fixed text)",
    "random_answers.py": "a preview's made-up answers",
    "themes.py": "an internal refusal the analysis raises too (never shown as it is)",
    "two_factor.py": "the authenticator app's account label",
    "audit.py": "the audit log's actor name",
    "partner_reports.py": "a page name used as a key",
}
WRAPPERS = {"gettext", "ngettext", "lazy_gettext", "N_", "Nn_", "_"}
LOGGING = {"debug", "info", "warning", "error", "exception", "critical"}
# Calls whose arguments are not words for people: patterns and logging.
NOT_WORDS = {"compile", "sub", "fullmatch", "match", "search", "finditer", "findall", "split"} | LOGGING
SENTENCE = re.compile(r"[A-Za-z]{2,}[^\s]*\s+[A-Za-z]")  # two words at least


def _bare(node: ast.AST) -> bool:
    """English as it is: a string of two or more words, an f-string with such words, or either joined."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(SENTENCE.search(node.value))
    if isinstance(node, ast.JoinedStr):
        words = "".join(
            p.value for p in node.values if isinstance(p, ast.Constant) and isinstance(p.value, str)
        )
        return bool(SENTENCE.search(words)) or (
            sum(isinstance(p, ast.Constant) and any(c.isalpha() for c in str(p.value)) for p in node.values)
            > 0
            and bool(re.search(r"[A-Za-z]{2,}", words))
            and " " in words
        )
    if isinstance(node, ast.BinOp):
        return _bare(node.left) or _bare(node.right)
    if isinstance(node, ast.IfExp):
        return _bare(node.body) or _bare(node.orelse)
    if isinstance(node, ast.Tuple | ast.List):
        return any(_bare(e) for e in node.elts)
    return False


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _wrapped(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether `node` is inside a gettext call (or a pattern's or logging call)."""
    up = parents.get(node)
    while up is not None:
        if isinstance(up, ast.Call) and callee_name(up) in WRAPPERS | NOT_WORDS:
            return True
        up = parents.get(up)
    return False


def _candidates(tree: ast.AST) -> list[ast.AST]:
    """The expressions whose value a person reads: returned, raised, handed to an error or problem,
    appended to a list, a value in a table of words, or a constant given a name."""
    shown: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and node.value is not None:
            shown.append(node.value)
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            shown += node.exc.args[:1]
        elif isinstance(node, ast.Call):
            name = callee_name(node)
            if name.endswith(("Error", "Problem", "Exception")) or name in {"fail", "append", "Dependent"}:
                shown += node.args[:3] + [k.value for k in node.keywords if k.arg in {"message", "words"}]
        elif isinstance(node, ast.Dict):
            shown += [v for v in node.values if v is not None]
        elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Constant):
            shown.append(node.value)
    return shown


def _shown(tree: ast.AST) -> list[ast.AST]:
    """The bare English among the candidates (and among the parts of a candidate built of parts)."""
    parents = _parents(tree)
    found: list[ast.AST] = []
    for expr in _candidates(tree):
        if _wrapped(expr, parents):
            continue
        if _bare(expr) and not any(
            isinstance(p, ast.Call) and callee_name(p) in WRAPPERS | NOT_WORDS for p in ast.walk(expr)
        ):
            found.append(expr)
        elif isinstance(expr, ast.Tuple | ast.List | ast.BinOp | ast.IfExp):
            found += [
                p
                for p in ast.walk(expr)
                if isinstance(p, ast.Constant | ast.JoinedStr) and _bare(p) and not _wrapped(p, parents)
            ]
    return found


def _statement_lines(tree: ast.AST, node: ast.AST) -> range:
    """The lines of the innermost simple statement holding `node` (where a `# not translated:` may be)."""
    best = range(node.lineno, (node.end_lineno or node.lineno) + 1)  # type: ignore[attr-defined]
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.stmt) and not hasattr(stmt, "body"):
            lines = range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)
            if node.lineno in lines and (len(best) == 1 or len(lines) < len(best)):  # type: ignore[attr-defined]
                best = lines
    return best


def _bare_messages(path: Path, root: Path = ROOT) -> list[str]:
    source = path.read_text(encoding="utf-8")
    marked = {i for i, line in enumerate(source.splitlines(), start=1) if "# not translated:" in line}
    tree = ast.parse(source)
    lines = {
        (n.lineno, ast.unparse(n)[:80])  # type: ignore[attr-defined]
        for n in _shown(tree)
        if not marked & set(_statement_lines(tree, n))
    }
    return [f"{path.relative_to(root)}:{line}: {text}" for line, text in sorted(lines)]


def _checked() -> list[Path]:
    return [p for p in sorted(SERVICES.rglob("*.py")) if str(p.relative_to(SERVICES)) not in NOT_CHECKED]


@pytest.mark.parametrize("path", _checked(), ids=lambda p: str(p.relative_to(SERVICES)))
def test_service_messages_go_through_gettext(path: Path) -> None:
    bare = _bare_messages(path)
    assert bare == [], "English outside gettext (docs/translating.md):\n" + "\n".join(bare)


def test_every_module_not_checked_exists() -> None:
    assert [m for m in NOT_CHECKED if not (SERVICES / m).exists()] == []


def test_the_check_finds_bare_messages(tmp_path: Path) -> None:
    module = tmp_path / "service.py"
    module.write_text(
        "def one(n):\n"
        "    return f'There is no question {n}'\n"  # 2
        "def two(n):\n"
        "    raise BuildError('Select a type of question')\n"  # 4
        "def three(n):\n"
        "    return gettext('There is no question %(id)s', id=n)\n"
        "LABELS = {'single': 'Choose one option', 'multiple': N_('Choose any options')}\n"  # 7
        "def four(problems, n):\n"
        "    problems.append(RowProblem(n, 'low', 'Give the numbers of a category'))\n"  # 9
        "    problems.append(RowProblem(n, 'low', gettext('Give the numbers of a category')))\n"
        "    return ('Shown unless ' if n else 'Shown when ') + gettext('x')\n"  # 11
        "PATTERN = re.compile(r'^(?:aged\\s+)?(\\d+) or more$')\n"
        "def five(n):\n"
        "    log.warning('retention: the log is in use')\n"
        "    return ', '.join(ngettext('%(num)s file', '%(num)s files', n))\n"
        "def six(n):\n"
        "    return (gettext('Responses left out'), n)\n"
        "KEYWORD = 'begin section'  # not translated: a cell value of the format\n"
        "def seven(n):\n"
        "    return f'{n} is answered'\n",  # 20
        encoding="utf-8",
    )
    found = _bare_messages(module, root=tmp_path)
    assert sorted({int(line.split(":")[1]) for line in found}) == [2, 4, 7, 9, 11, 20], found


def test_a_service_message_is_in_the_pages_language_and_english_outside_a_request() -> None:
    """A label marked N_ at import time is translated when it is shown: Welsh on a Welsh page (this msgid is
    shared with the residents' pages, so it has a Welsh translation), English with no request (a command)."""
    from flask import Flask, g

    from survey.services.questionnaire_builder import option_kinds
    from survey.web.i18n import init_app

    assert dict(option_kinds())["prefer_not_to_say"] == "Prefer not to say"
    app = Flask(__name__)
    init_app(app)
    with app.test_request_context("/"):
        g.lang = "cy"
        assert dict(option_kinds())["prefer_not_to_say"] == "Gwell gennyf beidio â dweud"
