"""Block Kit builders: pure functions from domain objects to dicts, within Slack's limits (Dutch text)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.cat.clocks import clocks, format_duration
from bot.cat.models import CAT_STATUS_LABELS, REQUEST_STATE_LABELS, Cat, CatStatus, RedButtonRequest, RequestState
from bot.cat.ports import Kickoff
from bot.localtime import fmt
from bot.slack import ids
from bot.text import first_upper
from playbooks.vocabulary import Category, units

Block = dict[str, Any]
SECTION_MAX = 3000
URGENCY_LABELS = {"normaal": "Normaal", "hoog": "Hoog", "acuut": "Acuut"}


def clip(text: str, limit: int = SECTION_MAX) -> str:
    """Shorten text to a Slack limit, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text or " ")}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text)}]}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, 150)}


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain(label, 75), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
           hint: str | None = None) -> Block:
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label, 2000), "element": element,
                    "optional": optional}
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _text_input(action_id: str, *, multiline: bool = False, initial: str | None = None,
                max_length: int = 3000) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline,
                               "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    return element


def _modal(callback_id: str, title: str, blocks: list[Block], *, submit: str, metadata: dict[str, Any] | None = None,
           close: str = "Annuleren") -> dict[str, Any]:
    return {"type": "modal", "callback_id": callback_id, "title": plain(title, 24), "submit": plain(submit, 24),
            "close": plain(close, 24), "blocks": blocks, "private_metadata": json.dumps(metadata or {})}


def unit_options() -> list[dict[str, Any]]:
    return [option(f"{u.name} ({u.code})", u.code) for u in units().values()]


def category_options() -> list[dict[str, Any]]:
    return [option(first_upper(c.label), c.value) for c in Category.moral()]


