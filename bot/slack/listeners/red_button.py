"""The red button: the request form, the director's decision and the activation that follows."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.cat import requests
from bot.errors import DomainError, InvalidState
from bot.slack import blocks, flows, ids
from bot.slack.deps import Deps, logged_failure, user_facing
from bot.slack.forms import field_for_error, red_button_values, selected_values, text_value


def register(app: App, deps: Deps) -> None:
    guard = user_facing(deps)

    def open_form(client: WebClient, trigger_id: str, reason: str = "", channel: str | None = None) -> None:
        client.views_open(trigger_id=trigger_id, view=blocks.rode_knop_modal(reason=reason,
                                                                              metadata={"channel": channel}))

    @app.command("/rodeknop")
    @guard
    def command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_form(client, body["trigger_id"], body.get("text", ""), body.get("channel_id"))

    @app.shortcut(ids.SHORTCUT_RODE_KNOP)
    @guard
    def shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_form(client, body["trigger_id"])

    @app.action(ids.ACTION_HOME_RODE_KNOP)
    @guard
    def home_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_form(client, body["trigger_id"])

    @app.view(ids.RODE_KNOP_MODAL)
    @guard
    def submitted(ack: Ack, body: dict[str, Any]) -> None:
        values = red_button_values(body["view"])
        try:
            with deps.container.transaction() as session:
                requester = deps.person(session, body["user"]["id"])
                outcome = requests.request_red_button(
                    session, deps.container.org, requester=requester, now=deps.container.clock(),
                    expires_after=deps.container.request_expiry, **values)
                request = outcome.request
        except DomainError as exc:
            ack(response_action="errors", errors={field_for_error(str(exc)): str(exc)[:150]})
            return
        except Exception:  # the form stays open with everything typed in it; nothing was stored
            error_id = logged_failure("red-button request could not be stored")
            ack(response_action="errors", errors={"what": f"Opslaan lukte niet (fout-id {error_id}). Uw tekst staat "
                                                          "er nog; probeer het zo opnieuw."})
            return
        if not outcome.created:
            ack(response_action="update", view=blocks.info_modal(
                "Al aangevraagd", f"Er loopt al een aanvraag voor dezelfde eenheden en issues: *{request.title}*. "
                                  "De directeur communicatie beslist daarover; er is geen tweede aangemaakt."))
        elif deps.container.org.may_decide(requester):
            ack(response_action="update", view=blocks.approve_modal(request))
        else:
            ack(response_action="update", view=blocks.info_modal(
                "Aanvraag verstuurd", f"Uw aanvraag *{request.title}* ligt bij de directeur communicatie. "
                                      "U hoort de uitkomst via een direct bericht."))
            flows.notify_directors(deps, request.id)

    @app.action(ids.ACTION_APPROVE)
    @guard
    def approve_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with deps.container.transaction() as session:
            request = requests.get_request(session, int(body["actions"][0]["value"]))
            if request.state != "pending":
                raise InvalidState(f"aanvraag {request.id} is al afgehandeld ({request.state})")
        client.views_open(trigger_id=body["trigger_id"], view=blocks.approve_modal(request))

    @app.view(ids.APPROVE_MODAL)
    @guard
    def approved(ack: Ack, body: dict[str, Any]) -> None:
        request_id = int(json.loads(body["view"]["private_metadata"])["request_id"])
        advice_to = selected_values(body["view"], "advice_to")
        if not advice_to:
            ack(response_action="errors", errors={"advice_to": "Kies ten minste één adviesontvanger."})
            return
        with deps.container.transaction() as session:
            director = deps.person(session, body["user"]["id"])
            request = requests.get_request(session, request_id)
            requests.require_director(deps.container.org, director)
            if request.state != "pending":
                ack(response_action="errors", errors={"advice_to": f"Deze aanvraag is al {request.state}."})
                return
        ack()
        flows.press_red_button(deps, director, request_id, advice_to)

    @app.action(ids.ACTION_DECLINE)
    @guard
    def decline_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with deps.container.transaction() as session:
            request = requests.get_request(session, int(body["actions"][0]["value"]))
            requests.require_director(deps.container.org, deps.person(session, body["user"]["id"]))
        client.views_open(trigger_id=body["trigger_id"], view=blocks.decline_modal(request))

    @app.view(ids.DECLINE_MODAL)
    @guard
    def declined(ack: Ack, body: dict[str, Any]) -> None:
        request_id = int(json.loads(body["view"]["private_metadata"])["request_id"])
        reason = text_value(body["view"], "reason")
        if not reason:
            ack(response_action="errors", errors={"reason": "Geef een reden; de aanvrager krijgt die te zien."})
            return
        ack()
        with deps.container.transaction() as session:
            director = deps.person(session, body["user"]["id"])
        flows.decline(deps, director, request_id, reason)
