"""Benchmark: the staff coding page's model step at 2,000 answers with 100 coded, in CPU seconds.

Run `python -m bench.themes_coding_speed [--previous REF] [--answers N] [--coded K]`. 2,000 answers of the NHS
development set (bench/data/nhs-fft-nhft.csv, the first 2,000; past its 2,293 answers, two joined into one),
the first 100 coded with their themes, the shipped codebook.
Times, in one process and one BLAS thread:

- the previous code (analysis/text/learning.py at git REF, loaded from `git show`): the coding page's first
  view (train, next_to_code, cross-validated progress) and the suggestions page (learn_from_coding), each
  computing its own model as they did;
- this code: the coding page's first view (survey.services.themes.coding_state, caches cleared: the model
  and the answers to code next; the 5-fold progress estimate is a background job since 2026-12-03), the
  estimate's job on its own (survey.services.themes.agreement, what the job computes), the coding page
  again after one more answer is coded (the answers' features are kept), the suggestions page after the
  coding page with the estimate its job stored (coding_suggestions with `agreement`), and the suggestions
  page on its own (caches cleared: it cross-validates in the request when no estimate is stored).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from analysis.text import read_labelled_csv  # noqa: E402
from analysis.text.active import next_to_code  # noqa: E402
from analysis.text.codebook import default_codebook  # noqa: E402
from survey.services import themes as services  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "nhs-fft-nhft.csv"


def cpu(func: Callable[[], Any]) -> tuple[Any, float]:
    start = time.process_time()
    result = func()
    return result, time.process_time() - start


def answer_texts(texts: list[str], n: int) -> list[str]:
    """The first n of texts; past their end (2,293 NHS answers), two of them joined (the i-th and a
    scattered other one), so that every answer is distinct and its words are real ones."""
    joined = [f"{texts[i % len(texts)]} {texts[(i * 7919 + 13) % len(texts)]}" for i in range(len(texts), n)]
    return [*texts[:n], *joined]


def previous_learning(ref: str) -> types.ModuleType:
    """analysis/text/learning.py as it was at `ref`, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{ref}:analysis/text/learning.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("previous_learning")
    module.__dict__["__name__"] = "previous_learning"
    sys.modules["previous_learning"] = module
    exec(compile(source, f"{ref}:analysis/text/learning.py", "exec"), module.__dict__)  # noqa: S102
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--previous", default="", help="git ref of the code to compare with (default: none)")
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--coded", type=int, default=100)
    args = parser.parse_args()
    data = read_labelled_csv(DATA)
    answers = [(i + 1, text) for i, text in enumerate(answer_texts(data.texts, args.answers))]
    codes = {i + 1: list(labels) for i, labels in enumerate(data.labels[: args.coded])}
    codebook = default_codebook()
    print(f"{len(answers)} answers, {len(codes)} coded, one BLAS thread; CPU seconds")
    if args.previous:
        old = previous_learning(args.previous)
        texts = [text for rid, text in answers if rid in codes]
        labels = [codes[rid] for rid, _ in answers if rid in codes]
        rest = [(rid, text) for rid, text in answers if rid not in codes]
        uncoded = [text for _, text in rest]

        def old_coding_page() -> None:
            model = old.train(texts, labels, codebook=codebook, uncoded=uncoded)
            next_to_code(model, rest, n=20)
            old.cross_validate(texts, labels, codebook=codebook, folds=5, uncoded=uncoded)

        _, t = cpu(old_coding_page)
        print(f"previous ({args.previous[:12]}): coding page first view {t:.1f}")
        _, t = cpu(lambda: old.learn_from_coding(answers, codes, codebook=codebook))
        print(f"previous ({args.previous[:12]}): suggestions page {t:.1f}")
    caches = (
        services._representation,
        services._learned,
        services._coding_state,
        services._coding_suggestions,
        services._agreement,
    )
    clear = [cached.cache_clear for cached in caches]
    for c in clear:
        c()
    wall = time.perf_counter()
    _, t = cpu(lambda: services.coding_state(answers, codes, codebook))
    print(f"this code: coding page first view {t:.1f} (wall {time.perf_counter() - wall:.1f})")
    wall = time.perf_counter()
    found, t = cpu(lambda: services.agreement(answers, codes, codebook))
    print(
        f"this code: the progress estimate's background job {t:.1f} (wall {time.perf_counter() - wall:.1f})"
    )
    more = dict(codes)
    more[args.coded + 1] = list(data.labels[args.coded % len(data.labels)])
    wall = time.perf_counter()
    _, t = cpu(lambda: services.coding_state(answers, more, codebook))
    took = time.perf_counter() - wall
    print(f"this code: coding page after one more answer is coded {t:.1f} (wall {took:.1f})")
    _, t = cpu(lambda: services.coding_suggestions(answers, codes, codebook, agreement=found))
    print(f"this code: suggestions page after the coding page and its estimate {t:.1f}")
    for c in clear:
        c()
    _, t = cpu(lambda: services.coding_suggestions(answers, codes, codebook))
    print(f"this code: suggestions page on its own (no stored estimate) {t:.1f}")


if __name__ == "__main__":
    main()
