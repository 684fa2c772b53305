"""The playbook schema: what a playbook per moral-issue category must hold, validated at load time."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from playbooks.vocabulary import (
    GENERAL_PLAYBOOK,
    Category,
    Channel,
    CoreValue,
    EscalationLevel,
    Phase,
    TrustBlock,
)

Text = Annotated[str, Field(min_length=1)]
PlaybookName = Literal[
    "geweld", "discriminatie_inclusie", "onpartijdigheid", "integriteit", "algemeen"
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueUse(_Strict):
    """A core value the playbook invokes, and what it means for this issue."""

    waarde: CoreValue
    betekenis: Text


class Rule(_Strict):
    """A rule or framework behind the norm, in our own words."""

    naam: Text
    kern: Text
    bron: str | None = None


class TrustBlockApproach(_Strict):
    """Why a building block of trust is challenged and how to address it."""

    bouwsteen: TrustBlock
    mate: Literal["hoog", "gemiddeld", "laag"]
    waarom: Text
    aanpak: Text


class Figurehead(_Strict):
    """Who carries the message at an escalation level, and when to bring them forward."""

    niveau: EscalationLevel
    wie: Text
    wanneer: Annotated[list[Text], Field(min_length=1)]


class ChecklistItem(_Strict):
    """One step with a timing target in minutes after the incident becomes public."""

    stap: Text
    binnen_minuten: Annotated[int, Field(gt=0)]
    wie: Text
    mijlpaal: Literal["eerste_norm"] | None = None


class Classification(_Strict):
    """Dutch vocabulary and headline-like examples for the media classifier."""

    termen: Annotated[list[Text], Field(min_length=5)]
    voorbeeldzinnen: Annotated[list[Text], Field(min_length=8, max_length=15)]
    tegenvoorbeelden: list[Text] = []


class TemplateUse(_Strict):
    """Which statement templates to use in a phase, and when."""

    fase: Phase
    kanalen: Annotated[list[Channel], Field(min_length=1)]
    wanneer: Text


class PhaseTexts(_Strict):
    """Default 'wat we doen' per phase."""

    eerste_reactie: Text
    tijdens_onderzoek: Text
    afloop: Text
    intern_na_incident: Text


class OutcomeTexts(_Strict):
    """What we say at the end of an investigation, per outcome."""

    geen_verwijtbaar_handelen: Text
    verwijtbaar: Text
    onbekend: Text


class QuestionAnswer(_Strict):
    """A likely question from press or public with the answer in the woordvoeringslijn."""

    vraag: Text
    antwoord: Text


class StatementTexts(_Strict):
    """Category-specific building blocks the statement templates render; the templates hold structure."""

    onderwerp: Text
    erkenning: Text
    norm_uitleg: Text
    zelfreflectie: Text
    verantwoording: Text
    rolverdeling: Text
    acties: PhaseTexts
    afloop: OutcomeTexts
    intern: Text
    leidinggevenden: Annotated[list[Text], Field(min_length=2)]
    vragen: Annotated[list[QuestionAnswer], Field(min_length=2)]


class Playbook(_Strict):
    """A playbook for one moral-issue category (or the general one, 'algemeen')."""

    categorie: PlaybookName
    titel: Text
    wanneer_van_toepassing: Annotated[list[Text], Field(min_length=1)]
    norm: Text
    norm_kort: Annotated[str, Field(min_length=1, max_length=140)]
    kernwaarden: Annotated[list[ValueUse], Field(min_length=1)]
    regels: Annotated[list[Rule], Field(min_length=1)]
    bouwstenen: list[TrustBlockApproach]
    boegbeelden: list[Figurehead]
    doen: Annotated[list[Text], Field(min_length=3)]
    niet_doen: Annotated[list[Text], Field(min_length=3)]
    checklist: Annotated[list[ChecklistItem], Field(min_length=3)]
    classificatie: Classification
    normsignalen: Annotated[list[Text], Field(min_length=1)]
    sjablonen: Annotated[list[TemplateUse], Field(min_length=1)]
    teksten: StatementTexts | None = None

    @field_validator("kernwaarden")
    @classmethod
    def _unique_values(cls, value: list[ValueUse]) -> list[ValueUse]:
        names = [v.waarde for v in value]
        if len(set(names)) != len(names):
            raise ValueError("elke kernwaarde hoort er maar één keer in")
        return value

    @field_validator("bouwstenen")
    @classmethod
    def _every_block(cls, value: list[TrustBlockApproach]) -> list[TrustBlockApproach]:
        if sorted(b.bouwsteen for b in value) != sorted(TrustBlock):
            raise ValueError("beschrijf elk van nabijheid, rechtvaardigheid en effectiviteit precies één keer")
        return value

    @field_validator("boegbeelden")
    @classmethod
    def _escalation_order(cls, value: list[Figurehead]) -> list[Figurehead]:
        if [f.niveau for f in value] != list(EscalationLevel):
            raise ValueError("noem woordvoerder, politiechef en korpsleiding, in die volgorde")
        return value

    @field_validator("checklist")
    @classmethod
    def _timed_checklist(cls, value: list[ChecklistItem]) -> list[ChecklistItem]:
        minutes = [item.binnen_minuten for item in value]
        if minutes != sorted(minutes):
            raise ValueError("zet de stappen op volgorde van binnen_minuten")
        if [item.mijlpaal for item in value].count("eerste_norm") != 1:
            raise ValueError("markeer precies één stap met 'mijlpaal: eerste_norm'")
        return value

    @model_validator(mode="after")
    def _texts_for_categories(self) -> Playbook:
        if self.teksten is None and self.categorie != GENERAL_PLAYBOOK:
            raise ValueError("'teksten' is verplicht voor een categorie-playbook (de sjablonen gebruiken ze)")
        return self

    @property
    def minutes_to_first_norm(self) -> int:
        """Timing target for the first norm-setting reaction (the checklist's 'eerste_norm' milestone)."""
        return next(i.binnen_minuten for i in self.checklist if i.mijlpaal == "eerste_norm")

    @property
    def category(self) -> Category | None:
        """The moral-issue category, or None for the general playbook."""
        return None if self.categorie == GENERAL_PLAYBOOK else Category(self.categorie)

    def figurehead(self, level: EscalationLevel) -> Figurehead:
        """The figurehead entry for an escalation level."""
        return next(f for f in self.boegbeelden if f.niveau is level)
