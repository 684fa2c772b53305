"""A trained classifier head: logistic regression per moral category over the embedding and the playbook features.

Fitted by bench/fit_head.py (scikit-learn, fixed seed) and bundled as JSON; at run time only numpy is needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from playbooks.vocabulary import Category

HEAD_RESOURCE = "data/classifier_head.json"
FEATURE_SCALE = 3.0  # the 4×4 playbook features are few beside 384 embedding dimensions: weigh them up


@dataclass(frozen=True)
class Head:
    """p(category) = sigmoid(bias + weights · [embedding, FEATURE_SCALE · features]); label at p ≥ threshold."""

    model: str
    weights: dict[Category, np.ndarray]
    bias: dict[Category, float]
    threshold: dict[Category, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, vectors: np.ndarray, features: np.ndarray, categories: tuple[Category, ...]) -> np.ndarray:
        """Shape (n, len(categories)) from embeddings (n, dim) and raw features (n, categories, features)."""
        x = head_inputs(vectors, features)
        z = np.stack([x @ self.weights[c] + self.bias[c] for c in categories], axis=1)
        result: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return result

    def to_json(self) -> str:
        data = {
            "model": self.model,
            "meta": self.meta,
            "categories": {
                c.value: {
                    "threshold": self.threshold[c],
                    "bias": round(self.bias[c], 6),
                    "weights": [round(float(v), 5) for v in self.weights[c]],
                }
                for c in self.weights
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Head:
        data = json.loads(text)
        cats = {Category(k): v for k, v in data["categories"].items()}
        return cls(
            model=data["model"],
            weights={c: np.asarray(v["weights"], dtype=np.float32) for c, v in cats.items()},
            bias={c: float(v["bias"]) for c, v in cats.items()},
            threshold={c: float(v["threshold"]) for c, v in cats.items()},
            meta=dict(data.get("meta", {})),
        )


def head_inputs(vectors: np.ndarray, features: np.ndarray) -> np.ndarray:
    """What the head sees: the embedding and the flattened playbook features."""
    return np.hstack([vectors, FEATURE_SCALE * features.reshape(len(vectors), -1)])


def bundled_head_path() -> Path:
    return Path(str(resources.files("monitors").joinpath(HEAD_RESOURCE)))


def bundled_head() -> Head | None:
    """The head shipped with the package, or None when there is none."""
    path = bundled_head_path()
    return Head.from_json(path.read_text(encoding="utf-8")) if path.is_file() else None
