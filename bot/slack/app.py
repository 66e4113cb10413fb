"""build_app: the Bolt app with every listener, for one workspace (SLACK_BOT_TOKEN) or many (OAuth install).

Every Web API client the app creates — the app's own, the per-request ones Bolt derives from it, the OAuth flow's
and the token rotator's — talks to `settings.slack_api_url` (SLACK_API_URL), so tests and staging can point the
whole app at a stand-in. Secrets come from the environment only and are never logged.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.oauth.oauth_settings import OAuthSettings

from bot.config import Settings
from bot.errors import UsageError
from bot.slack.client import web_client
from bot.slack.deps import DEPS_KEY, Deps
from bot.slack.listeners import register_listeners
from bot.slack.store import open_store

log = logging.getLogger(__name__)

# What the app asks Slack for; manifest.json declares the same list (a test keeps them equal).
BOT_SCOPES = ["app_mentions:read", "channels:history", "channels:read", "chat:write", "chat:write.public", "commands",
              "groups:history", "groups:read", "im:write", "users:read"]  # fmt: skip
NOT_INSTALLED = (":wave: Crowdculture is not installed in this workspace (or its installation was removed). "
                 "Ask a workspace admin to install it again.")  # fmt: skip
LISTENER_THREADS = 64  # lazy listeners mostly wait (for a shared analysis batch, the database, Slack): cheap


def build_app(settings: Settings, service=None, store=None, *, token_verification_enabled: bool = True,
              process_before_response: bool = True, listener_executor: Executor | None = None) -> App:  # fmt: skip
    """The app for `settings`. HTTP needs process_before_response=True (the ack is the HTTP response, and lazy
    listeners do the slow work); Socket Mode acks over the socket and may pass False. `listener_executor` runs
    the lazy listeners (tests pass one they can wait on)."""
    quiet_sdk_loggers()
    if service is None:
        from bot.service import Crowdculture

        service = Crowdculture(settings)
    if store is None:
        store = open_store(settings)
    oauth = oauth_settings(settings, store) if is_multi_workspace() else None
    client = web_client(settings.slack_api_url, None if oauth else os.environ.get("SLACK_BOT_TOKEN"))
    app = App(
        name="crowdculture",
        signing_secret=os.environ.get("SLACK_SIGNING_SECRET", ""),
        client=client,
        token_verification_enabled=token_verification_enabled,
        # Given to the App (not only to OAuthSettings) so that authorization and token rotation use `client`.
        installation_store=oauth.installation_store if oauth else None,
        oauth_settings=oauth,
        process_before_response=process_before_response,
        user_facing_authorize_error_message=NOT_INSTALLED,
        listener_executor=listener_executor or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="slack"),
    )
    if oauth:  # app_uninstalled / tokens_revoked: the workspace's stored tokens are deleted at once
        app.enable_token_revocation_listeners()
    deps = Deps(settings=settings, service=service, store=store)
    app.use(_ignore_retries_and_duplicates(deps))
    register_listeners(app)
    return app


def is_multi_workspace() -> bool:
    return bool(os.environ.get("SLACK_CLIENT_ID") and os.environ.get("SLACK_CLIENT_SECRET"))


def oauth_settings(settings: Settings, store=None) -> OAuthSettings:
    """Installations and OAuth states in the post store's database (SQLAlchemy), tables created if missing."""
    import sqlalchemy

    try:
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
        from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
    except ImportError as exc:  # slack_sdk imports sqlalchemy.ext.asyncio, which SQLAlchemy 2.1 gates on greenlet
        raise UsageError(f"multi-workspace install needs SQLAlchemy's asyncio extra ({exc.name or exc}): "
                         "pip install 'sqlalchemy[asyncio]'") from None  # fmt: skip

    engine = getattr(store, "engine", None)
    if engine is None:
        url = settings.db_url
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = sqlalchemy.create_engine(url, hide_parameters=True)  # installation tokens stay out of logs
    client_id = os.environ["SLACK_CLIENT_ID"]
    installations = SQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
    installations.create_tables()
    states.create_tables()
    scopes = os.environ.get("SLACK_SCOPES")
    return OAuthSettings(
        client_id=client_id,
        client_secret=os.environ["SLACK_CLIENT_SECRET"],
        scopes=scopes.split(",") if scopes else BOT_SCOPES,
        installation_store=installations,
        state_store=states,
    )


def _ignore_retries_and_duplicates(deps: Deps):
    """Global middleware: give listeners their Deps; answer Slack's retries and repeated events with a bare 200.

    A retry means Slack did not see our ack in time, not that the work was lost: the first delivery is still
    being answered, so a second answer would be a duplicate.
    """

    def middleware(req: BoltRequest, context: BoltContext, body: dict, next):
        context[DEPS_KEY] = deps
        retry = (req.headers.get("x-slack-retry-num") or ["0"])[0]
        if retry not in ("", "0"):  # Socket Mode sends 0 with first deliveries
            log.info("ignoring Slack retry %s (%s)", retry, (req.headers.get("x-slack-retry-reason") or ["?"])[0])
            return BoltResponse(status=200, body="")
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not deps.seen.first(f"event:{event_id}"):
            log.info("ignoring repeated event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    return middleware


def quiet_sdk_loggers() -> None:
    """slack_sdk logs request bodies and responses (OAuth tokens included) at DEBUG: keep it at INFO or above.
    SQLAlchemy logs statements at INFO and result rows at DEBUG, and the installation store's rows hold the
    workspaces' bot tokens: keep it at WARNING (its parameters are hidden anyway, see make_engine)."""
    for name, floor in (("slack_sdk", logging.INFO), ("slack_bolt", logging.INFO), ("sqlalchemy", logging.WARNING)):
        logger = logging.getLogger(name)
        if logger.level < floor:  # NOTSET too: a DEBUG root logger (`crowdculture -v`) must not turn it on
            logger.setLevel(floor)
    bolt = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _TokenOnClient) for f in bolt.filters):
        bolt.addFilter(_TokenOnClient())


class _TokenOnClient(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN "will be unused" when a client is given; the token is on that client."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()
