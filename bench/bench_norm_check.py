"""How long the statement check takes on a 1,000-word statement once the encoder is loaded (goal: under 1 s)."""

from __future__ import annotations

import statistics
import time

from encoder import Encoder
from norm_statements.check import check
from norm_statements.norm_meaning import NormDetector

SENTENCES = [
    "Geweld gebruiken we alleen als het echt nodig is.",
    "De beelden van de aanhouding roepen vragen op, ook bij ons.",
    "We zoeken uit wat er gebeurde en kijken kritisch naar ons eigen optreden.",
    "De Rijksrecherche onderzoekt de zaak onder gezag van het Openbaar Ministerie.",
    "We leggen daarover verantwoording af en geven vanmiddag een update.",
    "Collega's in de wijk spreken met bewoners over wat zij zagen.",
]


def statement(words: int = 1000, sentences: list[str] = SENTENCES) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(sentences[len(out) % len(sentences)])
    return " ".join(out)


NO_NORM = [
    "De beelden van de aanhouding roepen vragen op, ook bij ons.",
    "We zoeken uit wat er gebeurde en kijken kritisch naar ons eigen optreden.",
    "De Rijksrecherche onderzoekt de zaak onder gezag van het Openbaar Ministerie.",
    "We leggen daarover verantwoording af en geven vanmiddag een update.",
    "Collega's in de wijk spreken met bewoners over wat zij zagen.",
]


def unique_statement(words: int = 1000) -> str:
    """A 1,000-word statement in which no sentence repeats (the others repeat six sentences, which the check embeds
    once each): the honest cost of embedding every sentence."""
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        n = len(out)
        out.append(f"Punt {n + 1}: {SENTENCES[n % len(SENTENCES)]}")
    return " ".join(out)


def timed(text: str, norms: NormDetector) -> tuple[float, float]:
    check(text, "woordvoeringslijn", "geweld", norms=norms)  # warm: the banks are embedded once
    times = []
    for _ in range(10):
        start = time.perf_counter()
        check(text, "woordvoeringslijn", "geweld", norms=norms)
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main() -> None:
    norms = NormDetector(Encoder.load(None).encode_queries)
    cases = (("norm in the first sentence", statement()), ("no norm anywhere", statement(sentences=NO_NORM)),
             ("every sentence different", unique_statement()))
    for name, text in cases:
        median, worst = timed(text, norms)
        print(f"{name}: {len(text.split())} words, median {median:.3f} s, max {worst:.3f} s over 10 checks")


if __name__ == "__main__":
    main()
