"""`catbot monitor classify TEXT`: moral-issue scores, labels and the evidence behind them for one text."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.common import UserError, friendly_errors, load_settings, print_json
from monitors.classify import Classification, Classifier
from playbooks.vocabulary import Category

TextArg = Annotated[str, typer.Argument(help="Kop en/of lead van een bericht (tussen aanhalingstekens)")]
JsonOption = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON")]


def load_classifier(model: str | None, precision: str | None = None) -> Classifier:
    """The encoder named by CATBOT_MODEL (empty: the bundled multilingual model) wrapped in a Classifier."""
    from bot.analysis import classifier
    from encoder import EncoderLoadError

    try:
        return classifier(model, precision)
    except EncoderLoadError as exc:
        raise UserError(str(exc)) from None


@friendly_errors
def classify(text: TextArg, as_json: JsonOption = False) -> None:
    """Score geweld, discriminatie_inclusie, onpartijdigheid, integriteit and geen; show labels and evidence."""
    if not text.strip():
        raise UserError("geen tekst om te classificeren: geef een kop en/of lead tussen aanhalingstekens")
    settings = load_settings()
    result = load_classifier(settings.model, settings.model_precision).classify(text.strip())
    if as_json:
        print_json(result.to_dict())
        return
    for line in render(result):
        typer.echo(line)


def render(result: Classification) -> list[str]:
    """Human-readable lines: labels first, then each category with its score, threshold, terms and neighbours."""
    lines = [f"labels: {', '.join(c.value for c in result.labels)}"]
    order = sorted(Category.moral(), key=lambda c: -result.scores[c])
    for category in [*order, Category.GEEN]:
        evidence = result.explanation[category]
        mark = "  ← label" if category in result.labels else ""
        threshold = "" if category is Category.GEEN else f"  (drempel {evidence.threshold:.2f})"
        lines.append(f"  {category.value:<24}{result.scores[category]:.2f}{threshold}{mark}")
        if evidence.terms:
            found = ", ".join(f"{h.term} ('{h.matched}')" for h in evidence.terms)
            lines.append(f"      termen: {found}")
        if category in result.labels or category is Category.GEEN:
            for neighbour in evidence.examples:
                lines.append(f"      lijkt op ({neighbour.similarity:.2f}): {neighbour.text}")
    lines.append(f"politiecontext: {', '.join(result.police_terms) or 'geen (geen politie in de tekst)'}")
    kind = "gekalibreerd" if result.calibrated else "niet gekalibreerd voor dit model: heuristische scores"
    lines.append(f"model: {result.model} ({kind})")
    return lines
