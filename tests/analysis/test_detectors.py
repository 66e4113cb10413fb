"""Each detector on both languages, with negative cases: principles (cues and classifier), platform culture and
limits, anti-patterns. Texts here are written for the tests: none is a knowledge-base exemplar or a dev draft."""

from __future__ import annotations

import pytest

POSITIVE = {
    ("scarcity", "en"): ["Only 6 tickets left for Friday's tasting, and booking closes tonight at 8pm.",
                         "Last chance: the winter bundle disappears from the shop at midnight."],
    ("scarcity", "fr"): ["Plus que 6 places pour la dégustation de vendredi, réservations closes ce soir à 20 h.",
                         "Dernière chance : le coffret d'hiver quitte la boutique à minuit."],
    ("social_proof", "en"): ["More than 12,000 runners have already joined the spring challenge.",
                             "Rated 4.8 out of 5 stars by 3,400 customers."],
    ("social_proof", "fr"): ["Plus de 12 000 coureurs ont déjà rejoint le défi du printemps.",
                             "Déjà 3 400 clients nous font confiance."],
    ("authority", "en"): [
        "As a registered dietitian with 15 years in hospital nutrition, this is what I tell patients.",
                          "Recommended by dermatologists and clinically tested on 200 volunteers."],
    ("authority", "fr"): ["Diététicienne depuis 15 ans à l'hôpital, voici ce que je conseille à mes patients.",
                          "Recommandé par les dermatologues, testé sous contrôle dermatologique."],
    ("reciprocity", "en"): ["Our gift to you: a free 20-page planning template, no email required.",
                            "Every order this week comes with a free tote bag, on the house."],
    ("reciprocity", "fr"): ["Notre cadeau pour vous : un modèle de planning gratuit, sans inscription.",
                            "Chaque commande cette semaine, un tote bag offert."],
    ("commitment", "en"): ["Day 12 of 30: keep your streak alive and log today's ten minutes.",
                           "You said you would finish the course this spring. You're almost there."],
    ("commitment", "fr"): ["Jour 12 sur 30 : gardez votre série et notez vos dix minutes du jour.",
                           "Vous y êtes presque : il ne reste qu'une étape pour finaliser votre dossier."],
    ("unity", "en"): ["Welcome to the family! We parents have to stick together.",
                      "Built with our community, for our community: you voted, we made it."],
    ("unity", "fr"): ["Bienvenue dans la famille ! Entre parents, on se serre les coudes.",
                      "Ce jeu, c'est le nôtre : vous avez voté, nous l'avons construit ensemble."],
    ("liking", "en"): ["Meet Inès, our head baker: she has been up since 4am and still laughs at every joke.",
                       "You guys are the best, your kind messages made our week."],
    ("liking", "fr"): ["Je vous présente Inès, notre boulangère : debout depuis 4 h et toujours le sourire.",
                       "Vous êtes les meilleurs, vos petits mots nous ont fait chaud au cœur."],
}

NEUTRAL = {
    "en": ["The library is closed on Monday for the bank holiday.",
           "Our quarterly results: revenue grew 4% and we opened an office in Porto.",
           "How do you store fresh basil so it doesn't wilt? Mine turns black in two days."],
    "fr": ["La médiathèque sera fermée lundi, jour férié.",
           "Nos résultats du trimestre : chiffre d'affaires en hausse de 4 %, et un bureau ouvert à Porto.",
           "Comment conserver le basilic frais ? Le mien noircit en deux jours."],
}


@pytest.mark.parametrize(("principle", "lang"), sorted(POSITIVE))
def test_principle_found_with_evidence_inside_the_text(service, principle, lang):
    for text in POSITIVE[(principle, lang)]:
        report = service.check(text, lang=lang)
        assert report.language == lang
        hits = {h.id: h for h in report.principles}
        assert principle in hits, (text, sorted(hits))
        for ev in hits[principle].evidence:
            assert 0 <= ev.start < ev.end <= len(text) and text[ev.start : ev.end] == ev.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_neutral_drafts_use_no_principle(service, lang):
    for text in NEUTRAL[lang]:
        found = [h.id for h in service.check(text, lang=lang).principles]
        assert found == [], (text, found)


