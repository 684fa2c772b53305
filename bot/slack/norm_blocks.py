"""Block Kit for norm statements: the `/norm` draft, its edit modal, check findings, versions in a CAT."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.cat.models import Cat, Statement, StatementState
from bot.cat.statements import STATE_LABELS, label
from bot.localtime import fmt
from bot.slack import ids
from bot.slack.blocks import Block, _input, _modal, _text_input, clip, context, option, plain, section
from bot.slack.norm_drafts import NormDraft
from bot.text import first_upper
from norm_statements.check import NO_MODEL_NOTICE
from norm_statements.findings import Finding, Severity
from playbooks.vocabulary import Category, Channel, Phase

TEXT_MAX = 3000  # Slack's plain_text_input limit: longer texts are edited outside Slack (catbot cat statement-edit)
SEVERITY_ICONS = {Severity.ERROR: "🔴", Severity.WARNING: "🟠", Severity.INFO: "💡"}
VIA_OPTIONS = {"persverklaring": "Persverklaring", "social": "Social media", "intranet": "Intranet",
               "brief": "Brief aan leidinggevenden", "woordvoering": "Woordvoering (pers te woord gestaan)",
               "website": "Website politie.nl"}
VIA_FOR_CHANNEL = {"persverklaring": "persverklaring", "social": "social", "intranetbericht": "intranet",
                   "brief_leidinggevenden": "brief", "woordvoeringslijn": "woordvoering"}
USAGE = ("Gebruik: `/norm [categorie] [fase]`, bijv. `/norm geweld` of `/norm integriteit tijdens onderzoek`. "
         "Categorieën: " + ", ".join(c.value for c in Category.moral()) + ". Fasen: "
         + ", ".join(p.value for p in Phase) + ". In een CAT-kanaal toont `/norm versies` de versies met "
         "Goedkeuren en Publiceren.")


def combination_label(category: str, phase: str, channel: str) -> str:
    return f"{Category(category).label} · {Phase(phase).label} · {Channel(channel).label}"


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {"type": "button", "action_id": action_id, "text": plain(text, 75), "value": value}
    if style:
        button["style"] = style
    return button


def _quoted(text: str) -> str:
    return f"```{clip(text, 2900)}```"


def draft_message(draft: NormDraft, *, placeholders: Sequence[str], note: str | None = None) -> list[Block]:
    """The ephemeral `/norm` answer: the draft, what is left to fill in, and Bewerken/Controleren/Naar CAT sturen."""
    blocks: list[Block] = [
        section(f"*Concept normstelling* — {combination_label(draft.category, draft.phase, draft.channel)}"),
        section(_quoted(draft.text)),
    ]
    if placeholders:
        blocks.append(context("Nog invullen: " + ", ".join(f"`{p}`" for p in placeholders[:20])))
    if note:
        blocks.append(context(note))
    value = str(draft.id)
    blocks.append({"type": "actions", "block_id": f"norm_draft_{draft.id}", "elements": [
        _button("Bewerken", ids.ACTION_NORM_EDIT, value),
        _button("Controleren", ids.ACTION_NORM_CHECK, value),
        _button("Naar CAT sturen", ids.ACTION_NORM_SEND, value, "primary"),
    ]})
    return blocks


def _select(action_id: str, options: list[dict[str, Any]], initial: str) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": action_id, "options": options}
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def edit_modal(draft: NormDraft, *, response_url: str | None, cat_id: int | None = None) -> dict[str, Any]:
    """Edit text, category, phase and channel; saving replaces the ephemeral draft, or with a CAT is a version."""
    blocks = [
        _input("category", "Moreel issue", _select("category", [option(first_upper(c.label), c.value)
                                                                for c in Category.moral()], draft.category)),
        _input("phase", "Fase", _select("phase", [option(first_upper(p.label), p.value) for p in Phase], draft.phase)),
        _input("channel", "Kanaal", _select("channel", [option(first_upper(c.label), c.value) for c in Channel],
                                            draft.channel)),
        _input("text", "Tekst", _text_input("text", multiline=True, initial=draft.text, max_length=TEXT_MAX),
               hint="Vul de [[…]]-plekken in. Controleren toetst de tekst aan de criteria van het memo."),
    ]
    return _modal(ids.NORM_EDIT_MODAL, "Normstelling bewerken", blocks,
                  submit="Opslaan als versie" if cat_id else "Opslaan",
                  metadata={"draft_id": draft.id, "response_url": response_url, "cat_id": cat_id})


def findings_blocks(findings: Sequence[Finding], what: str, *, model_loaded: bool = True) -> list[Block]:
    """The quality check's findings, each with severity, the sentence it is about and the suggested fix."""
    counts = {s: sum(f.severity is s for f in findings) for s in Severity}
    notice = [] if model_loaded else [context(NO_MODEL_NOTICE)]
    if not counts[Severity.ERROR] and not counts[Severity.WARNING]:
        blocks = [section(f"✅ *Controle {what}*: geen bevindingen; de tekst voldoet aan de criteria.")]
    else:
        verdict = "niet klaar om goed te keuren" if counts[Severity.ERROR] else "goed te keuren, let op de punten"
        blocks = [section(
            f"*Controle {what}*: {counts[Severity.ERROR]} fout(en), {counts[Severity.WARNING]} waarschuwing(en), "
            f"{counts[Severity.INFO]} tip(s) — {verdict}.")]
    blocks += notice
    for finding in findings[:45]:
        excerpt = f"\n> {clip(finding.excerpt, 300)}" if finding.excerpt else ""
        blocks.append(section(f"{SEVERITY_ICONS[finding.severity]} *{finding.severity.label}* "
                              f"`{finding.code}`: {finding.message}{excerpt}\n_Voorstel:_ {finding.fix}"))
    return blocks


