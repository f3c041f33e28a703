"""The optional sentence embedding: checked weights, cached vectors, and the classical path when absent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.text import embeddings
from analysis.text.embeddings import EmbeddingCache, EmbeddingError, sha256_of, verify_model


def test_each_distinct_answer_is_embedded_once(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def compute(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.array([[len(t), 1.0] for t in texts])

    cache = EmbeddingCache(tmp_path / "vectors.npz")
    first = cache.get_or_compute(["a", "bb", "a"], compute)
    assert calls == [["a", "bb"]] and first.tolist() == [[1, 1], [2, 1], [1, 1]]
    cache.get_or_compute(["bb", "ccc"], compute)
    assert calls[-1] == ["ccc"]
    cache.save()
    again = EmbeddingCache(tmp_path / "vectors.npz")
    assert len(again) == 3
    assert again.get_or_compute(["ccc"], lambda t: pytest.fail("recomputed")).tolist() == [[3, 1]]


def test_a_broken_cache_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not numpy")
    with pytest.raises(EmbeddingError, match="not a readable embedding cache"):
        EmbeddingCache(bad)


def test_weights_with_another_sha256_are_refused(tmp_path: Path) -> None:
    (tmp_path / "model").mkdir()
    weights = tmp_path / "model" / "model.safetensors"
    weights.write_bytes(b"weights")
    verify_model(tmp_path, sha256_of(weights))
    with pytest.raises(EmbeddingError, match="is not the recorded"):
        verify_model(tmp_path, "0" * 64)
    weights.unlink()
    with pytest.raises(EmbeddingError, match="weights are missing"):
        verify_model(tmp_path)


def test_without_the_extra_the_learner_uses_classical_features(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "available", lambda: False)
    assert embeddings.load_embedder() is None


def test_an_embedder_adds_its_vectors_to_the_features() -> None:
    from analysis.text import train

    class Fake:
        name = "fake"

        def embed(self, texts: list[str]) -> np.ndarray:
            return np.array([[1.0, 0.0] if "bin" in t else [0.0, 1.0] for t in texts])

    model = train(
        ["bin full", "bins overflowing", "bus late", "buses gone"],
        [["bins"], ["bins"], ["buses"], ["buses"]],
        embedder=Fake(),
    )
    assert model.predict(["bin again", "bus again"]) == [("bins",), ("buses",)]
