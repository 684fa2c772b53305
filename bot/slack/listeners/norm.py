"""`/norm`: a draft from the playbook, edit, check and send to a CAT; in the CAT, four-eyes approval and publication."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy.orm import Session

from bot.cat import membership, service, statements
from bot.cat.models import Cat, CatStatus, Statement
from bot.errors import DomainError, InvalidInput, NotFound
from bot.organisation.model import Person
from bot.slack import flows, ids, norm_drafts
from bot.slack import norm_blocks as nb
from bot.slack.deps import Deps, user_facing
from bot.slack.forms import selected_values, text_value
from norm_statements.drafting import PLACEHOLDER, DraftError, draft
from playbooks.vocabulary import Category, Phase, parse_category, parse_phase

log = logging.getLogger(__name__)
DEFAULT_CHANNEL = "persverklaring"


def parse_request(words: list[str], cat: Cat | None) -> tuple[Category, Phase]:
    """`[categorie] [fase]`: the longest leading words that name a category, the rest the phase."""
    if not words:
        if cat is not None and cat.categories:
            return Category(cat.categories[0]), Phase.EERSTE_REACTIE
        raise InvalidInput("noem een categorie. " + nb.USAGE)
    for split in range(len(words), 0, -1):
        try:
            category = parse_category(" ".join(words[:split]))
        except ValueError:
            continue
        try:
            return category, parse_phase(" ".join(words[split:])) if words[split:] else Phase.EERSTE_REACTIE
        except ValueError as exc:
            raise InvalidInput(f"{exc}. {nb.USAGE}") from None
    raise InvalidInput(f"onbekende categorie '{words[0]}'. {nb.USAGE}")


def _names(deps: Deps) -> dict[str, str]:
    return {"catbot": "CAT bot", **{p.id: p.name for p in deps.container.org.people.values()}}


def _statement(session: Session, statement_id: str) -> tuple[Statement, Cat]:
    statement = session.get(Statement, int(statement_id))
    if statement is None:
        raise NotFound(f"normstelling {statement_id} bestaat niet")
    return statement, service.get_cat(session, statement.cat_id)


def show_version(deps: Deps, statement_id: int, cat_id: int) -> None:
    """Post the version in the CAT channel once, update it in place later; then the CAT's status and kickoff."""

    def render(session: Session) -> flows.Rendered:
        statement, cat = _statement(session, str(statement_id))
        return cat.channel_id, f"Normstelling {statements.label(statement)}", nb.version_post(statement, _names(deps))

    flows.keep_post(deps, f"statement:{statement_id}", render)
    flows.update_status(deps, cat_id)
    flows.update_kickoff(deps, cat_id)


def new_version(deps: Deps, session: Session, cat: Cat, actor: Person, row: norm_drafts.NormDraft) -> Statement:
    """The draft as the CAT's next version (shown in the channel by `show_version` once committed)."""
    statement = statements.new_version(session, deps.container.org, cat, actor=actor, category=row.category,
                                       phase=row.phase, channel=row.channel, text=row.text, now=deps.container.clock())
    session.flush()
    return statement


