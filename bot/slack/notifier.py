"""The Slack side of the domain's ports: channels, invites, the kickoff, DMs, cards, files and bookmarks."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.web import SlackResponse

from bot.cat.ports import ChannelRef, Kickoff
from bot.slack.blocks import kickoff_blocks
from bot.slack.logfilter import keep_bodies_out_of_logs
from bot.storage.engine import outside_transaction

log = logging.getLogger(__name__)
KICKOFF_EVENT = "cat_kickoff"
INVITE_BATCH = 100


class BotClient(WebClient):
    """The Web API client; every call first checks that no database transaction is open in this thread."""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:  # type: ignore[override]
        outside_transaction(f"Slack {api_method}")
        return super().api_call(api_method, **kwargs)


def make_client(token: str, base_url: str | None = None) -> WebClient:
    """A WebClient that honours 429 Retry-After (up to three times) and can point at the emulator."""
    client = BotClient(token=token, base_url=base_url or WebClient.BASE_URL)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    keep_bodies_out_of_logs()  # also in processes without the Bolt app (the scheduler): messages carry names
    return client


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error", ""))


class SlackGateway:
    """Implements CatEffects and UserDirectory over the Web API; every effect is idempotent by its key."""

    def __init__(self, client: WebClient):
        self.client = client
        self._own_user_id: str | None = None

    def connection_problem(self) -> str | None:
        """Why this bot cannot work with Slack (auth.test), in one Dutch line; None when the token is accepted."""
        try:
            self._own_user_id = str(self.client.auth_test()["user_id"])
        except SlackApiError as exc:
            why = _error(exc) or exc.response.status_code
            return f"Slack weigert het bot-token ({why}); controleer SLACK_BOT_TOKEN"
        except OSError as exc:  # URLError, connection refused, DNS, timeouts
            reason = getattr(exc, "reason", exc)
            return (f"Slack is niet bereikbaar op {self.client.base_url} ({reason}); controleer het netwerk of "
                    "SLACK_API_URL")
        return None

    # --- UserDirectory -----------------------------------------------------------------------------
    def lookup_by_email(self, email: str) -> str | None:
        try:
            return str(self.client.users_lookupByEmail(email=email)["user"]["id"])
        except SlackApiError as exc:
            if _error(exc) == "users_not_found":
                return None
            raise

    def email_of(self, user_id: str) -> str | None:
        try:
            profile = self.client.users_info(user=user_id)["user"].get("profile", {})
        except SlackApiError as exc:
            if _error(exc) == "user_not_found":
                return None
            raise
        email = profile.get("email")
        return str(email).lower() if email else None

    # --- CatEffects --------------------------------------------------------------------------------
    def _private_channels(self) -> Iterator[dict[str, Any]]:
        for page in self.client.conversations_list(types="private_channel", exclude_archived=True, limit=200):
            yield from page["channels"]

    def own_user_id(self) -> str:
        """The bot's own Slack user id (auth.test, asked once)."""
        if self._own_user_id is None:
            self._own_user_id = str(self.client.auth_test()["user_id"])
        return self._own_user_id

    def create_channel(self, *, name: str) -> ChannelRef | None:
        """Create a private channel; None when the name is taken (the saga then tries the next suffix)."""
        try:
            channel = self.client.conversations_create(name=name, is_private=True)["channel"]
        except SlackApiError as exc:
            if _error(exc) == "name_taken":
                return None
            raise
        log.info("created CAT channel %s", channel["id"])
        return ChannelRef(channel["id"], channel["name"])

    def find_channel(self, *, name: str) -> ChannelRef | None:
        """The private channel of this name that this app created (a create whose answer never arrived)."""
        me = self.own_user_id()
        for channel in self._private_channels():
            if channel.get("name") == name and channel.get("creator") == me:
                return ChannelRef(channel["id"], channel["name"])
        return None

    def describe_channel(self, *, channel_id: str, purpose: str, topic: str) -> None:
        self.client.conversations_setPurpose(channel=channel_id, purpose=purpose)
        self.client.conversations_setTopic(channel=channel_id, topic=topic)

    def invite(self, *, channel_id: str, user_ids: Sequence[str]) -> None:
        """Invite in batches of at most 100; people already in the channel are fine."""
        wanted = [u for u in dict.fromkeys(user_ids)]
        for start in range(0, len(wanted), INVITE_BATCH):
            batch = wanted[start:start + INVITE_BATCH]
            try:
                self.client.conversations_invite(channel=channel_id, users=",".join(batch), force=True)
            except SlackApiError as exc:
                if _error(exc) not in ("already_in_channel", "cant_invite_self"):
                    raise
                for user in batch:  # one of them was already there: invite the rest one by one
                    try:
                        self.client.conversations_invite(channel=channel_id, users=user)
                    except SlackApiError as single:
                        if _error(single) not in ("already_in_channel", "cant_invite_self"):
                            raise

    def find_by_metadata(self, channel: str, metadata: dict[str, Any], *, limit: int = 200) -> str | None:
        """The ts of a recent message in the channel carrying exactly this metadata (type and payload)."""
        history = self.client.conversations_history(channel=channel, include_all_metadata=True, limit=limit)
        for message in history["messages"]:
            found = message.get("metadata") or {}
            if found.get("event_type") == metadata["event_type"] and \
                    found.get("event_payload") == metadata["event_payload"]:
                return str(message["ts"])
        return None

    def publish_kickoff(self, *, channel_id: str, kickoff: Kickoff, ts: str | None) -> str:
        """Update the kickoff in place, or post and pin it (a lost ts is found again by its metadata)."""
        blocks = kickoff_blocks(kickoff)
        text = f"{kickoff.cat_number}: {kickoff.title}"
        metadata = {"event_type": KICKOFF_EVENT, "event_payload": {"cat_number": kickoff.cat_number}}
        if ts:
            self.client.chat_update(channel=channel_id, ts=ts, text=text, blocks=blocks)
            return ts
        found = self.find_by_metadata(channel_id, metadata)
        if found:
            self.client.chat_update(channel=channel_id, ts=found, text=text, blocks=blocks)
        else:
            found = self.post(channel_id, text, blocks, metadata=metadata)[1]
        try:  # pin it; after a crash between post and pin this completes the step
            self.client.pins_add(channel=channel_id, timestamp=found)
        except SlackApiError as exc:
            if _error(exc) != "already_pinned":
                raise
        return found

    # --- messages ----------------------------------------------------------------------------------
    def im_channel(self, user_id: str) -> str:
        """The direct-message channel with a user (opened if needed)."""
        return str(self.client.conversations_open(users=user_id)["channel"]["id"])

    def dm(self, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None,
           metadata: dict[str, Any] | None = None) -> tuple[str, str]:
        """Send a direct message (metadata lets a retry find it again); returns (channel, ts)."""
        return self.post(self.im_channel(user_id), text, blocks, metadata=metadata)

    def post(self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None,
             metadata: dict[str, Any] | None = None) -> tuple[str, str]:
        """Post a message (metadata lets a retry find it again); returns (channel, ts)."""
        posted = self.client.chat_postMessage(channel=channel, text=text, blocks=blocks, metadata=metadata)
        return str(posted["channel"]), str(posted["ts"])

    def update(self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]) -> None:
        self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)

    def ephemeral(self, channel: str, user: str, text: str) -> None:
        self.client.chat_postEphemeral(channel=channel, user=user, text=text)

    def permalink(self, channel: str, ts: str) -> str | None:
        try:
            return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except SlackApiError:
            return None

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """One message by ts (top-level or in a thread)."""
        found = self.client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)["messages"]
        if found and found[0].get("ts") == ts:
            return dict(found[0])
        try:
            replies = self.client.conversations_replies(channel=channel, ts=ts, limit=1)["messages"]
        except SlackApiError:
            return None
        return dict(replies[0]) if replies and replies[0].get("ts") == ts else None

    def upload(self, channel: str, *, filename: str, content: str | bytes, title: str) -> str | None:
        """Share a text or binary file in the channel through the external upload flow; returns its permalink."""
        body = {"content": content} if isinstance(content, str) else {"file": content}
        response = self.client.files_upload_v2(channel=channel, filename=filename, title=title, **body)
        file_id = (response.get("file") or {}).get("id")
        if not file_id:
            return None
        # completeUploadExternal answers with id and title only; the permalink comes from files.info.
        return str(self.client.files_info(file=file_id)["file"].get("permalink") or "") or None

    def upload_document(self, *, channel_id: str, title: str, filename: str, content: str) -> str | None:
        return self.upload(channel_id, filename=filename, content=content, title=title)

    def find_document(self, *, channel_id: str, filename: str, limit: int = 200) -> str | None:
        """The link of a file with this name the bot already shared in the channel (an upload whose answer
        was lost), from the channel's recent history."""
        me = self.own_user_id()
        history = self.client.conversations_history(channel=channel_id, limit=limit)
        for message in history["messages"]:
            if message.get("user") != me:
                continue
            for shared in message.get("files") or []:
                if shared.get("name") == filename:
                    return str(self.client.files_info(file=shared["id"])["file"].get("permalink") or "") or None
        return None

    def _has_bookmark(self, channel: str, title: str) -> bool:
        existing: list[dict[str, Any]] = self.client.bookmarks_list(channel_id=channel).get("bookmarks", [])
        return any(b.get("title") == title for b in existing)

    def bookmark(self, channel: str, title: str, link: str) -> None:
        """Add a link bookmark unless one with this title exists."""
        if not self._has_bookmark(channel, title):
            self.client.bookmarks_add(channel_id=channel, title=title, type="link", link=link)
