"""Fire due reminders: claim each in its own transaction, then post; repost what a crashed poster lost."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from bot.cat import timeline
from bot.cat.models import Cat, CatStatus, Reminder
from bot.cat.timeline import EventKind
from bot.container import Container
from bot.organisation.directory import resolve_slack_id
from bot.scheduling import metrics
from bot.scheduling.notices import Notice, notice_for
from bot.scheduling.reminders import cancel, claim, due_ids, ensure_cadence, mark_posted, moot_reason, orphans
from bot.slack.notifier import SlackGateway
from bot.slack.reminder_blocks import marker, reminder_blocks, reminder_text

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5  # reposts of a claimed reminder before giving up


@dataclass
class FireReport:
    fired: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    reposted: list[int] = field(default_factory=list)


def cadence_intervals(container: Container) -> dict[str, int]:
    s = container.settings
    return {"press": s.cadence_press_minutes, "internal": s.cadence_internal_minutes,
            "units": s.cadence_units_minutes, "leadership": s.cadence_leadership_minutes}


def _post(gateway: SlackGateway, channel: str, notice: Notice, text: str, blocks: list[dict[str, Any]],
          *, retry: bool) -> tuple[str, str]:
    if retry:  # an earlier attempt may have posted this round before it died: find it by its metadata
        found = gateway.find_by_metadata(channel, marker(notice), limit=100)
        if found:
            return channel, found
    return gateway.post(channel, text, blocks, metadata=marker(notice))


def deliver(container: Container, gateway: SlackGateway, notice: Notice, *, retry: bool = False) -> None:
    """Post in the CAT channel (with buttons) and DM the people the notice names; record the channel post."""
    posted: tuple[str, str] | None = None
    if notice.channel_id:
        posted = _post(gateway, notice.channel_id, notice, reminder_text(notice), reminder_blocks(notice),
                       retry=retry)
    for person in notice.dm_to:
        slack_id = resolve_slack_id(container.transaction, gateway, person, container.clock())
        if slack_id:
            channel = gateway.client.conversations_open(users=slack_id)["channel"]["id"]
            text = notice.dm_text or notice.text
            _post(gateway, channel, notice, text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
                  retry=retry)
    with container.transaction() as session:
        mark_posted(session, notice.reminder_id, *(posted or ("", "dm")))


def _safely(container: Container, gateway: SlackGateway, notice: Notice, *, retry: bool = False) -> bool:
    try:
        deliver(container, gateway, notice, retry=retry)
        return True
    except Exception:
        log.exception("reminder %s: delivery failed; the next run tries again", notice.reminder_id)
        return False


def _record(session: Any, cat: Cat, reminder: Reminder, notice: Notice, now: Any) -> None:
    kind = EventKind.FOLLOW_UP if reminder.kind == "follow_up_outcome" else EventKind.REMINDER
    timeline.append(session, cat, kind, recorded_at=now, text=notice.text,
                    data={"reminder": reminder.key, "kind": reminder.kind, "round": notice.round},
                    natural_key=f"reminder:{reminder.key}:{notice.round}")


def fire_due(container: Container, gateway: SlackGateway, stopping: threading.Event | None = None) -> FireReport:
    """One run of the reminders job; each reminder is claimed (committed) before its message is posted."""
    report = FireReport()
    now = container.clock()
    org = container.org
    with container.transaction() as session:
        for active in session.scalars(select(Cat).where(Cat.status == CatStatus.ACTIVE.value)):
            ensure_cadence(session, active, cadence_intervals(container), now)
        lost = [(r.id, r.cat_id) for r in orphans(session, now)]
        due = due_ids(session, now)
    for reminder_id, cat_id in lost:  # a poster died between claim and post: finish its work, once
        with container.transaction() as session:
            lost_reminder, lost_cat = session.get(Reminder, reminder_id), session.get(Cat, cat_id)
            assert lost_reminder is not None and lost_cat is not None
            attempts = int(lost_reminder.payload.get("attempts", 0)) + 1
            if attempts > MAX_ATTEMPTS:  # Slack keeps refusing (an archived channel): stop, say so once
                lost_reminder.payload = {**lost_reminder.payload, "posted": {"failed": attempts - 1}}
                log.warning("reminder %s: not delivered after %d attempts; given up", reminder_id, attempts - 1)
                continue
            lost_reminder.payload = {**lost_reminder.payload, "attempts": attempts}
            notice = notice_for(org, lost_reminder, lost_cat, now)
        if _safely(container, gateway, notice, retry=True):
            report.reposted.append(reminder_id)
    for reminder_id in due:
        if stopping is not None and stopping.is_set():
            break  # shutting down: what is not claimed stays scheduled for the next leader
        with container.transaction() as session:
            reminder = session.get(Reminder, reminder_id)
            cat = session.get(Cat, reminder.cat_id) if reminder else None
            if reminder is None or cat is None:
                continue
            reason = moot_reason(session, reminder, cat)
            if reason is not None:
                cancel(reminder, now)
                report.cancelled.append(reminder_id)
                metrics.REMINDERS.labels(kind=reminder.kind, outcome="cancelled").inc()
                log.info("reminder %s cancelled: %s", reminder_id, reason)
                continue
            claimed = claim(session, reminder_id, now)
            if claimed is None:
                continue  # someone else fired it
            notice = notice_for(org, claimed, cat, now)
            _record(session, cat, claimed, notice, now)
        _safely(container, gateway, notice)  # a failed post is an orphan now: the next run reposts it
        report.fired.append(reminder_id)
        metrics.REMINDERS.labels(kind=notice.kind, outcome="fired").inc()
        log.info("reminder %s (%s) fired for %s", reminder_id, notice.kind, notice.cat_number)
    return report
