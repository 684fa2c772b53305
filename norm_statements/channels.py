"""Length limits per channel: going over one is an error that names the limit."""

from __future__ import annotations

from dataclasses import dataclass

from playbooks.vocabulary import Channel


@dataclass(frozen=True)
class ChannelLimit:
    """Maximum length in characters."""

    max_chars: int


CHANNEL_LIMITS: dict[Channel, ChannelLimit] = {
    Channel.SOCIAL: ChannelLimit(280),
    Channel.PERSVERKLARING: ChannelLimit(3000),
    Channel.INTRANETBERICHT: ChannelLimit(3500),
    Channel.BRIEF_LEIDINGGEVENDEN: ChannelLimit(5000),
    Channel.WOORDVOERINGSLIJN: ChannelLimit(8000),
}
