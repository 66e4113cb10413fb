"""Slack Web API clients that retry what Slack asks to be retried: 429 (after its Retry-After), 500/503 (with
exponential backoff and jitter), and dropped connections. After the last retry the call raises as usual
(SlackApiError), and the caller logs it.

Bolt copies `retry_handlers` to the client it makes for each request, so the app's listeners get them too.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

RETRIES = 2  # after the first attempt: a listener's answer still arrives within seconds, or is given up


def retry_handlers(retries: int = RETRIES) -> list[RetryHandler]:
    return [ConnectionErrorRetryHandler(max_retry_count=retries), RateLimitErrorRetryHandler(max_retry_count=retries),
            ServerErrorRetryHandler(max_retry_count=retries)]  # fmt: skip


def web_client(base_url: str, token: str | None = None, timeout: int = 30) -> WebClient:
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=retry_handlers())
