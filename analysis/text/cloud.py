"""Word clouds of meaningful terms and phrases (no stopwords), as PNG bytes, in colour-blind-safe colours."""

from __future__ import annotations

import io
import random
from collections import Counter, defaultdict
from collections.abc import Sequence

from analysis.text import nlp
from analysis.text.discovery import join_collocations, learn_collocations
from analysis.text.normalise import content_clauses

# Okabe & Ito's palette (without yellow and grey, which are too pale on white).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#000000")


# Canonical forms made by the variant rules, shown the way residents write them.
DISPLAY = {
    "antisocial": "anti-social behaviour",
    "flytipping": "fly-tipping",
    "boyracers": "boy racers",
    "escooters": "e-scooters",
    "joyriding": "joyriding",
    "cybercrime": "cyber crime",
    "nobody": "no-one",
}


def term_frequencies(texts: Sequence[str], *, min_count: int | None = None) -> Counter[str]:
    """How often each content word or collocation ("car park", "grid roads") occurs in the answers.

    Forms of one word ("car", "cars") are counted together under the form residents used most.
    """
    answers = [content_clauses(t) for t in texts]
    # Collocations are learned within clauses: "fly tipping, woods" must not make "flytipping woods".
    pairs = learn_collocations(
        [c for a in answers for c in a], min_count=min_count or max(3, len(texts) // 500)
    )
    by_stem: dict[str, Counter[str]] = defaultdict(Counter)
    for clauses in answers:
        for clause in clauses:
            for term in join_collocations(clause, pairs):
                by_stem[nlp.stem(term)][term] += 1
    counts: Counter[str] = Counter()
    for forms in by_stem.values():
        term = forms.most_common(1)[0][0]
        counts[DISPLAY.get(term, term.replace("_", " "))] = sum(forms.values())
    return counts


def word_cloud_png(
    texts: Sequence[str],
    *,
    width: int = 1200,
    height: int = 600,
    max_words: int = 80,
    random_state: int = 2016,
    frequencies: Counter[str] | None = None,
) -> bytes:
    """A PNG word cloud of the answers' terms and phrases; the same answers always give the same picture.

    `frequencies`: `term_frequencies(texts)` when the caller has it already (a report's top terms)."""
    from wordcloud import WordCloud  # with matplotlib and Pillow: loaded when a picture is drawn

    freqs = term_frequencies(texts) if frequencies is None else frequencies
    if not freqs:
        freqs = Counter({"no answers": 1})

    def colour(
        word: str,
        font_size: int,
        position: tuple[int, int],
        orientation: int | None,
        random_state: random.Random | None = None,
        **kwargs: object,
    ) -> str:
        return OKABE_ITO[sum(map(ord, word)) % len(OKABE_ITO)]

    cloud = WordCloud(
        width=width,
        height=height,
        background_color="white",
        max_words=max_words,
        random_state=random_state,
        color_func=colour,
        prefer_horizontal=0.95,
        collocations=False,
    ).generate_from_frequencies(dict(freqs))
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG")
    return buffer.getvalue()
