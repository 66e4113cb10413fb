"""The CLI contract of DESIGN.md: JSON shape and ordering, exit codes, bad input rejected in one line."""

import io
import json

import pytest

from bot.cli import main

DRAFT = ("Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined our community. "
         "Save yours now!")  # fmt: skip


@pytest.fixture(autouse=True)
def _shared_engine(service, monkeypatch, settings):
    """CLI verbs reuse the session's engine instead of loading models again."""
    monkeypatch.setattr("bot.cli._service", lambda args: service)


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_json_matches_the_contract(capsys, kb):
    code, out, err = run(capsys, "check", "--format", "json", "--platform", "linkedin", DRAFT)
    assert code == 0, err
    report = json.loads(out)
    assert report["schema"] == 1 and report["id"] is None and report["language"] == "en"
    assert {"best_platform", "platforms", "principles", "antipatterns", "reuse", "rewrites"} <= set(report)
    ids = [p["id"] for p in report["platforms"]]
    assert sorted(ids) == sorted(kb.platforms)
    fits = [p["fit"] for p in report["platforms"]]
    assert fits == sorted(fits, reverse=True) and all(0 <= f <= 100 for f in fits)
    assert report["best_platform"] == ids[0]
    scores = [p["score"] for p in report["principles"]]
    assert scores == sorted(scores, reverse=True)
    assert {p["id"] for p in report["principles"]} <= {"reciprocity", "commitment", "social_proof", "authority",
                                                       "liking", "scarcity", "unity"}  # fmt: skip
    for p in report["principles"]:
        assert 0 <= p["score"] <= 1
        for e in p["evidence"]:
            assert DRAFT[e["start"] : e["end"]] == e["text"]
    for p in report["platforms"]:
        for f in p["findings"]:
            assert f["severity"] in ("error", "warning", "suggestion")
            assert {"rule", "message", "start", "end"} <= set(f)
    for f in report["antipatterns"]:
        assert f["severity"] in ("error", "warning", "suggestion")


def test_scarcity_and_social_proof_found_with_evidence(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", DRAFT)
    found = {p["id"]: p for p in json.loads(out)["principles"]}
    assert "scarcity" in found and "social_proof" in found
    assert any("50 seats left" in e["text"] for e in found["scarcity"]["evidence"])


def test_text_output_reads_like_advice(capsys):
    code, out, _ = run(capsys, "check", "--platform", "x", DRAFT)
    assert code == 0
    assert "Best fit" in out and "Influence principles" in out and "\x1b[" not in out


def test_french_draft(capsys):
    code, out, _ = run(capsys, "check", "--format", "json",
                       "Plus que 3 places pour notre atelier gratuit de jeudi ! Réservez vite la vôtre.")
    assert code == 0
    report = json.loads(out)
    assert report["language"] == "fr"
    assert "scarcity" in {p["id"] for p in report["principles"]}


def test_jsonl_batch_keeps_order_and_ids(capsys, monkeypatch):
    lines = "\n".join(json.dumps({"id": f"d{i}", "text": t}) for i, t in enumerate(
        ["Hello LinkedIn network, three lessons from our launch.", "Nouvelle collection en boutique 🌸", DRAFT]))
    code, out, err = run(capsys, "check", "--format", "jsonl", stdin=lines + "\n", monkeypatch=monkeypatch)
    assert code == 0, err
    reports = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in reports] == ["d0", "d1", "d2"]
    assert reports[1]["language"] == "fr"


@pytest.mark.parametrize(
    "argv, stdin, message",
    [
        (["check", "   "], None, "empty"),
        (["check", "x" * 20001], None, "limit is 20,000"),
        (["check", "--platform", "myspace", "Hello"], None, "unknown platform 'myspace'"),
        (["check", "-f", "/nonexistent/draft.txt"], None, "no such file"),
        (["check", "--format", "jsonl"], '{"id": 1, "text": "ok"}\nnot json\n', ":2: not valid JSON"),
        (["check", "--format", "jsonl"], '{"id": "a"}\n', ":1: missing or empty 'text'"),
        (["check", "--rewrite", "friendster", "Hello"], None, "unknown platform 'friendster'"),
        (["kb", "show", "myspace"], None, "no platform, principle or anti-pattern"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, monkeypatch, argv, stdin, message):
    code, out, err = run(capsys, *argv, stdin=stdin, monkeypatch=monkeypatch)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_unknown_verb_and_missing_argument_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["creator", "--platform", "x"])
    assert exc.value.code == 2


def test_kb_validate_and_show(capsys):
    code, out, _ = run(capsys, "kb", "validate")
    assert code == 0 and out.startswith("ok:")
    code, out, _ = run(capsys, "kb", "show", "linkedin")
    assert code == 0 and "LinkedIn" in out


def test_kb_validate_reports_file_and_line(capsys, kb_copy):
    path = kb_copy / "platforms" / "linkedin.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nname:", "\nname: [oops\nx:", 1), encoding="utf-8")
    code, _, err = run(capsys, "kb", "validate", str(kb_copy))
    assert code == 2
    assert "linkedin.yaml:" in err and "YAML syntax error" in err


def test_a_check_with_no_post_store_does_not_load_the_history_layer(tmp_path):
    """A fresh machine has no post history: the one-off check skips SQLAlchemy and the store (cold start)."""
    import subprocess
    import sys

    code = f"""
import sys
from types import SimpleNamespace
from bot.cli import _reuse_finder
svc = SimpleNamespace(settings=SimpleNamespace(db_url={f"sqlite:///{tmp_path / 'none.db'}"!r}))
assert _reuse_finder(svc, SimpleNamespace(history=None)) is None
print(sorted(m for m in sys.modules if m.startswith(("sqlalchemy", "bot.history.store", "bot.history.reuse"))))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
