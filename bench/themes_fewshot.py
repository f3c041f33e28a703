"""Benchmark: the few-shot protocol of issue 14 on the NHS development set (bench/data/nhs-fft-nhft.csv).

Run `python -m bench.themes_fewshot [--embedding-cache FILE.npz]`. Prints every K and seed for the plain
baseline (default TF-IDF + class-balanced logistic regression) and the learner (classical features; with the
sentence embedding too when the optional extra is installed or a cache of its vectors is given), plus the
learner's training time and tagging speed in answers per CPU second. One BLAS/OpenMP thread.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from analysis.text import read_labelled_csv  # noqa: E402
from analysis.text.embeddings import EmbeddingCache, EmbeddingError, load_embedder  # noqa: E402
from analysis.text.fewshot import format_fewshot, run_fewshot  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "nhs-fft-nhft.csv"


class CachedEmbedder:
    """Vectors computed earlier by the real model (an EmbeddingCache file); a missing text is an error."""

    name = "all-MiniLM-L6-v2 (cached vectors)"

    def __init__(self, path: Path) -> None:
        self.cache = EmbeddingCache(path)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        def missing(found: list[str]) -> np.ndarray:
            raise EmbeddingError(f"{len(found)} answers have no cached vector, e.g. {found[0][:60]!r}")

        return self.cache.get_or_compute(texts, missing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--embedding-cache", type=Path, help="EmbeddingCache .npz with the answers' vectors")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    data = read_labelled_csv(DATA)
    print("Classical features (the default path):")
    print(format_fewshot(run_fewshot(data, seeds=range(args.seeds))))
    embedder = CachedEmbedder(args.embedding_cache) if args.embedding_cache else load_embedder()
    if embedder is not None:
        print(f"\nWith the sentence embedding ({embedder.name}):")
        print(format_fewshot(run_fewshot(data, seeds=range(args.seeds), embedder=embedder)))


if __name__ == "__main__":
    main()
