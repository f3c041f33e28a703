"""Templates: start a new questionnaire from a bundled one or from blocks of the question bank.

The bank is `questionnaires/bank/*.json`: each block is a valid questionnaire of its own (so `survey validate
questionnaires/bank/` checks it) whose sections and demographic mappings are copied into the new one; its
`x-bank-description` says what it holds. Nothing here reads or writes a database.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from survey.services.words import gettext

SCHEMA_REF = "./questionnaire.schema.json"
NEW_VERSION = "0.1.0"


class TemplateError(ValueError):
    """A template or block that cannot be used as asked; the message says why, in plain words."""


@dataclass(frozen=True)
class Block:
    """One block of the question bank."""

    name: str
    description: str
    definition: dict[str, Any]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise TemplateError(
            gettext("%(file)s cannot be read: %(problem)s", file=path.name, problem=exc)
        ) from None
    if not isinstance(data, dict):
        raise TemplateError(gettext("%(file)s does not hold a questionnaire", file=path.name))
    return data


def bundled(folder: Path) -> dict[str, Path]:
    """The bundled questionnaires in `folder` by id (files whose id cannot be read are left out)."""
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".schema.json"):
            continue
        try:
            qid = json.loads(path.read_text("utf-8-sig")).get("id")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(qid, str):
            found.setdefault(qid, path)
    return found


def bank_blocks(folder: Path) -> dict[str, Block]:
    """The blocks of the question bank (`folder`/bank/*.json) by name (the file name without .json)."""
    blocks: dict[str, Block] = {}
    for path in sorted((folder / "bank").glob("*.json")):
        data = _read(path)
        description = data.get("x-bank-description")
        blocks[path.stem] = Block(path.stem, description if isinstance(description, str) else "", data)
    return blocks


def _from_template(folder: Path, template: str) -> dict[str, Any]:
    path = bundled(folder).get(template)
    if path is None:
        found = sorted(bundled(folder))
        if not found:
            raise TemplateError(
                gettext("there is no bundled questionnaire '%(id)s' (bundled: none)", id=template)
            )
        raise TemplateError(
            gettext(
                "there is no bundled questionnaire '%(id)s' (bundled: %(found)s)",
                id=template,
                found=", ".join(found),
            )
        )
    return _read(path)


def _ids(definition: dict[str, Any]) -> tuple[set[str], set[str]]:
    sections = definition.get("sections") or []
    return (
        {s.get("id") for s in sections},
        {q.get("id") for s in sections for q in s.get("questions") or []},
    )


def _merge(target: dict[str, Any], block: Block) -> None:
    """Add a block's sections, mappings, support contacts and languages to `target`."""
    source = block.definition
    sections, questions = _ids(target)
    new_sections, new_questions = _ids(source)
    clash = sorted((sections & new_sections) | (questions & new_questions))
    if clash:
        raise TemplateError(
            gettext(
                "block '%(block)s' uses ids already taken by an earlier block: %(ids)s",
                block=block.name,
                ids=", ".join(clash),
            )
        )
    if source.get("language") != target["language"]:
        raise TemplateError(
            gettext(
                "block '%(block)s' is written in '%(lang)s', not in '%(target)s'",
                block=block.name,
                lang=source.get("language"),
                target=target["language"],
            )
        )
    for reference in (source.get("reference"),):
        if reference and target.setdefault("reference", reference) != reference:
            raise TemplateError(
                gettext(
                    "block '%(block)s' maps to the reference '%(reference)s', another block to '%(other)s'",
                    block=block.name,
                    reference=reference,
                    other=target["reference"],
                )
            )
    target["sections"] += copy.deepcopy(source.get("sections") or [])
    target["demographics"] += copy.deepcopy(source.get("demographics") or [])
    names = {json.dumps(c.get("name"), sort_keys=True) for c in target["support_contacts"]}
    target["support_contacts"] += [
        copy.deepcopy(c)
        for c in source.get("support_contacts") or []
        if json.dumps(c.get("name"), sort_keys=True) not in names
    ]
    target["languages"] += [lang for lang in source.get("languages") or [] if lang not in target["languages"]]


def _from_blocks(folder: Path, names: list[str], language: str | None) -> dict[str, Any]:
    available = bank_blocks(folder)
    unknown = [n for n in names if n not in available]
    if unknown or not names:
        raise TemplateError(
            gettext(
                "no such block: %(unknown)s (blocks: %(blocks)s)",
                unknown=", ".join(unknown) or gettext("(none given)"),
                blocks=", ".join(available) or gettext("none"),
            )
        )
    first = available[names[0]].definition
    lang = language or str(first.get("language", "en"))
    result: dict[str, Any] = {
        "language": lang,
        "languages": [lang],
        "sections": [],
        "demographics": [],
        "support_contacts": [],
    }
    for name in dict.fromkeys(names):
        _merge(result, available[name])
    for key in ("demographics", "support_contacts"):
        if not result[key]:
            del result[key]
    return result


def new_questionnaire(
    folder: Path,
    *,
    qid: str,
    title: str,
    template: str | None = None,
    blocks: list[str] | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """A new definition (version 0.1.0) from a bundled questionnaire or from bank blocks; check it with the
    engine before use (`validate_dict`)."""
    if bool(template) == bool(blocks):
        raise TemplateError(
            gettext("start from either a bundled questionnaire or blocks of the question bank")
        )
    base = _from_template(folder, template) if template else _from_blocks(folder, blocks or [], language)
    base = {
        k: v for k, v in base.items() if not k.startswith("x-") and k not in ("$comment", "opens", "closes")
    }
    head = {
        "$schema": SCHEMA_REF,
        "id": qid,
        "version": NEW_VERSION,
        "language": base.pop("language"),
        "title": title,
    }
    base.pop("$schema", None)
    base.pop("id", None)
    base.pop("version", None)
    base.pop("title", None)
    if base.get("languages") == [head["language"]]:
        base.pop("languages")
    return {**head, **base}