def cat_choice(draft: NormDraft, cats: Sequence[Cat]) -> list[Block]:
    """Outside a CAT channel: choose one of the active CATs the person is on."""
    options = [option(f"{c.number} {c.title}", f"{draft.id}:{c.id}") for c in cats[:100]]
    return [section("Naar welk CAT gaat dit concept?"),
            {"type": "actions", "block_id": f"norm_pick_{draft.id}", "elements": [
                {"type": "static_select", "action_id": ids.ACTION_NORM_PICK_CAT, "options": options,
                 "placeholder": plain("Kies een CAT")}]}]


def _names(statement: Statement, names: dict[str, str]) -> str:
    who = f"door {names.get(statement.author_id, statement.author_id)}"
    if statement.approved_by:
        who += f" · goedgekeurd door {names.get(statement.approved_by, statement.approved_by)}"
    if statement.published_at:
        who += f" · gepubliceerd via {statement.published_via} op {fmt(statement.published_at)}"
    return who


def _statement_actions(statement: Statement) -> list[Block]:
    value = str(statement.id)
    if statement.state == StatementState.DRAFT.value:
        elements = [_button("Goedkeuren", ids.ACTION_STATEMENT_APPROVE, value, "primary")]
    elif statement.state == StatementState.APPROVED.value:
        elements = [_button("Publiceren", ids.ACTION_STATEMENT_PUBLISH, value, "primary")]
    else:
        return []
    elements.append(_button("Bewerken", ids.ACTION_STATEMENT_EDIT, value))
    return [{"type": "actions", "block_id": f"statement_{statement.id}", "elements": elements}]


def version_post(statement: Statement, names: dict[str, str]) -> list[Block]:
    """A version in the CAT channel, updated in place: text, state, who, and the next step's button."""
    return [
        section(f"*Normstelling {label(statement)}* — {STATE_LABELS[statement.state]}"),
        section(_quoted(statement.text)),
        context(_names(statement, names) + (" · goedkeuren met vier ogen: niet door de auteur"
                                            if statement.state == StatementState.DRAFT.value else "")),
        *_statement_actions(statement),
    ]


def versions_list(cat: Cat, current: Sequence[Statement], names: dict[str, str]) -> list[Block]:
    """`/norm versies`: the newest version of each statement of the CAT, with its next step."""
    if not current:
        return [section(f"{cat.number} heeft nog geen normstellingen. Maak een concept met `/norm`.")]
    blocks: list[Block] = [section(f"*Normstellingen van {cat.number}* (nieuwste versie per kanaal)")]
    for statement in current[:12]:
        blocks += [section(f"*{label(statement)}* — {STATE_LABELS[statement.state]}\n"
                           f"{clip(' '.join(statement.text.split()), 280)}"),
                   context(_names(statement, names)), *_statement_actions(statement)]
    return blocks[:50]


def publish_modal(statement: Statement) -> dict[str, Any]:
    """Confirm the publication and say where it went."""
    options = [option(text, value) for value, text in VIA_OPTIONS.items()]
    blocks = [
        section(f"Leg vast dat *{label(statement)}* is gepubliceerd. De eerste publicatie stopt de klok "
                "'activatie → eerste normstelling'."),
        _input("via", "Gepubliceerd via", _select("via", options, VIA_FOR_CHANNEL.get(statement.channel, ""))),
    ]
    return _modal(ids.NORM_PUBLISH_MODAL, "Normstelling publiceren", blocks, submit="Publiceren",
                  metadata={"statement_id": statement.id, "cat_id": statement.cat_id})
