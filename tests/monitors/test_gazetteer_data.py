"""The gazetteer's data checked against facts kept apart from it: which safety region belongs to which unit."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from monitors.places import find_places

DATA = Path(__file__).resolve().parents[2] / "monitors" / "data" / "nl"
# Politiewet 2012 art. 25 and the Besluit regionale eenheden: the 25 safety regions in the 10 regional units.
REGION_UNIT = {
    "VR01": "RE01", "VR02": "RE01", "VR03": "RE01",
    "VR04": "RE02", "VR05": "RE02", "VR06": "RE02", "VR07": "RE02", "VR08": "RE02",
    "VR09": "RE03", "VR14": "RE03", "VR25": "RE03",
    "VR10": "RE04", "VR11": "RE04", "VR12": "RE04",
    "VR13": "RE05",
    "VR15": "RE06", "VR16": "RE06",
    "VR17": "RE07", "VR18": "RE07",
    "VR19": "RE08", "VR20": "RE08",
    "VR21": "RE09", "VR22": "RE09",
    "VR23": "RE10", "VR24": "RE10",
}


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_region_table_matches_the_law() -> None:
    table = {r["veiligheidsregio_code"]: r["politie_eenheid_code"] for r in rows("veiligheidsregio_naar_politie_eenheid.csv")}
    assert table == REGION_UNIT


@pytest.mark.parametrize("name", ["gemeenten_2025_vr_politie.csv", "woonplaatsen_2024_gemeente_politie.csv"])
def test_every_place_lies_in_the_unit_of_its_safety_region(name: str) -> None:
    wrong = [f"{r.get('gemeentenaam')}/{r.get('woonplaatsnaam', '')}: {r['politie_eenheid_code']}"
             for r in rows(name) if REGION_UNIT[r["veiligheidsregio_code"]] != r["politie_eenheid_code"]]
    assert wrong == []


@pytest.mark.parametrize(("town", "unit"), [
    ("Leeuwarden", "RE01"), ("Zwolle", "RE02"), ("Amersfoort", "RE03"), ("Haarlem", "RE04"), ("Amstelveen", "RE05"),
    ("Leiden", "RE06"), ("Dordrecht", "RE07"), ("Breda", "RE08"), ("Eindhoven", "RE09"), ("Maastricht", "RE10"),
])
def test_one_known_town_per_unit(town: str, unit: str) -> None:
    result = find_places("", f"Agenten grepen zaterdag in {town} in bij een vechtpartij.")
    assert {u for p in result.places for u in p.candidate_units} == {unit}
