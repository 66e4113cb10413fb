import pytest

from bot.text import Draft, detect_language, normalise_for_copy


@pytest.mark.parametrize(
    "text, lang",
    [
        ("We are hiring two engineers for our Lyon office. Apply by Friday!", "en"),
        ("Nous recrutons deux ingénieurs pour notre bureau de Lyon. Postulez avant vendredi !", "fr"),
        ("Nouvelle collection dispo en boutique 🌸 #mode", "fr"),
        ("New drop is live 🌸 #fashion", "en"),
        ("C'est la rentrée : quels sont vos objectifs ?", "fr"),
        ("🚀🚀🚀", "en"),
    ],
)
def test_language_detection(text, lang):
    assert detect_language(text) == lang


def test_surface_features_have_offsets_into_the_text():
    text = "Hello @ana and @bo! Read https://example.com/x now #Launch #b2b 🚀 #1 in class"
    d = Draft(text)
    assert [text[h.start : h.end] for h in d.hashtags] == ["#Launch", "#b2b"]
    assert [m.text for m in d.mentions] == ["@ana", "@bo"]
    assert d.links[0].text == "https://example.com/x"
    assert len(d.emoji) == 1


def test_paragraphs_and_first_line():
    d = Draft("\n\nHook line here\nmore\n\nSecond paragraph")
    assert d.first_line.text == "Hook line here"
    assert [p.text for p in d.paragraphs] == ["Hook line here\nmore", "Second paragraph"]
    for p in d.paragraphs:
        assert d.text[p.start : p.end] == p.text


def test_copy_normalisation_ignores_trivial_edits():
    a = "Our new bakery opens Saturday! 🥐 #bakery https://x.co/1"
    b = "our NEW bakery opens saturday 🎉 #Paris #food"
    assert normalise_for_copy(a) == normalise_for_copy(b)
