"""The staff pages' Python words go through gettext (docs/translating.md): a flashed message, a form
field's label, hint and error messages are never a bare English string or f-string."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import callee_name

ROOT = Path(__file__).resolve().parents[2]
STAFF = ROOT / "survey" / "staff"
# Calls whose first argument a member of staff reads: a flashed message, a field's label, an error.
FIRST_ARGUMENT_SHOWN = {
    "flash",
    "DataRequired",
    "InputRequired",
    "FileRequired",
    "ValidationError",
    "StopValidation",
}
SHOWN_KEYWORDS = {"message", "description", "label", "invalid_choice_message"}


def _bare(node: ast.expr) -> bool:
    """English as it is: a string with letters, an f-string, or either joined with `+`."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):  # an f-string with words of its own (not only its values joined)
        return any(_bare(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _bare(node.left) or _bare(node.right)
    return False


def _bare_words(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = callee_name(call)
        shown: list[ast.expr] = []
        if name in FIRST_ARGUMENT_SHOWN or name.endswith("Field") or name in {"YesBox", "KeepBox"}:
            shown += call.args[:1]
        if name.endswith("Field") or name in FIRST_ARGUMENT_SHOWN | {
            "Regexp",
            "Length",
            "NumberRange",
            "AnyOf",
        }:
            shown += [k.value for k in call.keywords if k.arg in SHOWN_KEYWORDS]
        if name == "SelectChoice":
            shown += call.args[1:2]
        found += [f"{path.relative_to(root)}:{n.lineno}: {ast.unparse(n)[:80]}" for n in shown if _bare(n)]
    return found


@pytest.mark.parametrize("path", sorted(STAFF.glob("*.py")), ids=lambda p: p.name)
def test_staff_messages_and_form_words_go_through_gettext(path: Path) -> None:
    bare = _bare_words(path)
    assert bare == [], "English outside gettext (docs/translating.md):\n" + "\n".join(bare)


def test_the_check_finds_bare_words(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text(
        "flash(f'Saved {x}', 'success')\n"
        "flash(gettext('Saved %(x)s', x=x), 'success')\n"
        "name = StringField('Name', validators=[DataRequired(lazy_gettext('Enter a name'))])\n"
        "code = StringField(lazy_gettext('Code'), validators=[Length(max=9, message='Too long')])\n"
        "choice = SelectChoice('yes', 'Yes')\n",
        encoding="utf-8",
    )
    found = _bare_words(module, root=tmp_path)
    assert sorted(int(line.split(":")[1]) for line in found) == [1, 3, 4, 5]
