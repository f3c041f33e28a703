"""Conditions written as readable text, for spreadsheets: parse to the JSON condition and print back.

The syntax (docs/questionnaires.md, "Conditions in a spreadsheet"):

    victim_any = 'yes' and not (age in (16, 17) or concern[burglary] != 'very_concerned')

- comparisons: ``q = v`` (equals), ``q != v`` (not_equals), ``q in (v, ...)``, ``q not in (v, ...)``,
  ``q contains v``, ``q > n``, ``q >= n``, ``q < n``, ``q <= n``, ``q is answered``; ``q is not answered``
  is short for ``not q is answered``. A rating item is ``q[item]``.
- values: text in quotes (``'yes'`` or ``"yes"``, backslash escapes a quote), whole or decimal numbers
  (``16``, ``-2``, ``2.5``), or a list in brackets (``('a', 'b')``; one value is a list of one).
- combining: ``and`` binds tighter than ``or``; ``not`` applies to what follows; brackets group.
  ``all(c)`` and ``any(c)`` are a group of one (``all(a, b)`` is ``a and b``).

It is read by a small recursive-descent parser (never eval): errors carry the character position.
Printing is the inverse: ``parse_condition_text(condition_text(c)) == c`` for every condition the syntax can
express; ``condition_text`` returns None for the rest (for example a condition holding a ``$comment``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from survey.engine.catalogue import N_
from survey.services.words import gettext

_OPS = {"=": "equals", "==": "equals", "!=": "not_equals", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}
_SYMBOL = {"equals": "=", "not_equals": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_WORD_OPS = {"in": "in", "not_in": "not in", "contains": "contains"}  # not translated: the syntax's words
KEYWORDS = frozenset({"and", "or", "not", "in", "contains", "is", "answered", "all", "any"})

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_\d]))
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>==|!=|>=|<=|=|>|<)
      | (?P<punct>[()\[\],])
    """,
    re.VERBOSE | re.DOTALL,
)
# What the reader expected, in words (msgids marked N_: "expected %(expected)s, found %(found)s").
_VALUE_HELP = N_("a value: text in quotes such as 'yes', a number, or a list in brackets such as ('a', 'b')")


class ConditionSyntaxError(ValueError):
    """A condition that cannot be read: `position` is the 0-based character where reading stopped."""

    def __init__(self, message: str, text: str, position: int):
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = position

    def pointer(self) -> str:
        """The condition with a caret under the position, on two lines."""
        line = self.text.replace("\n", " ")
        return f"{line}\n{' ' * self.position}^"

    def __str__(self) -> str:
        where = gettext(
            "%(problem)s (at character %(position)s)", problem=self.message, position=self.position + 1
        )
        return f"{where}\n{self.pointer()}"


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            if char in "'\"":
                message = gettext(
                    "'%(char)s' is not allowed here (text values need closing quotes)", char=char
                )
            else:
                message = gettext("'%(char)s' is not allowed here", char=char)
            raise ConditionSyntaxError(message, text, position)
        kind = match.lastgroup or ""
        if kind != "space":
            found.append(_Token(kind, match.group(), position))
        position = match.end()
    found.append(_Token("end", "", len(text)))
    return found


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", lambda m: m.group(1), token[1:-1], flags=re.DOTALL)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def _is(self, *texts: str, kind: str | None = None) -> bool:
        token = self.token
        if kind is not None and token.kind != kind:
            return False
        return token.text in texts if texts else True

    def _word(self, word: str, offset: int = 0) -> bool:
        token = self.tokens[min(self.index + offset, len(self.tokens) - 1)]
        return token.kind == "name" and token.text == word

    def _next(self) -> _Token:
        token = self.token
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def fail(self, expected: str, **values: str) -> ConditionSyntaxError:
        """`expected`: a msgid (marked N_) saying what was expected, filled with `values`."""
        token = self.token
        if token.kind == "end":
            message = gettext(
                "expected %(expected)s, found the end of the condition", expected=gettext(expected, **values)
            )
        else:
            message = gettext(
                "expected %(expected)s, found '%(found)s'",
                expected=gettext(expected, **values),
                found=token.text,
            )
        return ConditionSyntaxError(message, self.text, token.position)

    def expect(self, text: str, what: str, **values: str) -> None:
        if self.token.text != text or self.token.kind in ("string", "end"):
            raise self.fail(what, **values)
        self._next()

    def parse(self) -> dict[str, Any]:
        if self.token.kind == "end":
            raise self.fail(N_("a condition"))
        result = self.or_expr()
        if self.token.kind != "end":
            raise self.fail(N_("'and', 'or' or the end of the condition"))
        return result

    def or_expr(self) -> dict[str, Any]:
        parts = [self.and_expr()]
        while self._word("or"):
            self._next()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else {"any": parts}

    def and_expr(self) -> dict[str, Any]:
        parts = [self.unary()]
        while self._word("and"):
            self._next()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else {"all": parts}

    def unary(self) -> dict[str, Any]:
        if self._word("not"):
            self._next()
            return {"not": self.unary()}
        return self.primary()

    def primary(self) -> dict[str, Any]:
        if self._is("(", kind="punct"):
            self._next()
            inner = self.or_expr()
            self.expect(")", N_("')' to close the bracket"))
            return inner
        if (self._word("all") or self._word("any")) and self.tokens[self.index + 1].text == "(":
            return self.group()
        return self.comparison()

    def group(self) -> dict[str, Any]:
        word = self._next().text
        self._next()
        parts = [self.or_expr()]
        while self._is(",", kind="punct"):
            self._next()
            parts.append(self.or_expr())
        self.expect(")", N_("',' or ')' to close %(group)s(...)"), group=word)
        return {word: parts}

    def reference(self) -> dict[str, Any]:
        token = self.token
        if token.kind != "name" or token.text in KEYWORDS:
            raise self.fail(N_("a question id (such as victim_any), 'not' or '('"))
        self._next()
        result: dict[str, Any] = {"q": token.text}
        if self._is("[", kind="punct"):
            self._next()
            item = self.token
            if item.kind != "name":
                raise self.fail(N_("the id of a rating item"))
            self._next()
            result["item"] = item.text
            self.expect("]", N_("']' after the item id"))
        return result

    def comparison(self) -> dict[str, Any]:
        result = self.reference()
        token = self.token
        if token.kind == "op":
            self._next()
            return {**result, "op": _OPS[token.text], "value": self.value()}
        if self._word("is"):
            self._next()
            negate = self._word("not")
            if negate:
                self._next()
            if not self._word("answered"):
                raise self.fail(N_("'answered' after 'is'"))
            self._next()
            leaf = {**result, "op": "answered"}
            return {"not": leaf} if negate else leaf
        if self._word("not") and self._word("in", 1):
            self.index += 2
            return {**result, "op": "not_in", "value": self.value()}
        if self._word("in") or self._word("contains"):
            op = self._next().text
            return {**result, "op": op, "value": self.value()}
        raise self.fail(N_("an operator (=, !=, in, not in, contains, >, >=, <, <=, is answered)"))

    def scalar(self) -> str | int | float:
        token = self.token
        if token.kind == "string":
            self._next()
            return _unquote(token.text)
        if token.kind == "number":
            self._next()
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "name" and token.text not in KEYWORDS:
            raise ConditionSyntaxError(
                gettext("put text values in quotes: '%(word)s'", word=token.text), self.text, token.position
            )
        raise self.fail(_VALUE_HELP)

    def value(self) -> str | int | float | list[str | int | float]:
        if not self._is("(", kind="punct"):
            return self.scalar()
        self._next()
        values: list[str | int | float] = []
        if self._is(")", kind="punct"):
            self._next()
            return values
        values.append(self.scalar())
        while self._is(",", kind="punct"):
            self._next()
            values.append(self.scalar())
        self.expect(")", N_("',' or ')' to close the list"))
        return values


