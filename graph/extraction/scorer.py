"""The learned scorer: a logistic regression per predicate over candidate actor pairs.

It reads the features of graph.extraction.features (the frames' proposals among
them), so it confirms what the frames find and recovers pairs no frame covers.
The model is plain JSON (weights per feature, an intercept and a threshold per
predicate), shipped beside this module and applied without scikit-learn;
scripts/train_scorer.py retrains it from annotated passages.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import GraphctlError

MODEL_PATH = Path(__file__).with_name("scorer.json")


@dataclass
class PredicateModel:
    intercept: float
    weights: dict[str, float]
    threshold: float

    def probability(self, features: set[str]) -> float:
        z = self.intercept + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class Scorer:
    """Scores a candidate pair for each predicate; `accepted` gives those over threshold."""

    def __init__(self, models: dict[str, PredicateModel], version: str):
        self.models = models
        self.version = version
        self._index: dict[str, list[tuple[str, float]]] = {}  # feature -> (predicate, weight)
        for predicate, model in models.items():
            for feature, weight in model.weights.items():
                self._index.setdefault(feature, []).append((predicate, weight))

    @classmethod
    def from_dict(cls, data: dict) -> "Scorer":
        try:
            models = {p: PredicateModel(float(m["intercept"]), {k: float(v) for k, v in m["weights"].items()},
                                        float(m["threshold"])) for p, m in data["predicates"].items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise GraphctlError(f"not a scorer model ({exc})") from None
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:8]
        return cls(models, digest)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Scorer":
        path = Path(path or MODEL_PATH)
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise GraphctlError(f"{path}: cannot read the scorer model ({exc})") from None

    def scores(self, features: set[str]) -> dict[str, float]:
        """Each predicate's probability, in one pass over the features (an index of the weights)."""
        z = {p: m.intercept for p, m in self.models.items()}
        for feature in features:
            for p, weight in self._index.get(feature, ()):
                z[p] += weight
        return {p: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v)))) for p, v in z.items()}

    def accepted(self, features: set[str]) -> dict[str, float]:
        return {p: s for p, s in self.scores(features).items() if s >= self.models[p].threshold}


__all__ = ["MODEL_PATH", "PredicateModel", "Scorer"]
