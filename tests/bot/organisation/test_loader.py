"""The organisation file: the example passes, broken files give errors a person understands, with lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.organisation.loader import check_organisation
from bot.organisation.schema import Role
from bot.settings import EXAMPLE_ORG_FILE
from playbooks.validation import Severity

BASE = """\
parties:
  units: [RE07, Den Haag]
people:
- {id: dir, name: Dora Directeur, party: directie, email: dir@x.test, roles: [director, spokesperson]}
- {id: io, name: Ivo Analist, party: dienst, team: "I&O", email: io@x.test, roles: [analyst]}
- {id: rt-cl, name: Rob Lead, party: RE07, email: rt-cl@x.test, roles: [comms_lead], deputy: rt-wv}
- {id: rt-wv, name: Rita Woord, party: Rotterdam, email: rt-wv@x.test, roles: [spokesperson]}
- {id: rt-pc, name: Paul Chef, party: RE07, slack_id: U0PCHEF01, roles: [politiechef]}
- {id: dh-cl, name: Dirk Lead, party: RE06, email: dh-cl@x.test, roles: [comms_lead, spokesperson]}
- {id: dh-pc, name: Daan Chef, party: RE06, email: dh-pc@x.test, roles: [politiechef]}
- {id: kl, name: Karin Korps, party: korpsleiding, email: kl@x.test, roles: [korpsleiding]}
"""


def errors_of(text: str) -> list[str]:
    org, findings = check_organisation("org.yaml", text)
    return [str(f) for f in findings if f.severity is Severity.ERROR]


def test_example_organisation_is_valid_and_complete() -> None:
    org, findings = check_organisation(EXAMPLE_ORG_FILE)
    assert org is not None, [str(f) for f in findings]
    assert not [f for f in findings if f.severity is Severity.ERROR]
    assert len([p for p in org.parties.values() if p.kind == "eenheid"]) == 12
    for code in ("RE01", "RE07", "RE10", "LX", "LO"):
        assert org.members(role=Role.POLITIECHEF, party=code)
    assert len(org.directors()) == 2


def test_minimal_file_passes_with_warnings_for_missing_issue_owners() -> None:
    org, findings = check_organisation("org.yaml", BASE)
    assert org is not None
    warnings = [f.message for f in findings if f.severity is Severity.WARNING]
    assert "geen A&A-issuetrekker voor integriteit" in warnings


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("party: RE07, slack_id", "party: RE99, slack_id"), "org.yaml:8: fout (people[4].party): onbekende partij 'RE99'"),
        (("units: [RE07, Den Haag]", "units: [RE07, Den Haag, Atlantis]"),
         "org.yaml:2: fout (parties.units[2]): onbekende eenheid 'Atlantis'"),
        ((", email: io@x.test", ""), "org.yaml:5: fout (people[1]): Ivo Analist heeft geen e-mailadres en geen Slack-id"),
        (("id: dh-pc", "id: dh-cl"), "org.yaml:10: fout (people[6].id): id 'dh-cl' komt 2 keer voor"),
        (("deputy: rt-wv", "deputy: rt-woordvoerder"), "org.yaml:6: fout (people[2].deputy): vervanger 'rt-woordvoerder' bestaat niet"),
        (("roles: [comms_lead, spokesperson]", "roles: [comms_lead]"),
         "eenheid Den Haag heeft geen woordvoerder"),
        (("roles: [politiechef]}\n- {id: kl", "roles: [advisor]}\n- {id: kl"), "eenheid Den Haag heeft geen politiechef"),
        (("roles: [director, spokesperson]", "roles: [spokesperson]"), "geen directeur communicatie"),
        (("roles: [analyst]", "roles: [director]"), "rol 'directeur communicatie' past niet bij partij Dienst Communicatie"),
        (("email: kl@x.test", "email: kl-at-x.test"), "'kl-at-x.test' is geen geldig e-mailadres"),
        (("slack_id: U0PCHEF01", "slack_id: paul"), "'paul' is geen Slack-gebruikers-id"),
        (("roles: [korpsleiding]", "roles: [korpsleiding], phone: 0612345678"), "(people[7].phone): onbekend veld"),
    ],
)
def test_broken_files_name_the_problem_and_the_line(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in BASE
    errors = errors_of(BASE.replace(old, new, 1))
    assert any(expected in e for e in errors), errors


def test_yaml_syntax_error_names_the_line() -> None:
    errors = errors_of(BASE.replace("people:\n", "people:\n  - id: [unclosed\n"))
    assert len(errors) == 1
    assert errors[0].startswith("org.yaml:5: fout: geen geldige YAML"), errors


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    org, findings = check_organisation(tmp_path / "missing.yaml")
    assert org is None and "bestand niet gevonden" in str(findings[0])


def test_cli_org_check(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["org", "check", str(EXAMPLE_ORG_FILE)])
    assert ok.exit_code == 0, ok.output
    assert "in orde — 48 personen, 12 eenheden" in ok.output
    broken = tmp_path / "org.yaml"
    broken.write_text(BASE.replace("deputy: rt-wv", "deputy: niemand"), encoding="utf-8")
    bad = runner.invoke(app, ["org", "check", str(broken)])
    assert bad.exit_code == 1
    assert "vervanger 'niemand' bestaat niet" in bad.output
    assert "1 fout(en) gevonden" in bad.output


def test_policy_names_extra_deciders_and_checks_they_exist() -> None:
    org, findings = check_organisation("org.yaml", BASE + "policy: {deciders: [rt-cl], directors_write_timeline: false}\n")
    assert org is not None
    assert [p.id for p in org.deciders()] == ["dir", "rt-cl"]
    assert org.may_decide(org.require("rt-cl")) and not org.may_decide(org.require("rt-wv"))
    assert org.policy.directors_write_timeline is False
    errors = errors_of(BASE + "policy: {deciders: [niemand]}\n")
    assert any("(policy.deciders[0]): beslisser 'niemand' bestaat niet" in e for e in errors), errors


def test_a_duplicate_key_is_refused_with_both_lines() -> None:
    text = BASE.replace("- {id: kl, name: Karin Korps,", "- {id: kl, name: Karin Korps, name: Karin K,")
    errors = errors_of(text)
    assert len(errors) == 1
    assert errors[0].startswith("org.yaml:11: fout (people[7].name): 'name' staat dubbel (eerder op regel 11)")


def test_a_duplicate_top_level_section_is_refused() -> None:
    errors = errors_of(BASE + "parties:\n  units: [RE01]\n")
    assert len(errors) == 1 and "'parties' staat dubbel (eerder op regel 1)" in errors[0], errors