def parse_condition_text(text: str) -> dict[str, Any]:
    """The JSON condition written in `text`; raises ConditionSyntaxError with the position of the fault."""
    return _Parser(text).parse()


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, int | float):
        return repr(value)
    return None


def _value_text(value: Any) -> str | None:
    if isinstance(value, list):
        parts = [_scalar_text(v) for v in value]
        return None if None in parts else "(" + ", ".join(p for p in parts if p is not None) + ")"
    return _scalar_text(value)


def _leaf_text(c: dict[str, Any]) -> str | None:
    q, op = c.get("q"), c.get("op")
    if not isinstance(q, str) or not isinstance(op, str) or set(c) - {"q", "op", "item", "value"}:
        return None
    ref = q + (f"[{c['item']}]" if "item" in c else "")
    if op == "answered":
        return None if "value" in c else f"{ref} is answered"  # not translated: the syntax's words
    word = _SYMBOL.get(op) or _WORD_OPS.get(op)
    value = _value_text(c["value"]) if "value" in c else None
    return None if word is None or value is None else f"{ref} {word} {value}"


def _group_text(key: str, parts: Any) -> str | None:
    if not isinstance(parts, list) or not parts:
        return None
    texts = [_nested_text(p) for p in parts]
    if None in texts:
        return None
    if len(texts) == 1:
        return f"{key}({texts[0]})"
    return f" {'and' if key == 'all' else 'or'} ".join(t for t in texts if t is not None)


def _nested_text(c: Any) -> str | None:
    """The text of a condition inside another: groups of two or more in brackets."""
    text = _text(c)
    if text is not None and isinstance(c, dict) and len(c.get("all") or c.get("any") or ()) > 1:
        return f"({text})"
    return text


def _text(c: Any) -> str | None:
    if not isinstance(c, dict):
        return None
    keys = set(c)
    if keys in ({"all"}, {"any"}):
        key = next(iter(keys))
        return _group_text(key, c[key])
    if keys == {"not"}:
        inner = c["not"]
        if isinstance(inner, dict) and set(inner) <= {"q", "item"} | {"op"} and inner.get("op") == "answered":
            leaf = _leaf_text(inner)
            return (
                leaf.replace(" is answered", " is not answered") if leaf else None
            )  # not translated: syntax
        text = _nested_text(inner)
        if text is not None and _leaf_text(inner) is not None:
            text = f"({text})"
        return None if text is None else f"not {text}"  # not translated: the syntax's words
    return _leaf_text(c)


def condition_text(condition: Any) -> str | None:
    """The readable text of a JSON condition, or None when the syntax cannot say it exactly."""
    text = _text(condition)
    if text is None:
        return None
    try:
        return text if parse_condition_text(text) == condition else None
    except ConditionSyntaxError:
        return None
