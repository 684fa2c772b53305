"""The organisation file's schema (YAML), validated with pydantic."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from playbooks.vocabulary import Category


class Role(StrEnum):
    """Roles a person can hold; ISSUE_OWNER is held per moral-issue category."""

    DIRECTOR = "director"
    COMMS_LEAD = "comms_lead"
    SPOKESPERSON = "spokesperson"
    DUTY_OFFICER = "duty_officer"
    ADVISOR = "advisor"
    ISSUE_OWNER = "issue_owner"
    ANALYST = "analyst"
    POLITIECHEF = "politiechef"
    KORPSLEIDING = "korpsleiding"


ROLE_LABELS: dict[Role, str] = {
    Role.DIRECTOR: "directeur communicatie",
    Role.COMMS_LEAD: "communicatieadviseur (lead)",
    Role.SPOKESPERSON: "woordvoerder",
    Role.DUTY_OFFICER: "piketwoordvoerder",
    Role.ADVISOR: "adviseur",
    Role.ISSUE_OWNER: "A&A-issuetrekker",
    Role.ANALYST: "I&O-analist",
    Role.POLITIECHEF: "politiechef",
    Role.KORPSLEIDING: "lid korpsleiding",
}

SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PERSON_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class DirectieSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = "Directie Communicatie"


class DienstSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = "Dienst Communicatie"
    teams: list[str] = Field(default_factory=lambda: ["I&O", "A&A"])


class PartiesSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    units: list[str]
    directie: DirectieSpec = Field(default_factory=DirectieSpec)
    dienst: DienstSpec = Field(default_factory=DienstSpec)


class RoleSpec(BaseModel):
    """A role, optionally tied to categories (issue owners)."""

    model_config = ConfigDict(extra="forbid")
    role: Role
    categories: list[Category] = Field(default_factory=list)


class PersonSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    party: str
    team: str | None = None
    email: str | None = None
    slack_id: str | None = None
    roles: list[Role | RoleSpec] = Field(default_factory=list)
    deputy: str | None = None
    absent_until: datetime | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not PERSON_ID.match(value):
            raise ValueError(f"id '{value}' mag alleen kleine letters, cijfers, '.', '_' en '-' bevatten")
        return value

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.match(value):
            raise ValueError(f"'{value}' is geen geldig e-mailadres")
        return value.lower() if value else value

    @field_validator("slack_id")
    @classmethod
    def _slack_shape(cls, value: str | None) -> str | None:
        if value is not None and not SLACK_ID.match(value):
            raise ValueError(f"'{value}' is geen Slack-gebruikers-id (zoals U012AB3CD)")
        return value


class PolicySpec(BaseModel):
    """Who may decide on red-button requests besides directors, and whether directors write to every timeline."""

    model_config = ConfigDict(extra="forbid")
    deciders: list[str] = Field(default_factory=list)
    directors_write_timeline: bool = True


class OrganisationSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = "Politie Nederland"
    parties: PartiesSpec
    people: list[PersonSpec]
    policy: PolicySpec = Field(default_factory=PolicySpec)