def test_near_miss_lowers_the_score(service):
    """Opening hours mention a time limit; the near-miss of scarcity must not make it a scarcity claim."""
    pressure = service.check("Hurry: only 3 left, the sale ends tonight at midnight!", lang="en")
    hours = service.check("We're open until midnight on Fridays through December.", lang="en")
    score = {h.id: h.score for h in pressure.principles}
    assert score.get("scarcity", 0) >= 0.5
    assert "scarcity" not in {h.id for h in hours.principles}


def test_a_lone_cue_yields_to_a_stronger_principle():
    from bot.analysis.principles import yield_lone_cues

    ids = ["liking", "unity", "reciprocity"]
    yields = {"liking": ["unity"]}
    without = [0.3, 0.2, 0.2]
    # One liking cue, unity found more strongly: the cue no longer counts, liking falls back to its classifier.
    assert yield_lone_cues(ids, yields, [1, 2, 0], [0.8, 0.9, 0.2], without) == [0.3, 0.9, 0.2]
    # Unity weaker than liking, or not found at all: nothing changes.
    assert yield_lone_cues(ids, yields, [1, 0, 0], [0.8, 0.7, 0.2], without) == [0.8, 0.7, 0.2]
    assert yield_lone_cues(ids, yields, [1, 0, 0], [0.45, 0.48, 0.2], without) == [0.45, 0.48, 0.2]
    # Two cue phrases still count; a principle liking does not yield to (reciprocity) changes nothing.
    assert yield_lone_cues(ids, yields, [2, 1, 0], [0.85, 0.9, 0.2], without) == [0.85, 0.9, 0.2]
    assert yield_lone_cues(ids, yields, [1, 0, 1], [0.8, 0.2, 0.9], without) == [0.8, 0.2, 0.9]
    # Without a declared yield, the rule never applies (the other direction included).
    assert yield_lone_cues(ids, {}, [1, 1, 0], [0.8, 0.9, 0.2], without) == [0.8, 0.9, 0.2]


@pytest.mark.parametrize(("lang", "unity_post", "liking_post"), [
    ("en", "Fellow allotment holders, this one is for us: we've been there, watching the slugs win again. Our plots, "
           "our patch, our people. Swap your spare seedlings with the rest of the allotment family on Saturday.",
     "We've been there: the coffee machine broke on a Monday and the whole office went quiet. So our barista Léon "
     "now brings his own grinder, just in case."),
    ("fr", "Entre nous, les apiculteurs amateurs : on est tous passés par là, la piqûre au poignet et l'essaim qui "
           "file chez le voisin. C'est notre club, notre rucher, notre famille. Rendez-vous samedi au rucher partagé.",
     "Vous avez toujours les meilleures recommandations de romans, merci pour ce fil."),
])
def test_liking_phrase_inside_a_unity_frame_is_not_liking(service, lang, unity_post, liking_post):
    """A similarity phrase ("been there", "passés par là") in a post about "us" is unity's language; the same kind
    of phrase in a post without that frame is still liking."""
    found = {h.id for h in service.check(unity_post, lang=lang).principles}
    assert "unity" in found and "liking" not in found, found
    assert "liking" in {h.id for h in service.check(liking_post, lang=lang).principles}


