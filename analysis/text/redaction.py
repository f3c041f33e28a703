"""Redact personal details in quotes: names, NHS numbers, dates of birth, phones, emails, house numbers,
postcodes and number plates.

Names are found after a cue ("Mr", "my neighbour", "called") and without one: a capitalised word that is a
first name in gender-guesser's name dictionary (analysis/text/names.py), with the next capitalised word as
its surname. A first name that is also an ordinary word ("Will", "Grace", "May") or an English stopword is
left alone at the start of a sentence, and a name followed by a place word ("Milton Keynes", "Grace Road")
is a place. Titles stay ("Dr needs to listen" is unchanged: a title is only followed by a capitalised name,
or by a lower-case word that is no English word).
"""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.text.names import first_names, ordinary_name_words
from analysis.text.nlp import english_stopwords
from analysis.text.words import english_words

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# UK numbers: +44 / 0044 / 0 then 9-10 digits, with optional spaces, dashes, brackets.
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)44\s?\(?0?\)?|\(?0)(?:[\s-]?\)?[\s-]?\d){9,10}\b")
# Full UK postcodes (outward + inward), any case, optional space: MK9 3EJ, mk10 9ab, SW1A 1AA.
_POSTCODE = re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b")
# Number plates: current (AB12 CDE, any case), prefix (A123 BCD) and suffix (ABC 123D) formats.
_PLATE = re.compile(r"\b(?:(?i:[A-Z]{2}\d{2}\s?[A-Z]{3})|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-Z])\b")
_STREET_WORDS = (
    "road|rd|street|st|avenue|ave|close|cl|way|lane|ln|drive|dr|court|ct|crescent|cres|place|pl|gardens|gdns|"
    "grove|green|walk|mews|row|terrace|square|sq|hill|rise|end|park|view|meadow|meadows|croft|gate|field|"
    "fields|common|bank|chase|boulevard|blvd|parade|approach|vale|wharf|quay|circus|mead|ley|leys|brow|nook|"
    "cross|piece|furlong|dell|glade|copse|coppice|spinney|wood|dale|hollow|paddock|orchard|yard|reach|"
    "passage|path|pathway|broadway|highway|causeway|embankment|esplanade|promenade|market|link|loop|"
    "circle|wynd|heights|bridge|lodge|cottages|villas|gardens|estate|side|holt|hey|garth|fold|acre|acres"
)
# "12 Acacia Avenue", "at 5 acacia avenue", "number 7", "flat 3": the number identifies a home.
_HOUSE = re.compile(
    rf"\b\d{{1,4}}[a-zA-Z]?(?=,?\s+(?:[A-Z][a-z]+\s+){{1,3}}(?i:{_STREET_WORDS})\b)"
    rf"|(?<=\bat\s)\d{{1,4}}[a-zA-Z]?(?=,?\s+(?:[a-z]+\s+){{1,3}}(?i:{_STREET_WORDS})\b)"
)
_NUMBERED = re.compile(r"\b((?i:number|flat|house|no\.?))\s*(\d{1,4}[a-zA-Z]?)\b")
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lady|Lord)\.?"
_RELATION = (
    r"(?:[Mm]y|[Oo]ur|[Tt]he)\s+(?:next[\s-]door\s+)?(?:neighbou?rs?|son|daughter|husband|wife|partner|brother|"
    r"sister|mum|dad|mother|father|friend|landlord|landlady|carer|grandson|granddaughter|boyfriend|girlfriend)"
    r"|(?:called|named)"
)
_NAME = r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?"
_TITLED_NAME = re.compile(rf"\b({_TITLE})\s+([A-Za-z][A-Za-z'’-]+)(\s+[A-Z][a-z'’-]+)?")
_RELATED_NAME = re.compile(
    rf"\b({_RELATION})(,?\s+(?:at\s+)?)(?!I\b|The\b|And\b|But\b|Who\b|When\b)({_NAME})"
)

NAME, PHONE, EMAIL, POSTCODE, HOUSE_NUMBER, PLATE, NHS_NUMBER, BIRTH_DATE = (
    "[name]",
    "[phone]",
    "[email]",
    "[postcode]",
    "[number]",
    "[registration]",
    "[NHS number]",
    "[date of birth]",
)
# Ten digits as 3-3-4 (spaces or dashes) or run together; kept only when the mod-11 check digit is right.
_NHS = re.compile(r"(?<![\d+])(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
# A full date after a birth cue within a few words: "DOB 12/03/1954", "born on the 3rd of March 1954".
_BIRTH = re.compile(
    rf"(?i)(\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth\b|born\b|birthday\b|birth\s+date\b)[\s:,-]*(?:\w+\s+){{0,3}}?)({_DATE})"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Z][a-z]+)?")
