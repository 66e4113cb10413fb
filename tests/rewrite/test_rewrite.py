"""Rewrites keep facts, fit their platform, differ between platforms, and fall back from a failing LLM."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.rewrite.facts import extract_facts, lost_facts

DRAFTS = {
    "en": ("We are thrilled to announce that our repair café opens on Saturday 14 June at 10:00 in Lyon! "
           "Bring a broken lamp, a bike or a toaster: 12 volunteer fixers will help you for free. "
           "Last year we saved 430 kg of electronics from the bin. Details: https://example.org/repair "
           "#repair #zerowaste"),
    "fr": ("Nous sommes ravis d'annoncer l'ouverture de notre repair café le samedi 14 juin à 10h à Lyon ! "
           "Apportez une lampe cassée, un vélo ou un grille-pain : 12 bénévoles vous aideront gratuitement. "
           "L'an dernier, nous avons sauvé 430 kg d'appareils de la poubelle. Infos : https://example.org/repair"),
}  # fmt: skip
TARGETS = ("linkedin", "instagram", "x", "tiktok", "facebook")


def test_fact_extraction():
    facts = extract_facts(DRAFTS["en"])
    assert "https://example.org/repair" in facts["urls"]
    assert {"430", "12", "14"} <= facts["numbers"]
    assert lost_facts(DRAFTS["en"], "Nothing here") ["urls"] == {"https://example.org/repair"}



@pytest.mark.parametrize("text, numbers", [
    ("Sign-ups close on Friday at 6pm, and the talk starts at 9 a.m.", {"6pm", "9am"}),
    ("The channel passed 25k subscribers and 1.2M views this spring.", {"25k", "12m"}),
    ("Portes ouvertes à 18h30, 42 000 € collectés.", {"18h30", "42000€"}),  # a comma and a space end a number
    ("Only 12 kg left.", {"12"}),
])  # fmt: skip
def test_clock_times_and_counts_are_facts(text, numbers):
    assert extract_facts(text)["numbers"] == numbers


def test_a_dropped_clock_time_is_a_lost_fact_whatever_its_spelling():
    draft = "Our open studio ends on Sunday at 5pm. Bring a friend."
    assert lost_facts(draft, "Our open studio ends on Sunday. Bring a friend.") == {"numbers": {"5pm"}}
    assert lost_facts(draft, "Open studio until Sunday, 5 PM!") == {}
@pytest.fixture(scope="module")
def rewrites(service):
    out = {}
    for lang, text in DRAFTS.items():
        report = service.check(text, lang=lang, rewrite=TARGETS)
        out[lang] = report
    return out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rewrites_keep_facts_and_language(rewrites, lang):
    from bot.text import detect_language

    report = rewrites[lang]
    for pid, rw in report.rewrites.items():
        lost = lost_facts(report.text, rw.text, " ".join(rw.changes))
        assert not lost.get("numbers") and not lost.get("urls"), (pid, lost, rw.text)
        assert detect_language(rw.text) == lang, (pid, rw.text)
        assert rw.changes and all(isinstance(c, str) and c for c in rw.changes)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rewrites_fit_their_platform(rewrites, service, lang):
    report = rewrites[lang]
    for pid, rw in report.rewrites.items():
        fit, errors = service.analyzer.platform_fit(rw.text, lang, pid)
        assert not errors, (pid, rw.text)
        assert fit >= 75, (pid, fit, rw.text)
        from bot.analysis.engine import split_thread

        limit = service.kb.platforms[pid].max_chars
        assert all(len(post) <= limit for post in split_thread(rw.text))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_x_rewrite_respects_280_per_post(rewrites, lang):
    from bot.analysis.engine import split_thread

    for post in split_thread(rewrites[lang].rewrites["x"].text):
        assert len(post) <= 280


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rewrites_really_differ(rewrites, kb, lang):
    texts = [rw.text for rw in rewrites[lang].rewrites.values()]
    assert len(set(texts)) == len(texts)
    url = "https://example.org/repair"
    for pid, rw in rewrites[lang].rewrites.items():
        policy = kb.platforms[pid].rewrite.links
        if policy == "inline":
            assert url in rw.text, pid
        else:  # not clickable there (bio, first comment): the change says where it went
            assert url not in rw.text and any(url in c for c in rw.changes), pid


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rewrites_are_adaptations_not_light_edits(rewrites, service, lang):
    """The reuse detector, run on every pair of one draft's rewrites, sees adaptations, never copy-paste."""
    import itertools

    from bot.rewrite.evaluate import pair_verdict

    report = rewrites[lang]
    checked = {pid: service.check(rw.text, lang=lang, targets=[pid]) for pid, rw in report.rewrites.items()}
    flagged = {(a, b) for a, b in itertools.combinations(TARGETS, 2)
               if pair_verdict(service, report.rewrites[a].text, a, checked[b]) in ("copy", "light_edit")}
    # Known gap (issue 6): an X thread keeps every fact sentence, so on a short draft it shares its sentences with
    # the Instagram and Facebook versions and the detector may still call that a light edit.
    assert not {p for p in flagged if "x" not in p}, flagged
    assert len(flagged) <= 2, flagged


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_platforms_differ_in_structure(rewrites, kb, lang):
    rw = rewrites[lang].rewrites
    first_lines = {pid: r.text.split("\n", 1)[0] for pid, r in rw.items()}
    assert len(set(first_lines.values())) >= 4, first_lines  # different hooks and openers
    linkedin, facebook = rw["linkedin"].text, rw["facebook"].text
    assert linkedin.count("\n\n") > facebook.count("\n\n")  # one idea per paragraph vs small blocks
    assert "#" in linkedin and "#" not in facebook  # CamelCase tags on LinkedIn; Facebook people don't browse them
    assert len(rw["tiktok"].text) < len(rw["instagram"].text) < len(linkedin)
    assert not any(c.isupper() for c in rw["tiktok"].text[:1])  # typed like a voice-over
    assert "\n" in rw["instagram"].text and rw["instagram"].text.rstrip().split("\n")[-1].startswith("#")


