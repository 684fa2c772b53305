"""Inside a CAT channel: `/cat` sub-commands, advice and close modals, 📌 and "Op de tijdlijn"."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.cat import advice, closing, membership, service
from bot.cat.timeline import EVENT_LABELS, EventKind
from bot.errors import InvalidInput
from bot.localtime import fmt_day
from bot.slack import blocks, flows, ids
from bot.slack.deps import Deps, user_facing
from bot.slack.forms import selected_values, text_value
from bot.text import first_upper

USAGE = ("Gebruik: `/cat status`, `/cat notitie <tekst>`, `/cat besluit <tekst>`, `/cat advies`, "
         "`/cat lid @collega`, `/cat sluit` of `/cat export`.")
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def register(app: App, deps: Deps) -> None:
    guard = user_facing(deps)

    def cat_here(session: Any, channel_id: str) -> Any:
        cat = service.cat_for_channel(session, channel_id)
        if cat is None:
            raise InvalidInput("/cat werkt alleen in een CAT-kanaal. Start een CAT met /rodeknop.")
        return cat

    @app.command("/cat")
    @guard
    def command(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        sub, _, rest = (body.get("text") or "").strip().partition(" ")
        sub = sub.lower()
        ack()
        container, org = deps.container, deps.container.org
        # Slack is asked with no transaction open: who is who first, replies and posts after the commit.
        actor = deps.person_outside(body["user_id"])
        match = MENTION.search(rest) if sub == "lid" else None
        if sub == "lid" and match is None:
            raise InvalidInput("noem de collega met @, bijvoorbeeld `/cat lid @naam`")
        newcomer = deps.person_outside(match.group(1)) if match else None
        with container.transaction() as session:
            cat = cat_here(session, body["channel_id"])
            cat_id, number = cat.id, cat.number
            if sub in ("notitie", "besluit"):
                kind = EventKind.NOTE if sub == "notitie" else EventKind.DECISION
                event, _ = service.record(session, org, cat, kind, actor=actor, text=rest, now=container.clock())
                reply = (f"{first_upper(EVENT_LABELS[kind])} vastgelegd op de tijdlijn van {number} "
                         f"(gebeurtenis {event.seq}).")
            elif sub in ("advies", "sluit"):
                membership.require_open(cat)
                membership.require_writer(org, cat, actor)
                view = blocks.advice_modal(cat) if sub == "advies" else blocks.close_modal(cat)
            elif newcomer is not None:
                membership.add_member(session, org, cat, newcomer, actor=actor, reason=MENTION.sub("", rest).strip(),
                                      now=container.clock())
                channel_id = cat.channel_id
            elif sub == "export":
                membership.require_writer(org, cat, actor)
        if sub not in ("notitie", "besluit", "status", "advies", "sluit", "lid", "export"):
            respond(USAGE)
        elif sub in ("notitie", "besluit"):
            flows.update_status(deps, cat_id)
            respond(reply)
        elif sub == "status":
            flows.update_status(deps, cat_id)
            respond(f"Status van {number} bijgewerkt in het kanaal.")
        elif sub in ("advies", "sluit"):
            client.views_open(trigger_id=body["trigger_id"], view=view)
        elif newcomer is not None:
            slack_id = flows.slack_id_outside(deps, newcomer)
            if channel_id and slack_id:
                deps.gateway.invite(channel_id=channel_id, user_ids=[slack_id])
            flows.update_kickoff(deps, cat_id)
            respond(f"{newcomer.name} is toegevoegd aan {number}.")
        elif sub == "export":
            link = flows.export_to_channel(deps, cat_id)
            respond(f"Tijdlijn gedeeld in het kanaal en als bladwijzer bewaard: {link}")

    @app.view(ids.ADVICE_MODAL)
    @guard
    def advice_submitted(ack: Ack, body: dict[str, Any]) -> None:
        view = body["view"]
        text, recipient = text_value(view, "text"), (selected_values(view, "recipient") or [""])[0]
        if not text:
            ack(response_action="errors", errors={"text": "Het advies is leeg."})
            return
        ack()
        with deps.container.transaction() as session:
            cat = service.get_cat(session, json.loads(view["private_metadata"])["cat_id"])
            given = advice.give_advice(session, deps.container.org, cat, actor=deps.person(session, body["user"]["id"]),
                                       recipient=recipient, text=text, now=deps.container.clock())
            label = advice.resolve_recipient(cat, recipient)["label"]
            session.flush()
            cat_id, channel_id, advice_id = cat.id, cat.channel_id, given.id
        if channel_id:
            deps.gateway.post(channel_id, f"Advies {advice_id} vastgelegd",
                              [blocks.section(f"*Advies aan {label}* vastgelegd door <@{body['user']['id']}>:"
                                              f"\n>{blocks.clip(text, 2500)}")])
        flows.update_status(deps, cat_id)

    @app.view(ids.CLOSE_MODAL)
    @guard
    def close_submitted(ack: Ack, body: dict[str, Any]) -> None:
        view = body["view"]
        went_well, to_learn = text_value(view, "went_well"), text_value(view, "to_learn")
        if not went_well or not to_learn:
            ack(response_action="errors", errors={"to_learn" if went_well else "went_well": "Vul beide in."})
            return
        ack()
        with deps.container.transaction() as session:
            cat = service.get_cat(session, json.loads(view["private_metadata"])["cat_id"])
            follow_up = closing.close_cat(session, deps.container.org, cat,
                                          actor=deps.person(session, body["user"]["id"]), went_well=went_well,
                                          to_learn=to_learn, now=deps.container.clock(),
                                          follow_up_after=deps.container.follow_up_after)
            cat_id, channel_id, number = cat.id, cat.channel_id, cat.number
        flows.update_status(deps, cat_id)
        if channel_id:
            deps.gateway.post(channel_id, f"{number} is gesloten", [blocks.section(
                f"*{number} is gesloten.* Opvolging gepland op {fmt_day(follow_up.due_at)}: de afloop "
                "communiceren, ook als er geen verwijtbaar handelen is vastgesteld.")])
        flows.export_to_channel(deps, cat_id)

    @app.event("reaction_added")
    @guard
    def pinned(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("reaction") != ids.PIN_REACTION or event.get("item", {}).get("type") != "message":
            return
        _record(event["user"], event["item"]["channel"], event["item"]["ts"])

    @app.shortcut(ids.SHORTCUT_TIMELINE)
    @guard
    def message_shortcut(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        _record(body["user"]["id"], body["channel"]["id"], body["message"]["ts"])

    def _record(user: str, channel: str, ts: str) -> None:
        cat, created = flows.record_message(deps, user, channel, ts)
        deps.gateway.ephemeral(channel, user, f"Bericht op de tijdlijn van {cat.number} gezet." if created
                               else f"Dit bericht stond al op de tijdlijn van {cat.number}.")
