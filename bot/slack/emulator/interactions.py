"""Interactivity and slash commands as a person triggers them, with the bot's answer applied as Slack would."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.slack.emulator import payloads
from bot.slack.emulator.methods.common import message_json
from bot.slack.emulator.methods.views import view_json
from bot.slack.emulator.responses import apply_message_response, apply_view_response
from bot.slack.emulator.state import View

if TYPE_CHECKING:
    from bot.slack.emulator.deliver import Delivery
    from bot.slack.emulator.server import Emulator

_SELECTED = {
    "static_select": "selected_option", "external_select": "selected_option", "radio_buttons": "selected_option",
    "multi_static_select": "selected_options", "multi_external_select": "selected_options",
    "checkboxes": "selected_options", "users_select": "selected_user", "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation", "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel", "multi_channels_select": "selected_channels",
    "datepicker": "selected_date", "timepicker": "selected_time", "datetimepicker": "selected_date_time",
}


def _options(element: Mapping[str, Any]) -> list[dict[str, Any]]:
    groups = element.get("option_groups") or []
    return list(element.get("options") or []) + [o for g in groups for o in g.get("options", [])]


def state_value(element: Mapping[str, Any], raw: Any) -> dict[str, Any]:
    """What Slack puts in view.state.values for an input element, from a plain value (or a ready dict)."""
    kind = str(element.get("type"))
    if isinstance(raw, dict) and "type" in raw:
        return raw
    key = _SELECTED.get(kind)
    if key is None:
        return {"type": kind, "value": raw}
    if key in ("selected_option", "selected_options"):
        wanted = raw if isinstance(raw, list) else [raw]
        chosen = [o for o in _options(element) if o.get("value") in wanted]
        if len(chosen) != len(wanted):
            raise ValueError(f"{raw!r} is not among the options of {element.get('action_id')!r}")
        return {"type": kind, key: chosen if key == "selected_options" else chosen[0]}
    return {"type": kind, key: raw}


def _find_element(blocks: list[Any], action_id: str) -> tuple[str | None, dict[str, Any] | None]:
    for block in blocks or []:
        candidates = [*block.get("elements", []), block.get("accessory"), block.get("element")]
        for el in candidates:
            if isinstance(el, dict) and el.get("action_id") == action_id:
                return block.get("block_id"), el
    return None, None


def _fill_state(view: View, values: Mapping[str, Mapping[str, Any]]) -> None:
    """Set view.state.values from {block_id: {action_id: plain value}}, checking the inputs exist."""
    state: dict[str, dict[str, Any]] = {}
    for block_id, by_action in values.items():
        for action_id, raw in by_action.items():
            found_block, element = _find_element(view.payload.get("blocks", []), action_id)
            if element is None or found_block != block_id:
                raise KeyError(f"no input {block_id}/{action_id} in view {view.id}")
            state.setdefault(block_id, {})[action_id] = state_value(element, raw)
    view.state = {"values": state}


class InteractionsMixin:
    """Slash commands, block actions, modals and shortcuts for Deliverer."""

    emulator: Emulator
    verification_token: str

    def send_form(self, fields: dict[str, str], **kwargs: Any) -> Delivery:
        """POST form fields (Deliverer implements it)."""
        raise NotImplementedError

    def send_payload(self, payload: dict[str, Any], **kwargs: Any) -> Delivery:
        """POST `payload=<json>` (Deliverer implements it)."""
        raise NotImplementedError

    def _refs(self, user: str) -> dict[str, Any]:
        ws, ctx = self.emulator.ws, self.emulator.ctx
        name = ws.users[user].name if user in ws.users else user
        return {"user": payloads.user_ref(user, name, ws.team_id), "team": payloads.team_ref(ws.team_id,
                ctx.team_domain), "api_app_id": ctx.app_id, "token": self.verification_token}

    def slash_command(self, command: str, text: str, *, user: str, channel: str) -> Delivery:
        """A person types `/command text`; a body in the bot's ack is shown like Slack shows it."""
        emu = self.emulator
        ch = emu.ws.channels.get(channel)
        fields = payloads.slash_command(
            command=command, text=text, user_id=user, user_name=emu.ws.users[user].name, channel_id=channel,
            channel_name=(ch.name or "directmessage") if ch else "", team_id=emu.ws.team_id,
            team_domain=emu.ctx.team_domain, api_app_id=emu.ctx.app_id, trigger_id=emu.new_trigger_id(user),
            response_url=emu.new_response_url(user, channel), token=self.verification_token)
        delivery = self.send_form(fields)
        answer = delivery.json() if delivery.body.strip() else None
        if delivery.status == 200 and (answer or delivery.body.strip()):
            body = answer if isinstance(answer, dict) else {"text": delivery.text}
            with emu.ws.lock:
                apply_message_response(emu.ctx, user, channel, None, body, "command_ack")
        return delivery

    def block_actions(self, action_id: str, *, user: str, channel: str | None = None, message_ts: str | None = None,
                      view_id: str | None = None, value: Any = None,
                      values: Mapping[str, Mapping[str, Any]] | None = None) -> Delivery:
        """A person clicks or picks in a message (channel+message_ts) or a view (view_id, `values` typed so far)."""
        emu = self.emulator
        with emu.ws.lock:
            fields: dict[str, Any] = {"trigger_id": emu.new_trigger_id(user)}
            if view_id is not None:
                view = emu.ws.views[view_id]
                if values is not None:
                    _fill_state(view, values)
                blocks = view.payload.get("blocks", [])
                fields.update(container={"type": "view", "view_id": view_id}, view=view_json(emu.ctx, view))
            else:
                assert channel is not None and message_ts is not None, "give channel+message_ts or view_id"
                blocks = self._message_fields(fields, user, channel, message_ts)
            block_id, element = _find_element(blocks, action_id)
            if element is None:
                raise KeyError(f"no element with action_id {action_id!r} on that surface")
            action = {"action_id": action_id, "block_id": block_id, "type": element["type"],
                      "action_ts": f"{time.time():.6f}"}
            if element["type"] == "button":
                action.update(text=element.get("text"), value=element.get("value"))
            elif value is not None:
                action.update({k: v for k, v in state_value(element, value).items() if k != "type"})
        return self.send_payload(payloads.interaction("block_actions", **self._refs(user), actions=[action], **fields))

    def _message_fields(self, fields: dict[str, Any], user: str, channel: str, message_ts: str) -> list[Any]:
        """Container, channel, message and response_url of an action on a message (ephemeral ones too)."""
        emu = self.emulator
        msg = emu.ws.message(channel, message_ts)
        ephemeral = next((e for e in emu.ws.ephemerals if e.channel == channel and e.ts == message_ts
                          and e.user == user), None)
        if msg is None and ephemeral is None:
            raise KeyError(f"no message {message_ts} in {channel} that {user} can see")
        ch = emu.ws.channels[channel]
        fields.update(container={"type": "message", "message_ts": message_ts, "channel_id": channel,
                                 "is_ephemeral": msg is None},
                      channel={"id": channel, "name": ch.name or "directmessage"},
                      response_url=emu.new_response_url(user, channel, message_ts))
        if msg is not None:  # Slack leaves `message` out for ephemeral messages
            fields["message"] = message_json(msg, emu.ctx)
            return msg.blocks or []
        assert ephemeral is not None
        return ephemeral.blocks or []

    def view_submission(self, view_id: str, *, user: str, values: Mapping[str, Mapping[str, Any]]) -> Delivery:
        """A person fills in and submits a modal; the bot's response_action (or none) is applied."""
        emu = self.emulator
        with emu.ws.lock:
            view = emu.ws.views[view_id]
            if view.closed:
                raise ValueError(f"view {view_id} is not open")
            _fill_state(view, values)
            payload = payloads.interaction("view_submission", **self._refs(user), trigger_id=emu.new_trigger_id(user),
                                           view=view_json(emu.ctx, view), response_urls=[])
        delivery = self.send_payload(payload)
        if delivery.status == 200:
            with emu.ws.lock:
                delivery.outcome = apply_view_response(emu.ctx, user, view_id, delivery.json())
        return delivery

    def view_closed(self, view_id: str, *, user: str) -> Delivery | None:
        """A person closes a modal; Slack tells the bot only when the view set notify_on_close."""
        emu = self.emulator
        with emu.ws.lock:
            view = emu.ws.views[view_id]
            stack = emu.ws.stacks.get(user, [])
            for vid in list(stack):
                emu.ws.views[vid].closed = True
            stack.clear()
            if not view.payload.get("notify_on_close"):
                return None
            payload = payloads.interaction("view_closed", **self._refs(user), view=view_json(emu.ctx, view),
                                           is_cleared=True)
        return self.send_payload(payload)

    def shortcut(self, callback_id: str, *, user: str) -> Delivery:
        """A person runs a global shortcut."""
        emu = self.emulator
        return self.send_payload(payloads.interaction(
            "shortcut", **self._refs(user), callback_id=callback_id, trigger_id=emu.new_trigger_id(user),
            action_ts=f"{time.time():.6f}"))

    def message_action(self, callback_id: str, *, user: str, channel: str, message_ts: str) -> Delivery:
        """A person runs a message shortcut on a message."""
        emu = self.emulator
        with emu.ws.lock:
            msg = emu.ws.message(channel, message_ts)
            if msg is None:
                raise KeyError(f"no message {message_ts} in {channel}")
            ch = emu.ws.channels[channel]
            payload = payloads.interaction(
                "message_action", **self._refs(user), callback_id=callback_id,
                trigger_id=emu.new_trigger_id(user), action_ts=f"{time.time():.6f}", message_ts=message_ts,
                message=message_json(msg, emu.ctx), channel={"id": channel, "name": ch.name or "directmessage"},
                response_url=emu.new_response_url(user, channel))
        return self.send_payload(payload)
