"""Benchmark: theme tagging speed (target 5,000 answers/s, one core) and the 100,000-answer pipeline (< 60 s).

Run `python -m bench.themes`. The 100,000 answers are made by recombining the sentences of the hand-labelled
answers (tests/data/themes/*.csv) with a seeded RNG. Also prints the evaluation figures on the shipped sets.
"""

from __future__ import annotations

import os

# One core: BLAS and OpenMP pools (used by NMF and logistic regression) limited before numpy loads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TypeVar  # noqa: E402

from analysis.text import (  # noqa: E402
    LabelledSet,
    Tagger,
    codebook_from_descriptions,
    default_codebook,
    evaluate,
    read_labelled_csv,
    suggest_themes,
    summarise,
    tag_answers,
    untagged,
    word_cloud_png,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "themes"
N = 100_000
T = TypeVar("T")


def sentences() -> list[str]:
    """Every sentence (or clause after a comma) of the labelled answers."""
    texts = read_labelled_csv(DATA / "train.csv").texts + read_labelled_csv(DATA / "test.csv").texts
    parts = [p.strip() for t in texts for p in re.split(r"(?<=[.!?,])\s+", t)]
    return [p for p in parts if p]


def synthetic_answers(n: int, seed: int = 2016) -> list[tuple[str, str]]:
    """n answers of 1-4 recombined sentences, some lower-cased, with respondent ids and an age group."""
    pool = sentences()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(rng.choice(pool) for _ in range(rng.choice((1, 1, 2, 2, 3, 4))))
        out.append((f"r{i}", text.lower() if rng.random() < 0.3 else text))
    return out


def timed(label: str, func: Callable[[], T]) -> tuple[T, float]:
    """Run func once; print wall and CPU time; return the result and the CPU time (the one-core figure)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func()
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"  {label:<44} {used:8.2f} s CPU {elapsed:8.2f} s wall")
    return result, used


def bench_speed() -> None:
    """Tagging throughput and the 100,000-answer pipeline."""
    answers = synthetic_answers(N)
    codebook = default_codebook()
    tagger = Tagger(codebook)
    fresh = synthetic_answers(20_000, seed=7)
    start, cpu = time.perf_counter(), time.process_time()
    for rid, text in fresh:
        tagger.tag(text, rid)
    rate, wall = len(fresh) / (time.process_time() - cpu), len(fresh) / (time.perf_counter() - start)
    verdict = "met" if rate >= 5000 else "NOT met"
    print(
        f"Tagging: {rate:,.0f} answers per CPU second ({wall:,.0f}/s wall), one core; target 5,000: {verdict}"
    )
    groups = {rid: {"age": ("16-34", "35-64", "65+")[int(rid[1:]) % 3]} for rid, _ in answers}
    print(f"Pipeline on {N:,} answers:")
    total = 0.0
    tagged, t = timed("tag", lambda: tag_answers(answers, codebook))
    total += t
    _, t = timed("summarise (groups, quotes, tone)", lambda: summarise(tagged, codebook, groups=groups))
    total += t
    rest = [(a.response_id, a.text) for a in untagged(tagged)]
    found, t = timed(f"discover among {len(rest):,} untagged answers", lambda: suggest_themes(rest))
    total += t
    png, t = timed("word cloud PNG", lambda: word_cloud_png([text for _, text in answers]))
    total += t
    print(f"  {'total (CPU)':<44} {total:8.2f} s (target under 60 s): {'met' if total < 60 else 'NOT met'}")
    print(f"  {len(found)} suggestions; word cloud {len(png):,} bytes")


def bench_quality() -> None:
    """F1 on the community-safety split and on the ThemeFinder gambling XS set."""
    train, test = read_labelled_csv(DATA / "train.csv"), read_labelled_csv(DATA / "test.csv")
    codebook = default_codebook()
    print("Community safety (train 217 / test 145):")
    for name, kwargs in (
        ("codebook only", {"codebook": codebook}),
        ("learned only", {"train_set": train}),
        ("learned + codebook", {"train_set": train, "codebook": codebook}),
    ):
        show(name, evaluate(test, **kwargs))  # type: ignore[arg-type]
    folder = DATA / "themefinder-gambling-xs"
    for part in (1, 2):
        themes = json.loads((folder / f"question_part_{part}.themes.json").read_text(encoding="utf-8"))[
            "themes"
        ]
        cb = codebook_from_descriptions("gambling", themes)
        data = read_labelled_csv(folder / f"question_part_{part}.csv")
        print(f"ThemeFinder gambling XS, question part {part} (13 themes):")
        show("codebook from descriptions, all 100", evaluate(data, codebook=cb))
        order = list(range(len(data.texts)))
        random.Random(0).shuffle(order)
        half_a, half_b = order[:50], order[50:]
        tr = LabelledSet(tuple(data.texts[i] for i in half_a), tuple(data.labels[i] for i in half_a))
        te = LabelledSet(tuple(data.texts[i] for i in half_b), tuple(data.labels[i] for i in half_b))
        show("codebook only, test half", evaluate(te, codebook=cb))
        show("learned on 50 + codebook, test half", evaluate(te, train_set=tr, codebook=cb))


def show(name: str, report: object) -> None:
    """One line: micro and macro F1 with their intervals."""
    micro, macro = report.micro_f1, report.macro_f1  # type: ignore[attr-defined]
    print(
        f"  {name:<38} micro {micro.value:.3f} ({micro.low:.3f}-{micro.high:.3f})"
        f"  macro {macro.value:.3f} ({macro.low:.3f}-{macro.high:.3f})"
    )


def main() -> None:
    """Run both parts and print the machine."""
    print(
        f"{time.strftime('%Y-%m-%d')} {platform.processor() or platform.machine()} nproc={os.cpu_count()} "
        f"Python {platform.python_version()} load {os.getloadavg()[0]:.1f}"
    )
    bench_speed()
    bench_quality()


if __name__ == "__main__":
    main()