def rode_knop_modal(*, reason: str = "", units_selected: Sequence[str] = (), categories: Sequence[str] = (),
                    links: Sequence[str] = (), metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """The red-button request form: title, what happened, units, categories, links, urgency."""
    unit_el: dict[str, Any] = {"type": "multi_static_select", "action_id": "units", "options": unit_options(),
                               "placeholder": plain("Kies een of meer eenheden")}
    chosen_units = [o for o in unit_options() if o["value"] in units_selected]
    if chosen_units:
        unit_el["initial_options"] = chosen_units
    cat_el: dict[str, Any] = {"type": "multi_static_select", "action_id": "categories",
                              "options": category_options(), "placeholder": plain("Kies moreel issue")}
    chosen_cats = [o for o in category_options() if o["value"] in categories]
    if chosen_cats:
        cat_el["initial_options"] = chosen_cats
    urgency_options = [option(label, value) for value, label in URGENCY_LABELS.items()]
    blocks = [
        section("Vraag de directeur communicatie de *rode knop* in te drukken: er komt dan een "
                "Communicatie-advies-team (CAT) met eenheid, directie en dienst."),
        _input("title", "Titel", _text_input("title", max_length=200)),
        _input("what", "Wat is er aan de hand?", _text_input("what", multiline=True, initial=reason)),
        _input("units", "Betrokken eenheid of eenheden", unit_el),
        _input("categories", "Moreel issue", cat_el, optional=True),
        _input("links", "Links (één per regel)", _text_input("links", multiline=True, initial="\n".join(links)),
               optional=True),
        _input("urgency", "Urgentie", {"type": "static_select", "action_id": "urgency", "options": urgency_options,
                                       "initial_option": urgency_options[1]}),
    ]
    return _modal(ids.RODE_KNOP_MODAL, "Rode knop aanvragen", blocks, submit="Aanvragen", metadata=metadata)


def advice_choice_element(count_units: int) -> dict[str, Any]:
    choices = [option("Politiechef(s) van de eenheden", "politiechef"), option("Korpsleiding", "korpsleiding")]
    initial = choices if count_units > 1 else choices[:1]
    return {"type": "checkboxes", "action_id": "advice_to", "options": choices, "initial_options": initial}


def approve_modal(request: RedButtonRequest, *, callback_id: str = ids.APPROVE_MODAL,
                  metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """The director's confirmation: press the red button, and choose who the CAT advises."""
    blocks = [
        section(f"*{request.title}*\n{clip(request.reason, 2500)}"),
        context(f"Eenheden: {', '.join(units()[c].name for c in request.units)} · "
                f"Moreel issue: {', '.join(Category(c).label for c in request.categories) or 'nog niet bepaald'}"),
        _input("advice_to", "Het CAT adviseert", advice_choice_element(len(request.units))),
    ]
    return _modal(callback_id, "Rode knop indrukken", blocks, submit="Rode knop indrukken",
                  metadata={"request_id": request.id, **(metadata or {})})


def decline_modal(request: RedButtonRequest) -> dict[str, Any]:
    blocks = [section(f"Aanvraag *{request.title}* afwijzen. De aanvrager krijgt je reden te zien."),
              _input("reason", "Reden", _text_input("reason", multiline=True, max_length=1000))]
    return _modal(ids.DECLINE_MODAL, "Aanvraag afwijzen", blocks, submit="Afwijzen",
                  metadata={"request_id": request.id})


def request_card(request: RedButtonRequest, requester_name: str, *, decided: str | None = None) -> list[Block]:
    """The card directors get: what, who, where, urgency, with Goedkeuren / Afwijzen while pending."""
    blocks: list[Block] = [
        header(f"🔴 Verzoek rode knop: {request.title}"),
        section(clip(request.reason, 2800)),
        {"type": "section", "fields": [
            {"type": "mrkdwn", "text": f"*Aangevraagd door*\n{requester_name}"},
            {"type": "mrkdwn", "text": f"*Urgentie*\n{URGENCY_LABELS.get(request.urgency, request.urgency)}"},
            {"type": "mrkdwn", "text": f"*Eenheden*\n{', '.join(units()[c].name for c in request.units)}"},
            {"type": "mrkdwn", "text": "*Moreel issue*\n"
                                       + (", ".join(Category(c).label for c in request.categories) or "—")},
        ]},
    ]
    if request.links:
        blocks.append(section("\n".join(f"• <{link}>" for link in request.links[:10])))
    if request.state == RequestState.PENDING.value and decided is None:
        blocks.append({"type": "actions", "block_id": f"request_{request.id}", "elements": [
            {"type": "button", "action_id": ids.ACTION_APPROVE, "text": plain("Goedkeuren", 75), "style": "primary",
             "value": str(request.id)},
            {"type": "button", "action_id": ids.ACTION_DECLINE, "text": plain("Afwijzen", 75), "style": "danger",
             "value": str(request.id)},
        ]})
    else:
        blocks.append(context(decided or first_upper(REQUEST_STATE_LABELS[RequestState(request.state)])))
    return blocks


def kickoff_blocks(kickoff: Kickoff, channel_note: str | None = None) -> list[Block]:
    """The pinned kickoff: situation, members by party with reasons, gaps, recipients, checklist, drafts."""
    blocks: list[Block] = [
        header(f"{kickoff.cat_number}: {kickoff.title}"),
        section(f"*Situatie*\n{clip(kickoff.summary, 2800)}"),
        context(f"Eenheden: {', '.join(kickoff.units)} · Moreel issue: {', '.join(kickoff.categories) or '—'}"
                + (f" · {channel_note}" if channel_note else "")),
    ]
    by_party: dict[str, list[str]] = {}
    for member in kickoff.members:
        who = f"<@{member.slack_id}>" if member.slack_id else member.name
        by_party.setdefault(member.party, []).append(f"• {who} — _{member.role}_: {member.reason}")
    team = "\n".join(f"*{party}*\n" + "\n".join(lines) for party, lines in by_party.items())
    blocks.append(section(f"*Team*\n{clip(team, 2900)}"))
    if kickoff.gaps:
        blocks.append(section("*⚠️ Gaten in de bezetting*\n" + "\n".join(f"• {g}" for g in kickoff.gaps)))
    else:
        blocks.append(context("✅ Geen gaten in de bezetting."))
    blocks.append(section("*Advies aan*\n" + ", ".join(kickoff.advice_recipients)))
    if kickoff.checklist:
        blocks.append(section("*Checklist*\n" + "\n".join(f"☐ {item}" for item in kickoff.checklist[:15])))
    if kickoff.links:
        blocks.append(section("*Links*\n" + "\n".join(f"• <{link}>" for link in kickoff.links[:10])))
    if kickoff.drafts:
        blocks.append({"type": "divider"})
        blocks.append(section("*Eerste concepten normstelling* (pas aan, laat checken, keur goed met vier ogen)"))
        for draft in kickoff.drafts[:8]:
            blocks.append(section(f"*{draft.label}* (concept {draft.statement_id})\n```{clip(draft.text, 2700)}```"))
    else:
        blocks.append(context("Concepten voor de normstelling volgen zodra het moreel issue bekend is."))
    return blocks[:50]


def status_blocks(cat: Cat, *, open_gaps: Sequence[str], last_update: datetime | None, now: datetime,
                  statements: str) -> list[Block]:
    """The CAT's status post, updated in place: clocks, gaps, statement status."""
    lines = [f"• {c.label}: *{format_duration(c.elapsed(now))}*" + (" (loopt)" if c.running else "")
             for c in clocks(cat)]
    if last_update is not None:
        lines.append(f"• sinds laatste update: *{format_duration(now - last_update)}*")
    blocks = [
        section(f"*Status {cat.number}* — {CAT_STATUS_LABELS[CatStatus(cat.status)]}\n" + "\n".join(lines)),
        section(f"*Normstelling*: {statements}"),
    ]
    if open_gaps:
        blocks.append(section("*⚠️ Open gaten*\n" + "\n".join(f"• {g}" for g in open_gaps)))
    blocks.append(context(f"Bijgewerkt {fmt(now)}"))
    return blocks


def advice_modal(cat: Cat) -> dict[str, Any]:
    recipients = [option(first_upper(r["label"])[:75], f"{r['kind']}:{r['unit']}" if r["unit"] else r["kind"])
                  for r in cat.advice_recipients]
    blocks = [
        _input("recipient", "Aan", {"type": "static_select", "action_id": "recipient", "options": recipients,
                                    "initial_option": recipients[0]}),
        _input("text", "Advies", _text_input("text", multiline=True)),
    ]
    return _modal(ids.ADVICE_MODAL, "Advies vastleggen", blocks, submit="Vastleggen", metadata={"cat_id": cat.id})


def close_modal(cat: Cat) -> dict[str, Any]:
    blocks = [
        section(f"*{cat.number}* sluiten. De opvolging (afloop communiceren, ook als er geen verwijtbaar handelen "
                f"is vastgesteld) wordt ingepland."),
        _input("went_well", "Wat ging goed?", _text_input("went_well", multiline=True)),
        _input("to_learn", "Wat leren we?", _text_input("to_learn", multiline=True)),
    ]
    return _modal(ids.CLOSE_MODAL, "CAT sluiten", blocks, submit="Sluiten", metadata={"cat_id": cat.id})


SIGNAL_STATUS_LABELS = {"new": "nieuw", "dismissed": "genegeerd", "linked": "gekoppeld", "escalated": "opgeschaald"}


def home_view(*, active: Sequence[tuple[Cat, datetime | None, str]], pending: Sequence[RedButtonRequest],
              is_director: bool, now: datetime, signals: Sequence[tuple[str, str, str, datetime]] = ()
              ) -> dict[str, Any]:
    """App Home: the red button, active CATs with clocks, pending requests for directors, recent media signals."""
    blocks: list[Block] = [
        header("CAT bot"),
        section("Ziet u incidenten rond een moreel issue optellen? Vraag de directeur communicatie de rode knop in "
                "te drukken."),
        {"type": "actions", "elements": [{"type": "button", "action_id": ids.ACTION_HOME_RODE_KNOP,
                                          "text": plain("🔴 Rode knop aanvragen", 75), "style": "danger"}]},
        {"type": "divider"},
        header("Actieve CAT's"),
    ]
    if not active:
        blocks.append(context("Geen actieve CAT's."))
    for cat, last_update, statements in active[:20]:
        since_update = format_duration(now - last_update) if last_update else "—"
        blocks.append(section(
            f"*{cat.number}* {cat.title}" + (f" · <#{cat.channel_id}>" if cat.channel_id else "") + "\n"
            f"actief sinds {format_duration(now - cat.activated_at)} · laatste update {since_update} geleden · "
            f"normstelling: {statements}"))
    if is_director:
        blocks += [{"type": "divider"}, header("Wacht op uw besluit")]
        if not pending:
            blocks.append(context("Geen openstaande aanvragen."))
        for request in pending[:20]:
            blocks.append(section(f"*{request.title}* — {', '.join(units()[c].name for c in request.units)} · "
                                  f"aangevraagd {format_duration(now - request.created_at)} geleden"))
            blocks.append({"type": "actions", "block_id": f"home_request_{request.id}", "elements": [
                {"type": "button", "action_id": ids.ACTION_APPROVE, "text": plain("Goedkeuren", 75),
                 "style": "primary", "value": str(request.id)},
                {"type": "button", "action_id": ids.ACTION_DECLINE, "text": plain("Afwijzen", 75),
                 "style": "danger", "value": str(request.id)},
            ]})
    blocks += [{"type": "divider"}, header("Recente mediasignalen")]
    if not signals:
        blocks.append(context("Geen signalen in de afgelopen week."))
    for title, reason, status, created in signals[:10]:
        blocks.append(section(f"*{title}* · {SIGNAL_STATUS_LABELS.get(status, status)} · "
                              f"{format_duration(now - created)} geleden\n{clip(reason, 600)}"))
    return {"type": "home", "blocks": blocks[:100]}


def info_modal(title: str, text: str) -> dict[str, Any]:
    """A modal that only informs (no submit button)."""
    return {"type": "modal", "title": plain(title, 24), "close": plain("Sluiten", 24), "blocks": [section(text)]}
