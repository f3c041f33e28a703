"""No template shows English words outside gettext (docs/translating.md).

Each template's source is read as a reader would see it: Jinja comments, statements and expressions are taken
out, then the HTML's text and its visible attributes (alt, title, aria-label, placeholder, a button's value)
must hold no word. Jinja expressions are read too: a string given to a GOV.UK macro as its visible text
(`{'text': 'Save'}`), printed directly (`{{ 'Save' }}`) or chosen in a condition (`'On' if x else 'Off'`)
must be inside `_()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more: "km", "Save"; not "–", "(", "3", "%"
VISIBLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
# GOV.UK Frontend macro parameters that are shown to the reader (text, or html with its own tags).
VISIBLE_KEYS = {
    "text",
    "html",
    "titleText",
    "titleHtml",
    "label",
    "hint",
    "legend",
    "caption",
    "summaryText",
    "iconFallbackText",
    "visuallyHiddenText",
}
# The gettext functions of the templates (survey/web/i18n.py): what they are given is extracted.
GETTEXT = {"_", "gettext", "ngettext", "t"}
# Words that are the same in every language, each with its reason.
ALLOWED: dict[str, str] = {
    "UTC": "the time zone's international abbreviation, after a time (templates/reports/report.html)",
}
# Not read as words: `<code>` holds what is typed (a command, a field name), never translated.
UNTRANSLATED_ELEMENTS = {"script", "style", "code"}
# A macro that prints attributes into its caller's tag (` lang="{{ c.lang }}"`) is markup, not text.
ATTRIBUTE_TEXT = re.compile(r"""[\w:-]+=(?:"[^"]*"|'[^']*'|["']?$)""")
# A date's format (`strftime('%-d %B %Y')`): its directives are not words.
STRFTIME = re.compile(r"%[-#]?[a-zA-Z]")
# A class or id chosen in an expression (`'app-interruption' if x else 'app-information'`) is not text.
IDENTIFIER = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]*)+$")


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html"))


def _environment() -> Environment:
    return Environment(extensions=["jinja2.ext.i18n"])


def segments(source: str) -> list[tuple[str, str]]:
    """The source cut by Jinja's own lexer into ('data', html) and ('variable' | 'block' | 'comment' | 'raw',
    jinja) pieces that join back into the source (a `}}` inside an expression's dict does not end it)."""
    pieces: list[tuple[str, str]] = []
    kind, text = "", ""
    for _line, token, value in _environment().lexer.tokeniter(source, None):
        if token == "data":
            pieces.append(("data", value))
        elif token.endswith("_begin"):
            kind, text = token[: -len("_begin")], value
        elif token.endswith("_end"):
            pieces.append((kind, text + value))
            kind, text = "", ""
        else:
            text += value
    # The lexer drops the whitespace that `{%-` and `-%}` trim: put it back, as data, where it was.
    whole: list[tuple[str, str]] = []
    at = 0
    for kind, text in pieces:
        found = source.index(text, at)
        if found > at:
            whole.append(("data", source[at:found]))
        whole.append((kind, text))
        at = found + len(text)
    return whole + [("data", source[at:])] if at < len(source) else whole


