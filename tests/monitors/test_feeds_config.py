"""The feeds file: the shipped example validates; mistakes are reported with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitors.feeds_config import EXAMPLE_FEEDS_FILE, FeedKind, load_feeds
from playbooks.validation import ConfigError


def test_example_feeds_file_is_valid_and_unit_names_become_codes() -> None:
    feeds = {f.name: f for f in load_feeds(EXAMPLE_FEEDS_FILE)}
    assert len(feeds) >= 10
    assert feeds["Rijnmond"].unit == "RE07" and feeds["Rijnmond"].kind is FeedKind.REGIONAAL_NIEUWS
    assert feeds["L1 Limburg"].unit == "RE10"
    assert {f.kind for f in feeds.values()} >= {FeedKind.LANDELIJK_NIEUWS, FeedKind.POLITIE_NIEUWS}


def _errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_feeds(path)
    return [str(f) for f in info.value.findings]


def test_errors_name_their_line(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        "feeds:\n"
        "  - name: Goed\n    url: https://a.test/rss\n    kind: overig\n"
        "  - name: Fout\n    url: ftp://b.test/rss\n    kind: krant\n    unit: Gotham\n    poll_minutes: 0\n",
    )
    text = "\n".join(errors)
    assert ":6: fout (feeds[1].url)" in text
    assert ":7: fout (feeds[1].kind)" in text and "krant" in text
    assert ":8: fout (feeds[1].unit)" in text and "onbekende eenheid 'Gotham'" in text
    assert ":9: fout (feeds[1].poll_minutes)" in text


def test_duplicate_names_are_reported_at_the_second_one(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        "feeds:\n  - name: NOS\n    url: https://a.test\n    kind: overig\n"
        "  - name: nos\n    url: https://b.test\n    kind: overig\n",
    )
    assert len(errors) == 1 and ":5: fout (feeds[1].name)" in errors[0] and "regel 2" in errors[0]


def test_relative_local_paths_are_taken_from_the_feeds_file_folder(tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text(
        "feeds:\n  - name: Archief\n    url: archief/rijnmond.xml\n    kind: regionaal_nieuws\n", encoding="utf-8"
    )
    (feed,) = load_feeds(tmp_path / "feeds.yaml")
    assert feed.url == str(tmp_path / "archief" / "rijnmond.xml")


def test_yaml_syntax_errors_and_missing_files_are_findings(tmp_path: Path) -> None:
    assert "geen geldige YAML" in _errors(tmp_path, "feeds:\n  - name: [kapot\n")[0]
    with pytest.raises(ConfigError, match="niet gevonden"):
        load_feeds(tmp_path / "bestaat-niet.yaml")