@pytest.mark.parametrize(("principle", "lang", "text", "phrase"), [
    ("liking", "en", "You're the sweetest bunch of readers on the internet.", "You're the sweetest"),
    ("liking", "en", "honestly u r the funniest chat on here", "u r the funniest"),
    ("liking", "en", "We're secretly proud of the new bike shed.", "We're secretly proud"),
    ("liking", "fr", "Vous avez toujours les meilleures idées de sorties.", "Vous avez toujours les meilleures"),
    ("liking", "fr", "Vous avez le meilleur goût en musique.", "Vous avez le meilleur goût"),
    ("authority", "fr", "J'ai passé 18 ans en tant que pharmacienne avant d'écrire ce guide.", "18 ans en tant que"),
    ("authority", "fr", "Après 9 ans à la tête du service, voici mes conseils.", "Après 9 ans à la"),
    ("social_proof", "fr", "Toute la rédaction est déjà passée au nouvel outil.", "Toute la rédaction est déjà"),
    ("reciprocity", "fr", "Gardez le bocal, pas besoin de nous le rendre.", "nous le rendre"),
    ("scarcity", "fr", "Il vous reste 4 jours pour envoyer votre dossier.", "vous reste 4 jours"),
    ("scarcity", "fr", "Il vous reste quelques heures pour voter.", "vous reste quelques heures"),
    ("social_proof", "en", "The first print sold out in 6 days.", "sold out in 6"),
])
def test_cues_with_alternative_words_match(service, principle, lang, text, phrase):
    """Cue alternatives are single words ("les|le|la meilleurs|meilleure…") or a marker ("{NUM}|quelques": a number
    or the word); cues once written with multi-word alternatives ("les meilleurs|la meilleure", "comme|en tant que")
    never matched, and a marker among alternatives was once read as the literal text "{NUM}"."""
    doc = service.analyzer.nlp(lang, parser=False)(text.replace("’", "'"))
    matched = [text[m.start : m.end] for m in service.analyzer.matcher(lang).find(doc) if m.key == principle]
    assert phrase in matched, matched


@pytest.mark.parametrize(("lang", "text", "platform"), [
    ("en", "Excited to share that after 6 years at Nordlys I'm starting a new role as Head of Data.\n\n"
           "Three things I learned about building a team from scratch:\n\n1. Hire for curiosity\n"
           "2. Write things down\n3. Celebrate small wins\n\nThank you to everyone who made it possible.\n\n"
           "#Leadership #DataTeams #Careers", "linkedin"),
    ("fr", "Ravie d'annoncer qu'après 6 ans chez Nordlys je deviens responsable data.\n\n"
           "Trois leçons sur la construction d'une équipe :\n\n1. Recruter la curiosité\n2. Tout écrire\n"
           "3. Fêter les petites victoires\n\nMerci à toutes les personnes qui ont rendu ça possible.\n\n"
           "#Leadership #Data #Carrière", "linkedin"),
])
def test_platform_culture_recognised(service, lang, text, platform):
    report = service.check(text, lang=lang)
    ranked = [p.id for p in report.platforms]
    assert platform in ranked[:3], ranked[:5]
    assert report.platform(platform).fit >= 60


def test_hard_limit_is_an_error_finding_and_lowers_fit(service):
    long_post = "Our new cycling jersey is made from recycled nets. " * 12  # ~600 characters, over X's 280
    fit = service.check(long_post, lang="en", targets=["x"]).platform("x")
    short = service.check("Our new cycling jersey is made from recycled fishing nets.", lang="en",
                          targets=["x"]).platform("x")  # fmt: skip
    assert any(f.severity == "error" for f in fit.findings)
    assert not any(f.severity == "error" for f in short.findings)
    assert fit.fit < short.fit


@pytest.mark.parametrize(("lang", "bait", "plain"), [
    ("en", "Comment YES if you agree! Tag 3 friends and share to win!!!",
     "We repaired the bridge railing this week; the path reopens on Monday."),
    ("fr", "Commente OUI si tu es d'accord ! Identifie 3 amis et partage pour gagner !!!",
     "Le garde-corps du pont est réparé ; le chemin rouvre lundi."),
])
def test_engagement_bait_found_only_where_it_is(service, lang, bait, plain):
    found = service.check(bait, lang=lang).antipatterns
    assert any(f.rule.startswith("engagement_bait") for f in found), [f.rule for f in found]
    for f in found:
        assert f.start is None or 0 <= f.start <= f.end <= len(bait)
    assert not [f.rule for f in service.check(plain, lang=lang).antipatterns if f.rule.startswith("engagement_bait")]

