"""`crowdculture digest` through bot.cli.main: the dry-run JSON contract, text, errors, and sending to Slack once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from digest_helpers import post, report
from sqlalchemy import text

from bot.cli import main

CONFIG = str(Path(__file__).resolve().parents[2] / "config.yaml")
SAILS = "Meet our 12 new bags made from recycled sails, each one numbered. Pre-orders open Monday."


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["--config", CONFIG, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def recent(store):
    """Posts of the last days (the CLI's period ends now), one of them a cross-platform copy."""
    now = datetime.now(timezone.utc)
    store.add_posts([
        post("fb", "facebook", SAILS, now - timedelta(days=3), fit=60, rep=report("facebook", 60, reuse=[])),
        post("ig", "instagram", SAILS + " #bags ✨", now - timedelta(days=2), fit=45, status="draft",
             rep=report("instagram", 45, principles=["scarcity"], reuse=[("fb", "facebook", 0.98, "copy")])),
        post("li", "linkedin", "What we learned from our first 100 customers.", now - timedelta(hours=5), fit=75,
             rep=report("linkedin", 75, reuse=[])),
        post("old", "x", "An older post.", now - timedelta(days=20), fit=50),
        post("hidden", "x", "A private channel's post.", now - timedelta(days=1), channel="CPRIV", private=True),
    ])  # fmt: skip
    return store


def test_dry_run_json_follows_the_contract(recent, db_url, capsys):
    code, out, err = run(capsys, "--db", db_url, "digest", "--dry-run", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert {"schema", "since", "until", "channel", "stats", "blocks"} <= set(doc)
    assert doc["schema"] == 1 and doc["channel"] is None
    since, until = datetime.fromisoformat(doc["since"]), datetime.fromisoformat(doc["until"])
    assert until - since == timedelta(days=7)
    stats = doc["stats"]
    assert stats["posts"] == 3  # the 20-day-old post is out, the private channel's is never in a workspace digest
    assert stats["by_platform"] == {"facebook": 1, "instagram": 1, "linkedin": 1}
    assert stats["copy_paste"] == 1
    assert doc["blocks"][0]["type"] == "header" and all("type" in b for b in doc["blocks"])


def test_since_and_channel_narrow_the_digest(recent, db_url, capsys):
    _, out, _ = run(capsys, "--db", db_url, "digest", "--since", "1d", "--channel", "CTEAM", "--dry-run",
                    "--format", "json")  # fmt: skip
    doc = json.loads(out)
    assert doc["channel"] == "CTEAM" and doc["stats"]["posts"] == 1 and doc["stats"]["by_platform"] == {"linkedin": 1}


def test_text_format_is_a_readable_summary(recent, db_url, capsys):
    code, out, _ = run(capsys, "--db", db_url, "digest", "--dry-run")
    assert code == 0
    assert out.startswith("Weekly digest · ") and "3 posts: 1 draft checked, 2 published" in out
    assert "Facebook → Instagram (copy)" in out and "*" not in out


def test_dry_run_without_a_database_prints_an_empty_digest_and_creates_nothing(tmp_path, capsys):
    path = tmp_path / "none.db"
    code, out, _ = run(capsys, "--db", f"sqlite:///{path}", "digest", "--dry-run", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["stats"]["posts"] == 0 and not path.exists()
    assert "Quiet week" in json.dumps(doc["blocks"])


def test_a_bad_duration_is_a_usage_error(db_url, capsys):
    code, _, err = run(capsys, "--db", db_url, "digest", "--since", "soon", "--dry-run")
    assert code == 2 and err.count("\n") == 1 and "not a duration" in err


def test_sending_without_a_token_names_the_variable(db_url, monkeypatch, capsys):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    code, out, err = run(capsys, "--db", db_url, "digest", "--channel", "CTEAM")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "SLACK_BOT_TOKEN" in err


# Sending ------------------------------------------------------------------------------------------------------------

def claimed_weeks(store) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT workspace, channel, week_start FROM digest_runs"))]


def test_send_posts_the_digest_and_its_chart_once_per_week(recent, db_url, slack, capsys):
    code, out, err = run(capsys, "--db", db_url, "digest", "--channel", "CTEAM")
    assert code == 0, err
    assert out.startswith("digest for the week of ") and "sent to CTEAM" in out
    (message,) = slack.wait_for("chat.postMessage")
    assert message.payload["channel"] == "CTEAM" and message.headers["Authorization"] == "Bearer xoxb-digest-test-token"
    assert message.payload["blocks"][0]["type"] == "header" and "copy-paste" in message.payload["text"]
    (upload,) = slack.wait_for("upload")
    assert upload.payload["png"]
    (url_call,) = slack.of("files.getUploadURLExternal")
    assert url_call.payload["alt_txt"].startswith("Average platform fit (0–100), this week vs the previous one:")
    (done,) = slack.of("files.completeUploadExternal")
    assert done.payload["channel_id"] == "CTEAM" and done.payload["thread_ts"]
    assert [(ws, ch) for ws, ch, _ in claimed_weeks(recent)] == [("T1", "CTEAM")]

    code, out, _ = run(capsys, "--db", db_url, "digest", "--channel", "CTEAM")
    assert code == 0 and "already sent" in out
    assert len(slack.of("chat.postMessage")) == 1


def test_a_failed_post_frees_the_week_for_a_retry(recent, db_url, slack, capsys):
    slack.fail("chat.postMessage", error="not_in_channel")
    code, _, err = run(capsys, "--db", db_url, "digest", "--channel", "CTEAM")
    assert code == 1 and "not_in_channel (invite the bot to the channel)" in err
    assert claimed_weeks(recent) == []
    slack.clear("chat.postMessage")
    code, out, _ = run(capsys, "--db", db_url, "digest", "--channel", "CTEAM", "--format", "json")
    assert code == 0 and json.loads(out)["status"] == "sent"
    assert len(slack.of("chat.postMessage")) == 2 and len(claimed_weeks(recent)) == 1


def test_an_empty_week_is_posted_as_a_short_message_without_chart(store, db_url, slack, capsys):
    code, _, _ = run(capsys, "--db", db_url, "digest", "--channel", "CQUIET")
    assert code == 0
    (message,) = slack.wait_for("chat.postMessage")
    assert len(message.payload["blocks"]) == 3 and "Quiet week" in json.dumps(message.payload["blocks"])
    assert slack.of("files.getUploadURLExternal") == []