def register(app: App, deps: Deps) -> None:
    guard = user_facing(deps)
    container = deps.container

    @app.command("/norm")
    @guard
    def command(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        words = (body.get("text") or "").split()
        with container.transaction() as session:
            cat = service.cat_for_channel(session, body["channel_id"])
            if words[:1] == ["versies"]:
                if cat is None:
                    raise InvalidInput("`/norm versies` werkt alleen in een CAT-kanaal")
                membership.require_writer(container.org, cat, deps.person(session, body["user_id"]))
                answer: dict[str, Any] = {"text": f"Normstellingen van {cat.number}", "blocks": nb.versions_list(
                    cat, statements.current_versions(session, cat), _names(deps))}
            else:
                try:
                    category, phase = parse_request(words, cat)
                except InvalidInput as exc:  # answered through the response_url: works where the bot is no member
                    answer = {"text": f":warning: {str(exc)[:1].upper()}{str(exc)[1:]}"}
                else:
                    variables = {"eenheid": cat.units[0]} if cat is not None and len(cat.units) == 1 else {}
                    try:
                        made = draft(category, phase, DEFAULT_CHANNEL, variables, today=container.clock().date())
                    except DraftError as exc:
                        raise InvalidInput(str(exc)) from None
                    row = norm_drafts.create(session, user_id=body["user_id"], category=category.value,
                                             phase=phase.value, channel=DEFAULT_CHANNEL, text=made.text,
                                             now=container.clock())
                    answer = {"text": f"Concept normstelling {category.label}",
                              "blocks": nb.draft_message(row, placeholders=made.placeholders)}
        respond(**answer)

    @app.action(ids.ACTION_NORM_EDIT)
    @guard
    def edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with container.transaction() as session:
            row = norm_drafts.get(session, body["actions"][0]["value"], body["user"]["id"])
            if len(row.text) > nb.TEXT_MAX:  # Slack's text input would cut it off
                raise InvalidInput(f"de tekst is langer dan {nb.TEXT_MAX} tekens en past niet in het Slack-"
                                   "invulveld; bewerk hem met `catbot cat statement-edit --file`")
            view = nb.edit_modal(row, response_url=body.get("response_url"))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(ids.NORM_EDIT_MODAL)
    @guard
    def edited(ack: Ack, body: dict[str, Any]) -> None:
        view, meta = body["view"], json.loads(body["view"]["private_metadata"])
        text = text_value(view, "text")
        if not text:
            ack(response_action="errors", errors={"text": "De tekst is leeg."})
            return
        ack()
        with container.transaction() as session:
            row = norm_drafts.get(session, meta["draft_id"], body["user"]["id"])
            row.category, row.phase, row.channel = (selected_values(view, name)[0] for name in
                                                    ("category", "phase", "channel"))
            row.text, row.updated_at = text, container.clock()
            if meta.get("cat_id"):  # editing a version in the CAT: the edit is the next version
                cat_id = int(meta["cat_id"])
                saved = new_version(deps, session, service.get_cat(session, cat_id),
                                    deps.person(session, body["user"]["id"]), row).id
            else:
                blocks = nb.draft_message(row, placeholders=list(dict.fromkeys(PLACEHOLDER.findall(text))),
                                          note="Bewerkt. Controleer de tekst en stuur hem naar het CAT.")
        if meta.get("cat_id"):
            show_version(deps, saved, cat_id)
        elif meta.get("response_url"):
            sent = WebhookClient(meta["response_url"]).send(text="Concept normstelling (bewerkt)", blocks=blocks,
                                                            replace_original=True)
            if sent.status_code != 200:
                log.warning("could not replace the /norm draft (status %s)", sent.status_code)

    @app.action(ids.ACTION_NORM_CHECK)
    @guard
    def check_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        norms = container.norm_detector()  # loaded once per process, outside any transaction
        with container.transaction() as session:
            row = norm_drafts.get(session, body["actions"][0]["value"], body["user"]["id"])
            findings = statements.check_text(container.org, row.text, row.channel, row.category, norms=norms)
        respond(text="Controle van het concept",
                blocks=nb.findings_blocks(findings, "van het concept", model_loaded=norms is not None),
                replace_original=False)

    @app.action(ids.ACTION_NORM_SEND)
    @guard
    def send_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        saved: tuple[int, int] | None = None  # the new version and its CAT
        answer: dict[str, Any]
        with container.transaction() as session:
            row = norm_drafts.get(session, body["actions"][0]["value"], body["user"]["id"])
            actor = deps.person(session, body["user"]["id"])
            cat = service.cat_for_channel(session, channel) if channel else None
            if cat is not None:
                version = new_version(deps, session, cat, actor, row)
                saved, answer = (version.id, cat.id), {"text": f"{statements.label(version)} staat in {cat.number}. "
                                                       "Een directeur of de woordvoerder van de directie keurt goed "
                                                       "(vier ogen)."}
            else:
                director = actor in container.org.directors()
                cats = [c for c in service.list_cats(session, include_closed=False)
                        if c.status == CatStatus.ACTIVE.value and (director or membership.is_member(c, actor))]
                answer = {"text": "Kies het CAT", "blocks": nb.cat_choice(row, cats)} if cats else {
                    "text": "U zit in geen actief CAT, dus dit concept kan nergens heen. Gebruik /norm in een "
                            "CAT-kanaal, of vraag een lid u toe te voegen met `/cat lid`."}
        if saved is not None:
            show_version(deps, *saved)
        respond(**answer, replace_original=False)

    @app.action(ids.ACTION_NORM_PICK_CAT)
    @guard
    def cat_picked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        draft_id, cat_id = str(body["actions"][0]["selected_option"]["value"]).split(":")
        with container.transaction() as session:
            row = norm_drafts.get(session, draft_id, body["user"]["id"])
            cat = service.get_cat(session, int(cat_id))
            saved = new_version(deps, session, cat, deps.person(session, body["user"]["id"]), row)
            saved_id, answer = saved.id, (f"{statements.label(saved)} staat in {cat.number}"
                                          + (f" (<#{cat.channel_id}>)" if cat.channel_id else "") + ".")
        show_version(deps, saved_id, int(cat_id))
        respond(answer, replace_original=True)

    @app.action(ids.ACTION_STATEMENT_APPROVE)
    @guard
    def approve_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        norms = container.norm_detector()
        with container.transaction() as session:
            statement, cat = _statement(session, body["actions"][0]["value"])
            statements.approve(session, container.org, cat, statement.id, norms=norms,
                               approver=deps.person(session, body["user"]["id"]), now=container.clock())
            label = statements.label(statement)
        show_version(deps, statement.id, cat.id)
        respond(f"{label} goedgekeurd. Publiceer zodra de tekst naar buiten is.", replace_original=False)

    @app.action(ids.ACTION_STATEMENT_EDIT)
    @guard
    def statement_edit_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with container.transaction() as session:
            statement, cat = _statement(session, body["actions"][0]["value"])
            membership.require_writer(container.org, cat, deps.person(session, body["user"]["id"]))
            if len(statement.text) > nb.TEXT_MAX:
                raise InvalidInput(f"de tekst is langer dan {nb.TEXT_MAX} tekens; bewerk hem met "
                                   "`catbot cat statement-edit --file`")
            row = norm_drafts.create(session, user_id=body["user"]["id"], category=statement.category,
                                     phase=statement.phase, channel=statement.channel, text=statement.text,
                                     now=container.clock())
            view = nb.edit_modal(row, response_url=None, cat_id=cat.id)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(ids.ACTION_STATEMENT_PUBLISH)
    @guard
    def publish_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with container.transaction() as session:
            statement, cat = _statement(session, body["actions"][0]["value"])
            membership.require_writer(container.org, cat, deps.person(session, body["user"]["id"]))
            view = nb.publish_modal(statement)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(ids.NORM_PUBLISH_MODAL)
    @guard
    def published(ack: Ack, body: dict[str, Any]) -> None:
        meta = json.loads(body["view"]["private_metadata"])
        try:
            with container.transaction() as session:
                statement, cat = _statement(session, meta["statement_id"])
                statements.publish(session, container.org, cat, statement.id,
                                   actor=deps.person(session, body["user"]["id"]),
                                   via=(selected_values(body["view"], "via") or [""])[0], now=container.clock())
        except DomainError as exc:
            ack(response_action="errors", errors={"via": str(exc)[:150]})
            return
        ack()
        show_version(deps, statement.id, cat.id)