def _without_jinja(source: str) -> str:
    """The source with every Jinja block replaced by its newlines (so line numbers stay) and no words."""
    return "".join(p if kind == "data" else "\n" * p.count("\n") + " " for kind, p in segments(source))


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._hidden = 0

    def _check(self, text: str) -> None:
        if _has_words(text):
            self.found.append((self.getpos()[0], text.strip()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNTRANSLATED_ELEMENTS:
            self._hidden += 1
        values = dict(attrs)
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in {"submit", "button", "reset"}
            )
            if shown and value:
                self._check(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in UNTRANSLATED_ELEMENTS:
            self._hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in UNTRANSLATED_ELEMENTS:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._check(data)


def _has_words(text: str) -> bool:
    text = STRFTIME.sub(" ", ATTRIBUTE_TEXT.sub(" ", text))
    return any(w not in ALLOWED for w in WORD.findall(text))


def _html_words(source: str) -> list[tuple[int, str]]:
    parser = _Words()
    parser.feed(_without_jinja(source))
    parser.close()
    return parser.found


def _children(node: nodes.Node) -> list[nodes.Node]:
    """The parts of an expression whose strings are shown as they are: both sides of a condition, of `~`,
    `+` and `or`, what a filter filters, and a dict's values under a visible key."""
    if isinstance(node, nodes.CondExpr):
        return [node.expr1] + ([node.expr2] if node.expr2 is not None else [])
    if isinstance(node, nodes.Concat):
        return list(node.nodes)
    if isinstance(node, (nodes.Add, nodes.Or)):
        return [node.left, node.right]
    if isinstance(node, nodes.Filter) and node.node is not None:
        return [node.node]
    if isinstance(node, nodes.Dict):
        return [p.value for p in node.items if isinstance(p.key, nodes.Const) and p.key.value in VISIBLE_KEYS]
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node.attr == "get":
        if isinstance(node.node.node, nodes.Dict):  # a lookup table: {'paper': 'Paper form'}.get(mode, mode)
            return [p.value for p in node.node.node.items] + list(node.args[1:])
    return []


def _shown_strings(node: nodes.Node) -> Iterator[nodes.Const]:
    """String constants that `node` shows as they are (not through a gettext call)."""
    if isinstance(node, nodes.Const):
        if isinstance(node.value, str) and not IDENTIFIER.match(node.value):
            yield node
    for child in _children(node):
        yield from _shown_strings(child)


def _is_gettext(call: nodes.Call) -> bool:
    return isinstance(call.node, nodes.Name) and call.node.name in GETTEXT


def _worded(strings: Iterator[nodes.Const], sentence: bool = False) -> list[tuple[int, str]]:
    return [(c.lineno, c.value) for c in strings if _has_words(c.value) and (not sentence or " " in c.value)]


def _expression_words(source: str) -> list[tuple[int, str]]:
    tree = _environment().parse(source)
    found = []
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if not isinstance(child, nodes.TemplateData):
                found += _worded(_shown_strings(child))
    # Macro parameters anywhere (in a call, or kept in a `{% set %}` first), and texts kept in `{% set %}`.
    calls = list(tree.find_all(nodes.Call))
    inside_gettext = {id(d) for call in calls if _is_gettext(call) for d in call.find_all(nodes.Dict)}
    for d in tree.find_all(nodes.Dict):
        if id(d) not in inside_gettext:
            found += _worded(_shown_strings(d))
    # A string given as it is to a macro (`bar(n, most, 'completed today')`): a label, if it is a phrase.
    for call in calls:
        if not _is_gettext(call):
            for argument in [*call.args, *(k.value for k in call.kwargs)]:
                found += _worded(_shown_strings(argument), sentence=True)
    for assign in tree.find_all(nodes.Assign):
        found += _worded(_shown_strings(assign.node))
    return sorted(set(found))


def _bare_words(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    name = path.relative_to(ROOT)
    found = _html_words(source) + _expression_words(source)
    return [f"{name}:{line}: {text!r}" for line, text in sorted(set(found))]


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_visible_word_of_a_template_goes_through_gettext(path: Path) -> None:
    bare = _bare_words(path)
    assert bare == [], "English outside _() (docs/translating.md):\n" + "\n".join(bare)


def test_the_check_finds_bare_words() -> None:
    source = (
        "{# a comment #}{% block title %}Error: {{ x }} – Accounts{% endblock %}\n"
        '<p class="govuk-body">{{ _("Saved") }}</p>\n'
        '<img src="a.png" alt="A chart"><input type="submit" value="Save">\n'
        "{{ govukButton({'text': 'Continue', 'classes': 'govuk-button--secondary'}) }}\n"
        "{{ 'On' if on else _('Off') }}<a href=\"{{ url_for('x') }}\">{{ t('back') }}</a>\n"
        "{% set heading = 'Edit ' ~ name if name else _('Add') %}{{ x or 'none' }}\n"
        "{{ {'paper': 'Paper form'}.get(mode, mode) }}{{ bar(n, most, n ~ ' completed') }}\n"
        "{{ day.strftime('%-d %B %Y') }}<code>survey init-db</code>\n"
        '<div aria-label="QR code" class="app-qr">{{ qr }}</div><span{{ lang_attr() }} lang="en">x</span>\n'
    )
    assert _html_words(source) == [(1, "Error:   – Accounts"), (3, "A chart"), (3, "Save"), (9, "QR code")]
    expected = [(4, "Continue"), (5, "On"), (6, "Edit "), (6, "none"), (7, " completed"), (7, "Paper form")]
    assert _expression_words(source) == expected


def test_words_inside_gettext_pass() -> None:
    source = (
        "{% block title %}{{ _('Error:') }} {{ _('%(email)s – Accounts', email=x) }}{% endblock %}\n"
        "{% set link %}<a href=\"{{ url }}\">{{ _('second entry') }}</a>{% endset %}"
        "{{ _('Keyed blind as a %(link)s.', link=link) }}\n"
        "{{ govukButton({'text': _('Continue'), 'classes': 'govuk-button--secondary'}) }}\n"
        "{{ ngettext('%(num)s event', '%(num)s events', total) }}\n"
        "<div class=\"{{ 'app-information' if x else 'app-note' }}\">{{ day.strftime('%-d %B %Y') }}</div>\n"
    )
    assert _html_words(source) == [] and _expression_words(source) == []


def test_a_link_stays_inside_the_translated_sentence_and_other_values_are_escaped() -> None:
    from flask import render_template_string

    from survey.app import create_app

    app = create_app()
    source = (
        '{% set link %}<a href="/x">{{ _("second entry") }}</a>{% endset %}'
        '{{ _("Keyed by %(who)s as a %(link)s.", who=who, link=link) }}|{{ _("Hello %(who)s", who=who) }}'
    )
    with app.test_request_context():
        page = render_template_string(source, who="<b>Ann & Bo</b>")
    linked, plain = page.split("|")
    assert linked == 'Keyed by &lt;b&gt;Ann &amp; Bo&lt;/b&gt; as a <a href="/x">second entry</a>.'
    assert plain == "Hello &lt;b&gt;Ann &amp; Bo&lt;/b&gt;"
