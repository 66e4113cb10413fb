"""Reuse verdicts in English and French (copy, light_edit, adapted, unrelated), scoping through the store, and the
labelled sets: our own cases here, and benchmarks/data/reuse_cases.jsonl when it is there."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bot.history.evaluate import evaluate_reuse
from bot.history.reuse import ReuseFinder, reuse_pairs
from bot.history.store import PostIn, PostStore, Scope

HERE = Path(__file__).resolve().parent
OWN_CASES = [json.loads(line) for line in (HERE / "data" / "own_reuse_cases.jsonl").read_text().splitlines()]
BENCHMARK = HERE.parent.parent / "benchmarks" / "data" / "reuse_cases.jsonl"
# Known misses, kept visible: French adaptations where the English-trained model scores the pair below 0.8 and the
# shared facts sit in one sentence; reuse detection prefers missing an adaptation to flagging an unrelated post.
KNOWN_MISSES = {("own-fr-adapted-1", "a")}

MENU = ("Our spring menu is here! Wild garlic risotto, rhubarb tart and a new elderflower spritz. Open Tuesday to "
        "Sunday, 12pm to 10pm. Book at greenhouse.example")  # fmt: skip


def test_own_cases_in_both_languages_and_never_an_unrelated_post(service):
    result = evaluate_reuse(service, OWN_CASES)
    unexpected = [e for e in result["errors"] if (e["case"], e["post"]) not in KNOWN_MISSES]
    assert unexpected == []
    assert result["unrelated_flagged"] == 0
    assert result["accuracy"] >= 0.95 and set(result["by_language"]) == {"en", "fr"}
    for kind in ("copy", "light_edit", "adapted", "none"):  # every verdict is exercised in both languages
        assert result["confusion"][kind][kind] >= 4


@pytest.mark.skipif(not BENCHMARK.is_file(), reason="benchmarks/data/reuse_cases.jsonl not present")
def test_benchmark_cases_meet_the_target(service):
    cases = [json.loads(line) for line in BENCHMARK.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = evaluate_reuse(service, cases)
    assert result["unrelated_flagged"] == 0, result["errors"]
    assert result["accuracy"] >= 0.95, result["errors"]


def test_same_platform_repost_is_flagged_and_marked(service):
    history = [{"id": "old", "platform": "instagram", "text": MENU}]
    report = service.check(MENU.upper() + " 🌸 #food", None, "auto", ["instagram"])
    (match,) = ReuseFinder.from_posts(service, history).find(report)
    assert (match.kind, match.same_platform, match.post_id) == ("copy", True, "old")
    assert match.to_dict() == {"post_id": "old", "platform": "instagram", "similarity": pytest.approx(
        match.similarity, abs=1e-3), "kind": "copy"}  # fmt: skip
    assert 0.9 <= match.similarity <= 1.0


def test_a_draft_is_not_matched_with_its_own_stored_version(service):
    report = service.check(MENU, "m1", "auto", ["instagram"])
    assert ReuseFinder.from_posts(service, [{"id": "m1", "platform": "facebook", "text": MENU}]).find(report) == []


def test_no_database_no_finder_and_the_check_still_works(service, tmp_path):
    settings = dataclasses.replace(service.settings, database_url=f"sqlite:///{tmp_path / 'none.db'}")
    svc = type(service)(settings, analyzer=service.analyzer)
    assert ReuseFinder.from_store(svc) is None
    assert not (tmp_path / "none.db").exists()
    assert ReuseFinder.from_store(svc, create=True) is not None


def test_store_finder_respects_workspaces_and_private_channels(service, tmp_path):
    url = f"sqlite:///{tmp_path / 'scoped.db'}"
    vec = service.analyzer.embedder.encode([MENU])[0]
    with PostStore(url) as store:
        store.add_posts([
            PostIn("t1-public", "facebook", MENU, workspace="T1", channel="C1", embedding=vec),
            PostIn("t1-private", "facebook", MENU, workspace="T1", channel="P1", channel_private=True, embedding=vec),
            PostIn("t2", "facebook", MENU, workspace="T2", channel="C1", embedding=vec),
        ])  # fmt: skip
    svc = type(service)(dataclasses.replace(service.settings, database_url=url), analyzer=service.analyzer)
    report = service.check(MENU + " #springmenu", None, "auto", ["instagram"])

    def matched(scope):
        finder = ReuseFinder.from_store(svc, scope)
        try:
            return sorted(m.post_id for m in finder.find(report))
        finally:
            finder.close()

    assert matched(Scope("T1", "C1")) == ["t1-public"]
    assert matched(Scope("T1", "P1", True)) == ["t1-private", "t1-public"]
    assert matched(Scope("T2", "P1")) == ["t2"]
    assert matched(Scope("T3")) == []


def test_pairs_follow_time_order_and_skip_unrelated_posts(service):
    items = [
        {"id": "later", "platform": "instagram", "text": MENU + " 🌸 #food", "created_at": "2025-03-02"},
        {"id": "first", "platform": "facebook", "text": MENU, "created_at": "2025-03-01"},
        {"id": "other", "platform": "facebook", "text": "We're hiring a sous-chef from April. Send your CV today."},
    ]
    pairs = reuse_pairs(service, items)
    assert [(p.a, p.b, p.kind) for p in pairs] == [("first", "later", "copy")]


def test_minhash_lsh_finds_copies_the_neighbours_crowd_out(service, monkeypatch):
    """When the embedding neighbours are crowded out (here k=1: the post itself), LSH still proposes the copy."""
    from bot.history import reuse as reuse_mod

    items = [{"id": "fb", "platform": "facebook", "text": MENU},
             {"id": "ig", "platform": "instagram", "text": MENU.replace("Book at", "Book now at") + " #food"},
             {"id": "job", "platform": "linkedin", "text": "We're hiring a sous-chef from April."}]  # fmt: skip
    monkeypatch.setattr(reuse_mod, "NEIGHBOURS", 1)
    assert reuse_pairs(service, items) == []
    monkeypatch.setattr(reuse_mod, "LSH_ABOVE", 2)
    assert [(p.a, p.b, p.kind) for p in reuse_pairs(service, items)] == [("fb", "ig", "copy")]