def test_register_changes_wording_not_facts():
    from bot.rewrite.register import apply_register, cut_hype, lower_start

    assert apply_register("We are open and it is free.", "conversational", "en") == "We're open and it's free."
    assert apply_register("That's what it is.", "conversational", "en") == "That's what it is."  # no "it's."
    assert apply_register("We are open.", "written", "en") == "We are open."
    fr = apply_register("Nous avons réparé 43 vélos et nous nous sommes amusés. Rejoignez-nous samedi.",
                        "conversational", "fr")  # fmt: skip
    assert fr == "On a réparé 43 vélos et on s'est amusés. Rejoignez-nous samedi."
    assert apply_register("Nous n'avons pas fini.", "spoken", "fr") == "On n'a pas fini."
    assert cut_hype("We are thrilled to announce that our café opens on 3 May.", "en") == "Our café opens on 3 May."
    assert cut_hype("Nous sommes ravis d'annoncer que le café ouvre le 3 mai.", "fr") == "Le café ouvre le 3 mai."
    assert lower_start("Our café opens", {"our"}) == "our café opens"
    assert lower_start("Lyon opens", {"our"}) == "Lyon opens"


def test_tiktok_caption_keeps_the_hook_and_says_where_the_details_go(rewrites):
    rw = rewrites["en"].rewrites["tiktok"]
    assert len(rw.text) <= 300
    said = " ".join(rw.changes)
    assert "voice-over" in said
    for number in ("430", "12", "14"):
        assert number in rw.text or number in said


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_x_is_one_post_and_the_rest_goes_in_a_reply(rewrites, lang):
    from bot.analysis.engine import split_thread

    rw = rewrites[lang].rewrites["x"]
    assert len(split_thread(rw.text)) == 1 and len(rw.text) <= 280
    said = " ".join(rw.changes)
    assert ("reply" if lang == "en" else "réponse") in said
    for number in ("430", "12", "14"):
        assert number in rw.text or number in said


def test_dependent_sentence_keeps_its_antecedent(service):
    text = ("Big news for the team this morning. Ledgerly was named best finance platform of 2024 by a jury of "
            "14 CFOs. What makes me proudest isn't the trophy, though. It's that more than 3,200 finance teams now "
            "close their month with us, up from 900. Thank you to every customer who pushed us to build better.")
    report = service.check(text, lang="en", rewrite=TARGETS)
    for pid, rw in report.rewrites.items():
        body = rw.text + " " + " ".join(rw.changes)
        if "It's that" in rw.text:
            assert "proudest" in rw.text, (pid, rw.text)
        assert "3,200" in body and "900" in body


