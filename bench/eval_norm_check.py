"""The statement check on the labelled statements: errors on good ones, the right error on bad ones, per code.

Run: python bench/eval_norm_check.py [--write]   (tune the norm threshold on dev; --write puts the tables in
docs/norm_check.md). Data: tests/data/statements/labelled.yaml, written for this project.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from encoder import Encoder
from norm_statements.check import _defensive_by_meaning, _norm_finding, _sentences, check
from norm_statements.defensive_meaning import THRESHOLDS
from norm_statements.findings import Severity
from norm_statements.norm_meaning import THRESHOLD, Embed, NormDetector
from playbooks.vocabulary import parse_category

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "statements" / "labelled.yaml"
FRESH = DATA.parent / "fresh_test.yaml"
DOC = ROOT / "docs" / "norm_check.md"
START, END = "<!-- eval:start -->", "<!-- eval:end -->"
PRIVACY = {"persoonsnaam", "persoonsgegevens"}


def load() -> list[dict[str, Any]]:
    return list(yaml.safe_load(DATA.read_text("utf-8")))


def errors_of(item: dict[str, Any], norms: NormDetector | None) -> set[str]:
    findings = check(item["tekst"], item["kanaal"], item["categorie"], norms=norms)
    return {f.code for f in findings if f.severity is Severity.ERROR}


def flagged_of(item: dict[str, Any], norms: NormDetector | None) -> set[str]:
    findings = check(item["tekst"], item["kanaal"], item["categorie"], norms=norms)
    return {f.code for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)}


def warned_no_norm(item: dict[str, Any], norms: NormDetector | None) -> bool:
    return any(f.code == "norm-ontbreekt" for f in check(item["tekst"], item["kanaal"], item["categorie"], norms=norms))


def hit(defect: str, errors: set[str]) -> bool:
    return bool(errors & PRIVACY) if defect in PRIVACY else defect in errors


def evaluate(items: list[dict[str, Any]], norms: NormDetector | None) -> dict[str, Any]:
    good = [i for i in items if i["soort"] == "goed"]
    bad = [i for i in items if i["soort"] == "fout"]
    errors = {i["id"]: errors_of(i, norms) for i in items}
    per_code: dict[str, Counter[str]] = {}
    for item in items:
        defect = item.get("defect")
        for code in sorted({*(errors[item["id"]]), *([defect] if defect else [])}):
            counts = per_code.setdefault(code, Counter())
            expected, found = code == defect, code in errors[item["id"]] or (code in PRIVACY and defect in PRIVACY
                                                                              and hit(defect, errors[item["id"]]))
            counts["tp" if expected and found else "fn" if expected else "fp"] += 1
    return {
        "good": len(good), "good_blocked": [i["id"] for i in good if errors[i["id"]]],
        "bad": len(bad), "bad_caught": sum(hit(i["defect"], errors[i["id"]]) for i in bad),
        "bad_missed": [i["id"] for i in bad if not hit(i["defect"], errors[i["id"]])],
        "bad_flagged": sum(hit(i["defect"], flagged_of(i, norms)) for i in bad),
        "norm_warned": sum(warned_no_norm(i, norms) for i in good), "per_code": per_code,
    }


def table(name: str, r: dict[str, Any]) -> list[str]:
    lines = [f"**{name}** — good statements with an error: {len(r['good_blocked'])} of {r['good']}"
             f"{' (' + ', '.join(r['good_blocked']) + ')' if r['good_blocked'] else ''}; bad statements with an "
             f"error of the right code: {r['bad_caught']} of {r['bad']} ({r['bad_caught'] / r['bad']:.0%})"
             f"{'; missed ' + ', '.join(r['bad_missed']) if r['bad_missed'] else ''}; with an error or a warning "
             f"of the right code: {r['bad_flagged']} of {r['bad']}; good statements warned "
             f"'norm-ontbreekt': {r['norm_warned']} of {r['good']}.", "",
             "| error code | precision | recall | support |", "|---|---:|---:|---:|"]
    for code, c in sorted(r["per_code"].items()):
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        precision = f"{tp / (tp + fp):.2f}" if tp + fp else "–"
        recall = f"{tp / (tp + fn):.2f}" if tp + fn else "–"
        lines.append(f"| `{code}` | {precision} | {recall} | {tp + fn} |")
    return lines + [""]


def sweep(items: list[dict[str, Any]], embed: Embed) -> list[str]:
    """Dev only: how the threshold trades recognised norms in good statements against 'norm found' in statements
    that only hide behind the investigation (which must stay errors)."""
    lines = ["| margin | good statements warned 'norm-ontbreekt' | hiding statements not caught |",
             "|---:|---:|---:|"]
    hiding = [i for i in items if i.get("defect") == "alleen-lopend-onderzoek"]
    good = [i for i in items if i["soort"] == "goed"]
    for threshold in (-0.02, 0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06):
        norms = NormDetector(embed, threshold)
        lines.append(f"| {threshold:.2f} | {sum(warned_no_norm(i, norms) for i in good)} of {len(good)} | "
                     f"{sum('alleen-lopend-onderzoek' not in errors_of(i, norms) for i in hiding)} of {len(hiding)} |")
    return lines


DEFENSIVE = ("schuld-afschuiven", "bagatelliseren", "vooroordeel-collega")


def defensive_sweep(items: list[dict[str, Any]], embed: Embed) -> list[str]:
    """Dev only: one margin for the three defensiveness codes by meaning, against good statements blocked and bad
    ones of those codes caught (patterns included; a margin of 1.00 is the patterns alone)."""
    lines = ["| defensive margin | good statements with an error | defensive bad statements caught | caught by "
             "meaning alone (patterns off) |", "|---:|---:|---:|---:|"]
    good = [i for i in items if i["soort"] == "goed"]
    bad = [i for i in items if i.get("defect") in DEFENSIVE]
    norms = NormDetector(embed)

    def by_meaning(item: dict[str, Any]) -> bool:
        sentences, category = _sentences(item["tekst"]), parse_category(item["categorie"])
        vectors = norms.embed_sentences(sentences)
        norm = _norm_finding(item["tekst"], category, norms, vectors)
        found = _defensive_by_meaning(sentences, vectors, norms, category,
                                      norm.excerpt if norm is not None and norm.code == "norm-herkend" else None)
        return item["defect"] in found

    for margin in (0.0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 1.0):
        norms.defensive.thresholds = dict.fromkeys(DEFENSIVE, margin)
        lines.append(f"| {margin:.3f} | {sum(bool(errors_of(i, norms)) for i in good)} of {len(good)} | "
                     f"{sum(i['defect'] in errors_of(i, norms) for i in bad)} of {len(bad)} | "
                     f"{sum(by_meaning(i) for i in bad)} of {len(bad)} |")
    return lines


def cached(encoder: Encoder) -> Embed:
    """The encoder with a memo per text: the sweeps check every statement many times (the results are the same)."""
    memo: dict[str, np.ndarray] = {}

    def embed(texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in memo]
        if missing:
            memo.update(zip(missing, encoder.encode_queries(missing), strict=True))
        return np.stack([memo[t] for t in texts]) if texts else encoder.encode_queries([])

    return embed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write the tables into docs/norm_check.md")
    parser.add_argument("--model", default=None, help="a local transformers directory (default: the bundled e5)")
    args = parser.parse_args()
    items = load()
    encoder = Encoder.load(args.model)
    embed = cached(encoder)
    norms = NormDetector(embed)
    dev = [i for i in items if i["split"] == "dev"]
    test = [i for i in items if i["split"] == "test"]
    out = [f"Data: `tests/data/statements/labelled.yaml`, {len(items)} statements written for this project "
           f"({sum(i['soort'] == 'goed' for i in items)} good, {sum(i['soort'] == 'fout' for i in items)} bad with "
           f"one defect each); dev {len(dev)}, test {len(test)}. Model: {encoder.name}, norm "
           f"margin {THRESHOLD:.2f}, defensiveness margins "
           f"{', '.join(f'{code} {value:.3f}' for code, value in THRESHOLDS.items())} (all chosen on dev).", "",
           "Norm margin sweep on **dev** (the only split tuned on):", "", *sweep(dev, embed), "",
           "Defensiveness margin sweep on **dev**:", "", *defensive_sweep(dev, embed), ""]
    out += table("dev", evaluate(dev, norms))
    out += table("test (never tuned on)", evaluate(test, norms))
    out += table("test, patterns only (no model loaded)", evaluate(test, None))
    fresh = list(yaml.safe_load(FRESH.read_text("utf-8")))
    out += table(f"independent test ({FRESH.name}, {len(fresh)} statements written by a second author who did not "
                 "read the checker, its banks or labelled.yaml; never tuned on)", evaluate(fresh, norms))
    text = "\n".join(out)
    print(text)
    if args.write:
        doc = DOC.read_text("utf-8")
        DOC.write_text(re.sub(f"{re.escape(START)}.*{re.escape(END)}", f"{START}\n{text}\n{END}", doc, flags=re.S),
                       "utf-8")


if __name__ == "__main__":
    main()
