"""Optional per-method rate limits by Slack's published tiers (off by default; faults cover most tests)."""

from __future__ import annotations

import math
import threading
from collections import defaultdict, deque

# Slack's tiers, in calls per minute per method per workspace ("t5" is Slack's "special" tier: not limited here).
PER_MINUTE = {"t1": 1, "t2": 20, "t3": 50, "t4": 100}


class TierLimiter:
    """A sliding one-minute window per method; says how long to wait when a call is over its tier."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def retry_after(self, method: str, tier: str, now: float) -> int | None:
        """None when the call may go ahead (and is counted), else whole seconds to wait."""
        allowed = PER_MINUTE.get(tier)
        if allowed is None:
            return None
        with self._lock:
            window = self._seen[method]
            while window and window[0] <= now - 60:
                window.popleft()
            if len(window) >= allowed:
                return max(1, math.ceil(window[0] + 60 - now))
            window.append(now)
            return None

    def clear(self) -> None:
        """Forget all counted calls."""
        with self._lock:
            self._seen.clear()
