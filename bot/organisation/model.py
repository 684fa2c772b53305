"""The organisation as the domain sees it: parties, people, roles, deputies and availability."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.errors import NotFound
from bot.organisation.schema import ROLE_LABELS, Role
from playbooks.vocabulary import Category


class PartyKind(StrEnum):
    UNIT = "eenheid"
    DIRECTIE = "directie"
    DIENST = "dienst"
    KORPSLEIDING = "korpsleiding"


TRIANGLE = frozenset({PartyKind.UNIT, PartyKind.DIRECTIE, PartyKind.DIENST})


@dataclass(frozen=True)
class Party:
    """A party of the communications column: a unit, the directorate, the service, or the leadership."""

    kind: PartyKind
    code: str
    name: str


@dataclass(frozen=True)
class Person:
    """A person with roles; `issue_categories` says which categories an A&A issue owner covers."""

    id: str
    name: str
    party: Party
    team: str | None = None
    email: str | None = None
    slack_id: str | None = None
    roles: frozenset[Role] = frozenset()
    issue_categories: frozenset[Category] = frozenset()
    deputy_id: str | None = None
    absent_until: datetime | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles

    def is_available(self, at: datetime) -> bool:
        """Available unless marked absent until a moment after `at`."""
        return self.absent_until is None or self.absent_until <= at

    def role_labels(self) -> str:
        return ", ".join(ROLE_LABELS[r] for r in sorted(self.roles))

    @property
    def display(self) -> str:
        return f"{self.name} ({self.party.name})"


@dataclass(frozen=True)
class AccessPolicy:
    """Configurable authorisation: extra deciders (person ids) and whether directors write to every timeline."""

    deciders: frozenset[str] = frozenset()
    directors_write_timeline: bool = True


@dataclass
class Organisation:
    """All parties and people, with the lookups the CAT domain needs."""

    name: str
    parties: dict[str, Party]
    people: dict[str, Person]
    policy: AccessPolicy = field(default_factory=AccessPolicy)
    _by_contact: dict[str, Person] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for person in self.people.values():
            for key in (person.email, person.slack_id):
                if key:
                    self._by_contact[key.lower()] = person

    def find(self, ref: str) -> Person | None:
        """A person by id, e-mail address or Slack user id."""
        ref = ref.strip()
        return self.people.get(ref) or self._by_contact.get(ref.lower())

    def require(self, ref: str) -> Person:
        person = self.find(ref)
        if person is None:
            raise NotFound(f"onbekende persoon '{ref}': niet gevonden in het organisatiebestand")
        return person

    def members(self, *, role: Role, party: str | None = None, category: Category | None = None) -> list[Person]:
        """People holding a role, optionally in one party or (issue owners) for one category."""
        return [
            p
            for p in self.people.values()
            if p.has(role)
            and (party is None or p.party.code == party)
            and (category is None or category in p.issue_categories)
        ]

    def directors(self) -> list[Person]:
        return self.members(role=Role.DIRECTOR)

    def deciders(self) -> list[Person]:
        """Who may press the red button or decline: the directors plus the policy's extra deciders."""
        extra = [self.people[i] for i in sorted(self.policy.deciders) if i in self.people]
        return self.directors() + [p for p in extra if p not in self.directors()]

    def may_decide(self, person: Person) -> bool:
        return person in self.deciders()

    def stand_in(self, person: Person, at: datetime) -> tuple[Person | None, list[Person]]:
        """The first available person along the deputy chain, and the absent people passed over."""
        skipped: list[Person] = []
        current: Person | None = person
        seen: set[str] = set()
        while current is not None and current.id not in seen:
            if current.is_available(at):
                return current, skipped
            seen.add(current.id)
            skipped.append(current)
            current = self.people.get(current.deputy_id) if current.deputy_id else None
        return None, skipped

    def unit(self, code: str) -> Party:
        party = self.parties.get(code)
        if party is None or party.kind is not PartyKind.UNIT:
            raise NotFound(f"eenheid '{code}' komt niet voor in het organisatiebestand")
        return party
