"""`crowdculture history import|list|purge`, `reuse`, and `check --history/--record` through bot.cli.main: exit
codes, JSON shapes, duplicate ids, bad lines named by number, and a database that cannot be reached."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.history import store as store_mod

MENU = ("Our spring menu is here! Wild garlic risotto, rhubarb tart and a new elderflower spritz. Open Tuesday to "
        "Sunday, 12pm to 10pm. Book at greenhouse.example")  # fmt: skip
HIRING = "We're hiring a sous-chef from April. Experience with seasonal menus is a plus. Send your CV today."
FR = ("Le marché de Noël revient place du Martroi du 1er au 24 décembre ! 60 artisans, du vin chaud et une patinoire "
      "pour les enfants.")  # fmt: skip


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(tmp_path, rows, name="posts.jsonl"):
    path = tmp_path / name
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")  # fmt: skip
    return str(path)


def test_import_list_and_duplicates(cli_db, capsys, tmp_path):
    path = jsonl(tmp_path, [
        {"id": "p1", "platform": "facebook", "text": MENU, "created_at": "2025-03-01T10:00:00Z"},
        {"id": "p2", "platform": "LinkedIn", "text": HIRING, "channel": "C1", "status": "draft"},
        {"id": "p1", "platform": "x", "text": "a second p1"},
        {"id": 3, "platform": "instagram", "text": FR},
    ])  # fmt: skip
    code, out, err = run(capsys, "history", "import", path)
    assert code == 0, err
    assert "stored 3 posts" in out
    assert "posts.jsonl:3: duplicate id 'p1' (first on line 1); keeping the first" in err
    code, out, _ = run(capsys, "history", "list", "--format", "json")
    listed = json.loads(out)
    assert code == 0 and listed["schema"] == 1
    by_id = {p["id"]: p for p in listed["posts"]}
    assert set(by_id) == {"p1", "p2", "3"}
    assert by_id["p1"]["text"] == MENU and by_id["p1"]["created_at"].startswith("2025-03-01T10:00:00")
    assert by_id["p2"]["platform"] == "linkedin" and by_id["p2"]["status"] == "draft"
    assert {"id", "workspace", "channel", "platform", "status", "created_at", "text"} <= set(by_id["3"])
    code, out, _ = run(capsys, "history", "import", path)
    assert code == 0 and "stored 0 posts (3 already stored)" in out
    code, out, _ = run(capsys, "history", "list", "--limit", "1")
    assert code == 0 and len(out.strip().splitlines()) == 1


@pytest.mark.parametrize("bad, message", [
    ({"id": "p2", "text": "no platform"}, "posts.jsonl:2: missing or empty 'platform'"),
    ({"id": "p2", "platform": "facebook", "text": "  "}, "posts.jsonl:2: missing or empty 'text'"),
    ({"id": "p2", "platform": "myspace", "text": "hello"}, "posts.jsonl:2: unknown platform 'myspace'"),
    ({"platform": "x", "text": "hello"}, "posts.jsonl:2: missing or empty 'id'"),
    ({"id": "p2", "platform": "x", "text": "hi", "created_at": "yesterday"}, "posts.jsonl:2: created_at"),
    ({"id": "p2", "platform": "x", "text": "hi", "status": "live"}, "posts.jsonl:2: status must be"),
    ("{not json", "posts.jsonl:2: not valid JSON"),
])  # fmt: skip
def test_a_bad_line_is_named_and_nothing_is_stored(cli_db, capsys, tmp_path, bad, message):
    path = jsonl(tmp_path, [{"id": "p1", "platform": "facebook", "text": MENU}, bad])
    code, out, err = run(capsys, "history", "import", path)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "history", "list", "--format", "json")
    assert json.loads(out)["posts"] == []


def test_import_of_a_missing_file_is_a_usage_error(cli_db, capsys, tmp_path):
    code, _, err = run(capsys, "history", "import", str(tmp_path / "nope.jsonl"))
    assert code == 2 and "no such file" in err


def test_purge_older_than(cli_db, capsys, tmp_path):
    path = jsonl(tmp_path, [
        {"id": "old", "platform": "facebook", "text": MENU, "created_at": "2020-01-01"},
        {"id": "new", "platform": "facebook", "text": HIRING},
    ])  # fmt: skip
    assert run(capsys, "history", "import", path)[0] == 0
    code, out, _ = run(capsys, "history", "purge", "--older-than", "90d")
    assert code == 0 and "deleted 1 posts older than 90d" in out
    code, out, _ = run(capsys, "history", "list", "--format", "json")
    assert [p["id"] for p in json.loads(out)["posts"]] == ["new"]
    code, _, err = run(capsys, "history", "purge", "--older-than", "soon")
    assert code == 2 and "not a duration" in err


def test_reuse_pairs_json_and_text(cli_db, capsys, tmp_path):
    path = jsonl(tmp_path, [
        {"id": "fb", "platform": "facebook", "text": MENU},
        {"id": "ig", "platform": "instagram", "text": MENU.replace("!", " 🌸") + "\n\n#springmenu #foodie"},
        {"id": "job", "platform": "linkedin", "text": HIRING},
        {"id": "fr", "platform": "facebook", "text": FR},
    ])  # fmt: skip
    code, out, err = run(capsys, "reuse", path, "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result == {"schema": 1, "pairs": [{"a": "fb", "b": "ig", "similarity": result["pairs"][0]["similarity"],
                                              "kind": "copy"}]}  # fmt: skip
    assert 0.9 <= result["pairs"][0]["similarity"] <= 1
    code, out, _ = run(capsys, "reuse", path)
    assert code == 0 and "copy" in out and "fb → ig" in out and "facebook → instagram" in out


def test_check_against_a_history_file_and_the_store(cli_db, capsys, tmp_path):
    history = jsonl(tmp_path, [{"id": "fb-1", "platform": "facebook", "text": MENU}], "history.jsonl")
    code, out, err = run(capsys, "check", "--format", "json", "--platform", "instagram", "--history", history,
                         MENU + " #food")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["reuse"] == [{"post_id": "fb-1", "platform": "facebook",
                                         "similarity": json.loads(out)["reuse"][0]["similarity"], "kind": "copy"}]
    # No database yet: the check works and creates nothing; --record stores the draft; the next check sees it.
    code, out, _ = run(capsys, "check", "--format", "json", "--platform", "linkedin", HIRING)
    assert code == 0 and json.loads(out)["reuse"] == []
    code, _, err = run(capsys, "check", "--record", "--format", "json", "--platform", "linkedin", HIRING)
    assert code == 0, err
    code, out, _ = run(capsys, "history", "list", "--format", "json")
    (stored,) = json.loads(out)["posts"]
    assert (stored["platform"], stored["status"], stored["workspace"]) == ("linkedin", "draft", "cli")
    code, out, _ = run(capsys, "check", "--format", "json", "--platform", "x", HIRING.upper())
    assert [r["kind"] for r in json.loads(out)["reuse"]] == ["copy"]


def test_unreachable_database(cli_db, capsys, monkeypatch):
    monkeypatch.setattr(store_mod, "RETRIES", 1)
    url = "postgresql://crowd:s3cret@127.0.0.1:1/history"
    code, out, err = run(capsys, "--db", url, "history", "list")
    assert code == 1 and out == ""
    assert err.startswith("crowdculture: error: database postgresql+psycopg://crowd:***@127.0.0.1:1/history")
    assert "s3cret" not in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, out, err = run(capsys, "--db", url, "check", "--format", "json", MENU)
    assert code == 0 and json.loads(out)["schema"] == 1
    assert "warning: copy-paste not checked" in err
