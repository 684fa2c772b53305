"""Calibration of classifier features into probabilities: logistic regression per category (numpy), kept as JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from playbooks.vocabulary import Category

CALIBRATION_RESOURCE = "data/classifier_calibration.json"
FEATURES: tuple[str, ...] = ("lead_x_police", "margin_x_police", "terms_x_police", "police")
"""Each gated by police (1 when the text is about the police, else 0), because a fight between citizens is no police
moral issue. lead: the category's nearest-example similarity (top-k mean cosine) minus the best other category's;
margin: that similarity minus the same against the 'geen' prototypes and counter-examples; terms: playbook terms found
(0, 0.5 for one, 1 for two or more)."""
DEFAULT_THRESHOLD = 0.5
DEFAULT_L2 = 0.3  # chosen by 5-fold cross-validation on the train split


@dataclass(frozen=True)
class CategoryModel:
    """Logistic regression on standardised features: p = sigmoid(bias + weights · (x - mean) / std)."""

    mean: tuple[float, ...]
    std: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = DEFAULT_THRESHOLD

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Probabilities for rows of raw features, shape (n, len(FEATURES)) → (n,)."""
        z = (features - np.asarray(self.mean)) / np.asarray(self.std)
        return _sigmoid(self.bias + z @ np.asarray(self.weights))


@dataclass(frozen=True)
class Calibration:
    """Fitted parameters per moral category, valid for one model (by name) and the features listed."""

    model: str
    features: tuple[str, ...]
    categories: dict[Category, CategoryModel]
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Stable, readable JSON (rounded parameters)."""
        data = {
            "model": self.model,
            "features": list(self.features),
            "meta": self.meta,
            "categories": {
                c.value: {
                    "mean": [round(v, 6) for v in m.mean],
                    "std": [round(v, 6) for v in m.std],
                    "weights": [round(v, 4) for v in m.weights],
                    "bias": round(m.bias, 4),
                    "threshold": round(m.threshold, 3),
                }
                for c, m in self.categories.items()
            },
        }
        text = json.dumps(data, ensure_ascii=False, indent=2)
        # One line per parameter vector keeps the file short enough to read and diff.
        return re.sub(r"\[\s+([^\[\]]*?)\s+\]", lambda m: "[" + re.sub(r"\s+", " ", m.group(1)) + "]", text) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        """Parse what to_json wrote; ValueError when the features do not match this code's."""
        data = json.loads(text)
        features = tuple(data["features"])
        if features != FEATURES:
            raise ValueError(f"calibration features {features} differ from {FEATURES}")
        categories = {
            Category(name): CategoryModel(
                tuple(m["mean"]), tuple(m["std"]), tuple(m["weights"]), float(m["bias"]), float(m["threshold"])
            )
            for name, m in data["categories"].items()
        }
        return cls(str(data["model"]), features, categories, dict(data.get("meta", {})))


def bundled_calibration() -> Calibration | None:
    """The calibration shipped in the package, or None when there is none."""
    resource = resources.files("monitors").joinpath(CALIBRATION_RESOURCE)
    if not resource.is_file():
        return None
    return Calibration.from_json(resource.read_text(encoding="utf-8"))


def bundled_calibration_path() -> Path:
    """Where the bundled calibration lives in the source tree (for the fitting script)."""
    return Path(str(resources.files("monitors").joinpath(CALIBRATION_RESOURCE)))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> CategoryModel:
    """L2-regularised logistic regression by Newton's method on standardised features (bias not penalised)."""
    mean = x.mean(axis=0)
    std = np.where(x.std(axis=0) > 1e-9, x.std(axis=0), 1.0)
    design = np.hstack([np.ones((len(x), 1)), (x - mean) / std])
    beta = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * l2
    penalty[0, 0] = 0.0
    for _ in range(iterations):
        p = _sigmoid(design @ beta)
        gradient = design.T @ (p - y) + penalty @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return CategoryModel(tuple(map(float, mean)), tuple(map(float, std)), tuple(map(float, beta[1:])), float(beta[0]))


def choose_threshold(x: np.ndarray, y: np.ndarray, l2: float = DEFAULT_L2, folds: int = 5) -> float:
    """The threshold (0.30–0.70) with the best out-of-fold F1, smoothed over its neighbours; ties go up."""
    order = np.arange(len(y))
    out_of_fold = np.empty(len(y))
    for fold in range(folds):
        held = order % folds == fold
        out_of_fold[held] = fit_logistic(x[~held], y[~held], l2).probability(x[held])
    grid = np.round(np.arange(0.25, 0.751, 0.05), 2)
    f1 = np.array([_f1(out_of_fold >= t, y == 1) for t in grid])
    # Small folds make F1 jumpy from one grid step to the next; a 3-step mean picks a plateau, not a spike.
    smoothed = np.convolve(f1, np.ones(3) / 3, mode="same")
    inner = slice(1, len(grid) - 1)
    best = np.flatnonzero(np.isclose(smoothed[inner], smoothed[inner].max(), atol=1e-9)).max()
    return float(grid[inner][best])


def _f1(predicted: np.ndarray, gold: np.ndarray) -> float:
    return 2 * float((predicted & gold).sum()) / max(1.0, float(predicted.sum() + gold.sum()))


def fit_calibration(
    features: np.ndarray, labels: np.ndarray, model: str, l2: float = DEFAULT_L2, meta: dict[str, Any] | None = None
) -> Calibration:
    """Fit one logistic regression per moral category: features (n, 4, F), labels (n, 4) of 0/1."""
    categories: dict[Category, CategoryModel] = {}
    for index, category in enumerate(Category.moral()):
        x, y = features[:, index, :], labels[:, index].astype(float)
        fitted = fit_logistic(x, y, l2)
        threshold = choose_threshold(x, y, l2)
        categories[category] = CategoryModel(fitted.mean, fitted.std, fitted.weights, fitted.bias, threshold)
    return Calibration(model, FEATURES, categories, dict(meta or {}))
