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
        assert fit >= 60, (pid, fit, rw.text)
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
