"""A playbook as readable Markdown (Dutch), for the CLI and for the document shared in a CAT channel."""

from __future__ import annotations

from playbooks.schema import Playbook


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", f"## {title}", "", *[f"- {line}" for line in lines]]


def to_markdown(pb: Playbook) -> str:
    """Title, norm, when it applies, values, rules, trust blocks, figureheads, do's and don'ts, checklist."""
    lines = [f"# {pb.titel} ({pb.categorie})", "", f"**Norm:** {pb.norm}", "", f"**Kort:** {pb.norm_kort}"]
    lines += _section("Wanneer van toepassing", pb.wanneer_van_toepassing)
    lines += _section("Kernwaarden", [f"{v.waarde}: {v.betekenis}" for v in pb.kernwaarden])
    lines += _section("Regels", [f"{r.naam}: {r.kern}" for r in pb.regels])
    lines += _section("Bouwstenen van vertrouwen", [f"{b.bouwsteen} ({b.mate}): {b.aanpak}" for b in pb.bouwstenen])
    lines += _section("Boegbeelden", [f"{f.niveau} – {f.wie}: {' / '.join(f.wanneer)}" for f in pb.boegbeelden])
    lines += _section("Doen", pb.doen)
    lines += _section("Niet doen", pb.niet_doen)
    lines += _section("Checklist", [f"binnen {i.binnen_minuten} min: {i.stap} ({i.wie})" for i in pb.checklist])
    lines += _section("Sjablonen", [f"{s.fase}: {', '.join(s.kanalen)} – {s.wanneer}" for s in pb.sjablonen])
    lines += ["", f"_Classificatie: {len(pb.classificatie.termen)} termen, "
                  f"{len(pb.classificatie.voorbeeldzinnen)} voorbeeldzinnen._", ""]
    return "\n".join(lines)
