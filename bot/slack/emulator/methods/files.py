"""Files through Slack's external upload flow: getUploadURLExternal → POST bytes → completeUploadExternal."""

from __future__ import annotations

import mimetypes
from typing import Any

from bot.slack.emulator.contract import as_json, limit
from bot.slack.emulator.errors import ApiError, invalid_arguments
from bot.slack.emulator.methods.common import member_channel
from bot.slack.emulator.methods.registry import Args, Context, method
from bot.slack.emulator.state import File, Message


def file_json(ctx: Context, f: File) -> dict[str, Any]:
    """A file object as files.info returns it."""
    return {
        "id": f.id, "created": f.created, "timestamp": f.created, "name": f.name, "title": f.title or f.name,
        "mimetype": mimetypes.guess_type(f.name)[0] or "application/octet-stream",
        "filetype": f.name.rsplit(".", 1)[-1] if "." in f.name else "binary", "user": f.user,
        "size": f.uploaded_bytes if f.uploaded_bytes is not None else f.length, "is_external": False,
        "is_public": any(not ctx.ws.channels[c].is_private for c in f.channels if c in ctx.ws.channels),
        "channels": [c for c in f.channels if c in ctx.ws.channels and not ctx.ws.channels[c].is_private],
        "groups": [c for c in f.channels if c in ctx.ws.channels and ctx.ws.channels[c].is_private],
        "url_private": f"{ctx.base_url}/_emulator/files/{f.id}/{f.name}",
        "permalink": f"https://{ctx.team_domain}.slack.com/files/{f.user}/{f.id}/{f.name}",
        "alt_txt": f.alt_txt,
    }


@method("files.getUploadURLExternal")
def get_upload_url(ctx: Context, args: Args) -> dict[str, Any]:
    """Reserve a file id and hand out the URL to POST the bytes to."""
    length = int(args["length"])
    if length < limit("web_api_args", "files.getUploadURLExternal.length.min"):
        raise invalid_arguments("length must be at least 1 (files.getUploadURLExternal.length.min)")
    alt = args.get("alt_txt")
    if alt and len(str(alt)) > limit("web_api_args", "files.getUploadURLExternal.alt_txt.max"):
        raise ApiError("alt_txt_too_large")
    f = File(id=ctx.ws.new_id("F"), name=str(args["filename"]), length=length, user=ctx.ws.bot_user_id,
             created=int(ctx.ws.clock()), alt_txt=str(alt) if alt else None)
    ctx.ws.files[f.id] = f
    return {"upload_url": f"{ctx.base_url}/_emulator/upload/{f.id}", "file_id": f.id}


def receive_upload(ctx: Context, file_id: str, content: bytes) -> bool:
    """Store the POSTed bytes for a reserved file id; False when the id is unknown or already completed."""
    f = ctx.ws.files.get(file_id)
    if f is None or f.completed:
        return False
    f.content, f.uploaded_bytes = content, len(content)
    return True


@method("files.completeUploadExternal")
def complete_upload(ctx: Context, args: Args) -> dict[str, Any]:
    """Finish uploads and share them (one message) in a channel, optionally in a thread."""
    entries = as_json(args["files"])
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) and e.get("id") for e in entries):
        raise invalid_arguments("files must be a non-empty array of objects with an id")
    files = []
    for entry in entries:
        f = ctx.ws.files.get(str(entry["id"]))
        if f is None or f.uploaded_bytes is None or f.completed:
            raise ApiError("file_not_found")
        files.append((f, entry))
    channel_ids = [c for c in str(args.get("channels") or "").split(",") if c]
    if args.get("channel_id"):
        channel_ids.insert(0, str(args["channel_id"]))
    channels = [member_channel(ctx, c, writable=True) for c in dict.fromkeys(channel_ids)]
    for f, entry in files:
        f.completed, f.title = True, str(entry.get("title") or f.name)
        f.channels = [c.id for c in channels]
    for ch in channels:
        thread_ts = str(args["thread_ts"]) if args.get("thread_ts") else None
        ctx.ws.messages.setdefault(ch.id, []).append(Message(
            channel=ch.id, ts=ctx.ws.new_ts(), user=ctx.ws.bot_user_id, bot_id=ctx.bot_id,
            text=str(args.get("initial_comment") or ""), files=[f.id for f, _ in files], thread_ts=thread_ts))
    return {"files": [{"id": f.id, "title": f.title} for f, _ in files]}


@method("files.info")
def files_info(ctx: Context, args: Args) -> dict[str, Any]:
    """A completed file's metadata."""
    f = ctx.ws.files.get(str(args["file"]))
    if f is None or not f.completed:
        raise ApiError("file_not_found")
    return {"file": file_json(ctx, f), "comments": [], "response_metadata": {"next_cursor": ""}}
