"""Load and check the organisation file; every problem names its place in the file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.organisation.model import AccessPolicy, Organisation, Party, PartyKind, Person
from bot.organisation.schema import ROLE_LABELS, OrganisationSpec, PersonSpec, Role, RoleSpec
from playbooks.validation import (
    ConfigError,
    Finding,
    PositionedYaml,
    Severity,
    load_yaml,
    validate_model,
)
from playbooks.vocabulary import Category, find_unit

# Which party kinds may hold which role.
ROLE_PARTIES: dict[Role, frozenset[PartyKind]] = {
    Role.DIRECTOR: frozenset({PartyKind.DIRECTIE}),
    Role.COMMS_LEAD: frozenset({PartyKind.UNIT, PartyKind.DIRECTIE, PartyKind.DIENST}),
    Role.SPOKESPERSON: frozenset({PartyKind.UNIT, PartyKind.DIRECTIE}),
    Role.DUTY_OFFICER: frozenset({PartyKind.UNIT, PartyKind.DIRECTIE}),
    Role.ADVISOR: frozenset({PartyKind.UNIT, PartyKind.DIRECTIE, PartyKind.DIENST}),
    Role.ISSUE_OWNER: frozenset({PartyKind.DIENST}),
    Role.ANALYST: frozenset({PartyKind.DIENST}),
    Role.POLITIECHEF: frozenset({PartyKind.UNIT}),
    Role.KORPSLEIDING: frozenset({PartyKind.KORPSLEIDING}),
}
UNIT_REQUIRED_ROLES = (Role.COMMS_LEAD, Role.SPOKESPERSON, Role.POLITIECHEF)


class _Checker:
    """Collects findings while building the Organisation from a validated spec."""

    def __init__(self, doc: PositionedYaml, spec: OrganisationSpec):
        self.doc = doc
        self.spec = spec
        self.findings: list[Finding] = []
        self.parties: dict[str, Party] = {}

    def error(self, loc: tuple[str | int, ...], message: str) -> None:
        self.findings.append(self.doc.finding(loc, message))

    def warn(self, loc: tuple[str | int, ...], message: str) -> None:
        self.findings.append(self.doc.finding(loc, message, Severity.WARNING))

    def build_parties(self) -> None:
        spec = self.spec.parties
        for i, ref in enumerate(spec.units):
            unit = find_unit(ref)
            if unit is None:
                self.error(("parties", "units", i), f"onbekende eenheid '{ref}' (gebruik RE01–RE10, LX of LO)")
            elif unit.code in self.parties:
                self.error(("parties", "units", i), f"eenheid {unit.name} staat dubbel in de lijst")
            else:
                self.parties[unit.code] = Party(PartyKind.UNIT, unit.code, unit.name)
        self.parties["directie"] = Party(PartyKind.DIRECTIE, "directie", spec.directie.name)
        self.parties["dienst"] = Party(PartyKind.DIENST, "dienst", spec.dienst.name)
        self.parties["korpsleiding"] = Party(PartyKind.KORPSLEIDING, "korpsleiding", "Korpsleiding")

    def party_of(self, index: int, spec: PersonSpec) -> Party | None:
        loc = ("people", index, "party")
        if spec.party.lower() in self.parties:
            return self.parties[spec.party.lower()]
        unit = find_unit(spec.party)
        if unit is None:
            self.error(loc, f"onbekende partij '{spec.party}': gebruik een eenheid, directie, dienst of korpsleiding")
            return None
        if unit.code not in self.parties:
            self.error(loc, f"eenheid {unit.name} staat niet onder parties.units")
            return None
        return self.parties[unit.code]

    def person(self, index: int, spec: PersonSpec) -> Person | None:
        party = self.party_of(index, spec)
        if not spec.email and not spec.slack_id:
            self.error(("people", index), f"{spec.name} heeft geen e-mailadres en geen Slack-id: onbereikbaar")
        if party is None:
            return None
        roles: set[Role] = set()
        categories: set[Category] = set()
        for r, entry in enumerate(spec.roles):
            role = entry.role if isinstance(entry, RoleSpec) else entry
            roles.add(role)
            if isinstance(entry, RoleSpec):
                categories.update(entry.categories)
            if party.kind not in ROLE_PARTIES[role]:
                self.error(
                    ("people", index, "roles", r),
                    f"rol '{ROLE_LABELS[role]}' past niet bij partij {party.name}",
                )
            if role is Role.ISSUE_OWNER and not (isinstance(entry, RoleSpec) and entry.categories):
                self.error(("people", index, "roles", r), "issue_owner vraagt om categories: [...]")
        if Category.GEEN in categories:
            self.error(("people", index, "roles"), "'geen' is geen moreel issue om trekker van te zijn")
        if party.kind is PartyKind.DIENST and spec.team not in self.spec.parties.dienst.teams:
            teams = ", ".join(self.spec.parties.dienst.teams)
            self.error(("people", index, "team"), f"mensen van de dienst horen bij een team ({teams})")
        return Person(
            id=spec.id,
            name=spec.name,
            party=party,
            team=spec.team,
            email=spec.email,
            slack_id=spec.slack_id,
            roles=frozenset(roles),
            issue_categories=frozenset(categories),
            deputy_id=spec.deputy,
            absent_until=spec.absent_until,
        )

    def check_uniques(self) -> None:
        for attr, label in (("id", "id"), ("email", "e-mailadres"), ("slack_id", "Slack-id")):
            values = [getattr(p, attr) for p in self.spec.people]
            counts = Counter(v for v in values if v)
            for i, value in enumerate(values):
                if value and counts[value] > 1:
                    self.error(("people", i, attr), f"{label} '{value}' komt {counts[value]} keer voor")

    def check_deputies(self, people: dict[str, Person]) -> None:
        for i, spec in enumerate(self.spec.people):
            if spec.deputy is None:
                continue
            if spec.deputy == spec.id:
                self.error(("people", i, "deputy"), f"{spec.name} kan niet zijn of haar eigen vervanger zijn")
            elif spec.deputy not in people:
                self.error(("people", i, "deputy"), f"vervanger '{spec.deputy}' bestaat niet")

    def check_coverage(self, org: Organisation) -> None:
        for i, ref in enumerate(self.spec.parties.units):
            unit = find_unit(ref)
            if unit is None:
                continue
            for role in UNIT_REQUIRED_ROLES:
                if not org.members(role=role, party=unit.code):
                    self.error(("parties", "units", i), f"eenheid {unit.name} heeft geen {ROLE_LABELS[role]}")
        if not org.directors():
            self.error(("parties", "directie"), "geen directeur communicatie: niemand kan de rode knop goedkeuren")
        if not (org.members(role=Role.SPOKESPERSON, party="directie")
                or org.members(role=Role.DUTY_OFFICER, party="directie")):
            self.error(("parties", "directie"), "de directie heeft geen woordvoerder of piketwoordvoerder")
        if not org.members(role=Role.ANALYST):
            self.error(("parties", "dienst"), "de dienst heeft geen I&O-analist")
        for category in Category.moral():
            if not org.members(role=Role.ISSUE_OWNER, category=category):
                self.warn(("parties", "dienst"), f"geen A&A-issuetrekker voor {category.label}")
        if not org.members(role=Role.KORPSLEIDING):
            self.warn(("people",), "niemand van de korpsleiding: advies aan de korpsleiding heeft geen ontvanger")


def check_organisation(path: Path | str, text: str | None = None) -> tuple[Organisation | None, list[Finding]]:
    """Validate an organisation file; returns the organisation (None on errors) and all findings."""
    try:
        doc = load_yaml(path, text)
        spec = validate_model(doc, OrganisationSpec)
    except ConfigError as exc:
        return None, exc.findings
    checker = _Checker(doc, spec)
    checker.build_parties()
    checker.check_uniques()
    people: dict[str, Person] = {}
    for i, person_spec in enumerate(spec.people):
        person = checker.person(i, person_spec)
        if person is not None and person.id not in people:
            people[person.id] = person
    checker.check_deputies(people)
    for i, decider in enumerate(spec.policy.deciders):
        if decider not in people:
            checker.error(("policy", "deciders", i), f"beslisser '{decider}' bestaat niet")
    policy = AccessPolicy(frozenset(spec.policy.deciders), spec.policy.directors_write_timeline)
    org = Organisation(spec.name, checker.parties, people, policy)
    checker.check_coverage(org)
    has_errors = any(f.severity is Severity.ERROR for f in checker.findings)
    return (None if has_errors else org), checker.findings


def load_organisation(path: Path | str) -> Organisation:
    """Load the organisation file or raise ConfigError with every error found."""
    org, findings = check_organisation(path)
    if org is None:
        raise ConfigError([f for f in findings if f.severity is Severity.ERROR])
    return org
