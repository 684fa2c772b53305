"""Length limits per channel: hard for social posts, guidance for the longer channels."""

from __future__ import annotations

from dataclasses import dataclass

from playbooks.vocabulary import Channel


@dataclass(frozen=True)
class ChannelLimit:
    """Maximum length in characters; a hard limit is an error, a soft one a warning."""

    max_chars: int
    hard: bool


CHANNEL_LIMITS: dict[Channel, ChannelLimit] = {
    Channel.SOCIAL: ChannelLimit(280, hard=True),
    Channel.PERSVERKLARING: ChannelLimit(3000, hard=False),
    Channel.INTRANETBERICHT: ChannelLimit(3500, hard=False),
    Channel.BRIEF_LEIDINGGEVENDEN: ChannelLimit(5000, hard=False),
    Channel.WOORDVOERINGSLIJN: ChannelLimit(8000, hard=False),
}