_PLACE_AFTER = re.compile(
    rf"\s+(?i:{_STREET_WORDS}|Keynes|Church|School|College|Hospital|Centre|Center|Surgery|Station|"
    r"House|Hall|Library|Academy|University|Park|Estate|Village|Town|City|Ward|Unit|Clinic|Team|Service)\b"
)
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n]\s*|[\"“(]\s*)$")


_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def nhs_number_valid(digits: str) -> bool:
    """True when ten digits carry a correct NHS mod-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs(match: re.Match[str]) -> str:
    return NHS_NUMBER if nhs_number_valid("".join(match.groups())) else match.group(0)


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    from analysis.text import nlp

    return english_stopwords() | ordinary_name_words() | nlp.tone_words()


def _is_name(word: str, text: str, start: int, end: int) -> bool:
    lower = word.lower()
    if not word[0].isupper() or word.isupper() and len(word) > 1 or lower not in first_names():
        return False
    if _PLACE_AFTER.match(text, end):
        return False
    if lower in _CALENDAR or (lower in english_stopwords() and lower not in ordinary_name_words()):
        return False
    before = text[:start].rstrip()
    if lower in ordinary_name_words() and re.search(r"\b[A-Z][a-z]+$", before):
        return False  # "Cherry Ward", "Campbell Park": part of a proper noun, not a first name
    sentence_start = bool(_SENTENCE_END.search(text[:start]))
    return not (sentence_start and lower in _not_names())


def _names(text: str) -> str:
    out: list[str] = []
    last = 0
    matches = list(_WORD.finditer(text))
    skip_until = -1
    for k, m in enumerate(matches):
        if m.start() < skip_until or not _is_name(m.group(0), text, m.start(), m.end()):
            continue
        end = m.end()
        # A following capitalised word that is not a place word is the surname ("Sarah Jones").
        if k + 1 < len(matches):
            nxt = matches[k + 1]
            gap = text[end : nxt.start()]
            surname = nxt.group(0)
            if (
                gap.strip() == ""
                and surname[0].isupper()
                and surname[1:].islower()
                and surname.lower() not in english_stopwords()
            ):
                if not _PLACE_AFTER.match(text, end):
                    end = nxt.end()
        out.append(text[last : m.start()] + NAME)
        last = skip_until = end
    out.append(text[last:])
    return "".join(out)


_VERBS = frozenset(
    "needs need says said told tells wants wanted gave gives listens listened listen explained explains came "
    "comes asked asks seems seemed keeps kept made makes took takes knows knew thinks thought tried tries "
    "does did has had gets got goes went should would could must will can cannot was is were are".split()
)


def _titled(match: re.Match[str]) -> str:
    word = match.group(2)
    lower = word.lower()
    ordinary = (
        lower in english_stopwords()
        or lower in _VERBS
        or lower in _not_names()
        or (lower.endswith(("ed", "ing", "ly")) and lower in english_words())
    )
    if word[0].isupper() or not ordinary:
        return f"{match.group(1)} {NAME}"
    return match.group(0)  # "Dr needs to listen": a title, then an ordinary word


def redact(text: str) -> str:
    """The text with personal details replaced: [name] [NHS number] [date of birth] [phone] [email]
    [postcode] [number] [registration]."""
    text = _EMAIL.sub(EMAIL, text)
    text = _BIRTH.sub(lambda m: f"{m.group(1)}{BIRTH_DATE}", text)
    text = _NHS.sub(_nhs, text)
    text = _PHONE.sub(PHONE, text)
    text = _POSTCODE.sub(POSTCODE, text)
    text = _PLATE.sub(PLATE, text)
    text = _HOUSE.sub(HOUSE_NUMBER, text)
    text = _NUMBERED.sub(lambda m: f"{m.group(1)} {HOUSE_NUMBER}", text)
    text = _TITLED_NAME.sub(_titled, text)
    text = _RELATED_NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}{NAME}", text)
    return _names(text)


def changed_words(before: str, after: str) -> int:
    """How many of the words of `before` redaction replaced (the over-redaction measure of
    tests/unit/analysis/test_text_redaction_set.py)."""
    import difflib

    old, new = before.split(), after.split()
    kept = sum(
        block.size for block in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_matching_blocks()
    )
    return len(old) - kept
