"""The norm recognised by meaning with the real encoder, measured on the labelled statements' test split."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import yaml

from encoder import Encoder
from norm_statements.check import check
from norm_statements.findings import Severity
from norm_statements.norm_meaning import NormDetector

pytestmark = pytest.mark.slow  # the real default model (loaded once per session)
LABELLED = Path(__file__).resolve().parents[1] / "data" / "statements" / "labelled.yaml"


@pytest.fixture(scope="module")
def norms(e5_encoder: Encoder) -> NormDetector:
    return NormDetector(e5_encoder.encode_queries)


def test_norms_in_own_words_are_recognised_and_named(norms: NormDetector) -> None:
    text = "We hebben de video gezien. Iedereen mag demonstreren, ook als anderen het er niet mee eens zijn."
    findings = check(text, "social", "onpartijdigheid", norms=norms)
    assert "norm-ontbreekt" not in {f.code for f in findings}
    assert [f.excerpt for f in findings if f.code == "norm-herkend"] == [
        "Iedereen mag demonstreren, ook als anderen het er niet mee eens zijn."]


def test_hiding_behind_the_investigation_is_not_mistaken_for_a_norm(norms: NormDetector) -> None:
    findings = check("We kennen de beelden. Er loopt een onderzoek, daarom geven we geen commentaar.", "social",
                     "geweld", norms=norms)
    codes = {f.code: f for f in findings}
    assert codes["alleen-lopend-onderzoek"].severity is Severity.ERROR
    assert codes["norm-ontbreekt"].severity is Severity.WARNING and codes["norm-ontbreekt"].excerpt  # the closest


def test_test_split_no_good_statement_blocked_and_bad_ones_caught(norms: NormDetector) -> None:
    items = [i for i in yaml.safe_load(LABELLED.read_text("utf-8")) if i["split"] == "test"]
    blocked, caught, bad = [], 0, 0
    for item in items:
        errors = {f.code for f in check(item["tekst"], item["kanaal"], item["categorie"], norms=norms)
                  if f.severity is Severity.ERROR}
        if item["soort"] == "goed" and errors:
            blocked.append(item["id"])
        if item["soort"] == "fout":
            bad += 1
            caught += item["defect"] in errors
    # Measured with the defensiveness banks: g02 only, whose norm about conduct ("een agent hoort een aangehouden man
    # niet te schoppen") reads as defensive by meaning (docs/norm_check.md); a guard against further regressions.
    assert set(blocked) <= {"g02"}, blocked
    # Measured 31 of 32 (0.97; docs/norm_check.md); this guards against regressions.
    assert caught / bad >= 0.9, (caught, bad)


def test_defensive_sentences_are_named_and_acceptable_ones_on_the_same_subjects_are_not(norms: NormDetector) -> None:
    frame = "Geweld gebruiken we alleen als het echt nodig is. {} We kijken kritisch naar ons optreden."
    defensive = "De man bracht zichzelf in deze positie door weg te rennen."  # no pattern knows this wording
    assert "schuld-afschuiven" not in {f.code for f in check(frame.format(defensive), "persverklaring", "geweld")}
    (finding,) = [f for f in check(frame.format(defensive), "persverklaring", "geweld", norms=norms)
                  if f.code == "schuld-afschuiven"]
    # recognised by meaning only: a warning naming the sentence (a judgement call never blocks approval)
    assert finding.severity is Severity.WARNING and finding.excerpt == defensive
    assert "schuld bij de betrokkene" in finding.message
    for acceptable in ("De man rende weg en werd even later aangehouden.",
                       "De vrouw liep bij de aanhouding lichte verwondingen op.",
                       "We weten dat collega's lange diensten draaien; dat is nooit een excuus."):
        flagged = [f for f in check(frame.format(acceptable), "persverklaring", "geweld", norms=norms)
                   if f.code in ("schuld-afschuiven", "bagatelliseren", "vooroordeel-collega")]
        assert flagged == [], acceptable


def test_each_sentence_is_embedded_once_for_norm_and_defensiveness(e5_encoder: Encoder) -> None:
    calls: list[list[str]] = []

    def counting(texts: Sequence[str]) -> np.ndarray:
        calls.append(list(texts))
        return e5_encoder.encode_queries(texts)

    norms = NormDetector(counting)
    text = "We kennen de video. Er loopt een onderzoek. We kennen de video. Wij kiezen geen partij."
    check(text, "social", "onpartijdigheid", norms=norms)  # embeds the banks once
    calls.clear()
    check(text, "social", "onpartijdigheid", norms=norms)
    assert calls == [["We kennen de video.", "Er loopt een onderzoek.", "Wij kiezen geen partij."]]