def test_invalid_rewrite_key_is_reported(kb_copy):
    from bot.errors import KnowledgeError
    from bot.knowledge.loader import load_knowledge

    path = kb_copy / "platforms" / "facebook.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  hook: question\n", "  hook: clickbait\n"), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"facebook\.yaml:\d+: .*'hook' is 'clickbait'"):
        load_knowledge([kb_copy])


class _FakeLLM(BaseHTTPRequestHandler):
    reply = ""

    def do_POST(self):  # noqa: N802 - http.server API
        length = int(self.headers["Content-Length"])
        json.loads(self.rfile.read(length))
        body = json.dumps({"choices": [{"message": {"content": type(self).reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_llm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def _llm_rewriter(service, url):
    import copy

    from bot.rewrite.llm import LLMRewriter

    settings = copy.deepcopy(service.settings)
    settings.rewrite.backend = "llm"
    settings.rewrite.llm.base_url = url
    settings.rewrite.llm.model = "stand-in"
    settings.rewrite.llm.timeout_s = 2
    return LLMRewriter(settings, service.analyzer)


def test_llm_output_that_drops_facts_falls_back(service, fake_llm):
    _FakeLLM.reply = "Come to our repair café! It will be great."
    rw = _llm_rewriter(service, f"http://127.0.0.1:{fake_llm.server_port}/v1")
    report = service.check(DRAFTS["en"])
    out = rw.rewrite(report, "linkedin")
    assert out.backend == "deterministic"


def test_llm_good_output_is_used(service, fake_llm):
    _FakeLLM.reply = ("Our repair café opens Saturday 14 June at 10:00 in Lyon.\n\n12 volunteer fixers will help you "
                      "repair a lamp, a bike or a toaster for free. Last year we saved 430 kg of electronics from the "
                      "bin.\n\nWhat would you bring to fix?\n\nhttps://example.org/repair\n\n#Repair #ZeroWaste")
    rw = _llm_rewriter(service, f"http://127.0.0.1:{fake_llm.server_port}/v1")
    out = rw.rewrite(service.check(DRAFTS["en"]), "linkedin")
    assert out.backend == "llm" and out.text == _FakeLLM.reply
    assert out.fit >= 75


def test_llm_unreachable_falls_back(service):
    rw = _llm_rewriter(service, "http://127.0.0.1:9/v1")
    out = rw.rewrite(service.check(DRAFTS["fr"]), "facebook")
    assert out.backend == "deterministic" and out.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_one_draft_for_several_platforms_checks_its_first_plans_in_one_batch(service, lang, monkeypatch):
    """`check --rewrite all` asks for five rewrites of one draft: their first plans share one embedding call, and
    each rewrite is the one a single-platform request gives."""
    analyzer = service.analyzer
    report = service.check(DRAFTS[lang], lang=lang)
    batches = []
    real = analyzer.platform_fits

    def spy(items, lang_):
        batches.append([pid for _, pid in items])
        return real(items, lang_)

    monkeypatch.setattr(analyzer, "platform_fits", spy)
    many = service.rewriter.rewrite_many(report, list(TARGETS))
    assert batches[0] == list(TARGETS) and all(len(b) == 1 for b in batches[1:]), batches
    monkeypatch.setattr(analyzer, "platform_fits", real)
    for pid in TARGETS:
        one = service.rewriter.rewrite(report, pid)
        assert one.platform == pid and abs(one.fit - many[pid].fit) <= 2, (pid, one.fit, many[pid].fit)


def test_a_number_never_runs_across_a_line_break():
    from bot.rewrite.facts import extract_facts

    numbers = extract_facts("Why everyone uses 50/30/20\n03:12 Month 1: the shock. Salary: 36 000 €.")["numbers"]
    assert {"50/30/20", "03:12", "36000€"} <= numbers, numbers
    assert not any("\n" in n or len(n) > 10 for n in numbers), numbers
