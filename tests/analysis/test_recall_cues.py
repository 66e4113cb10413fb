"""Broader cue phrases and patterns for scarcity, social proof and liking (general forms of each principle, in both
languages), with the look-alikes they must leave alone. Sentences written for these tests: none is a
knowledge-base exemplar or a dev draft."""

from __future__ import annotations

import pytest

from bot.analysis.principles import pattern_matches


def _matched(service, principle, lang, text):
    doc = service.analyzer.nlp(lang, parser=False)(text.replace("’", "'"))
    cues = [text[m.start : m.end] for m in service.analyzer.matcher(lang).find(doc) if m.key == principle]
    rx = [text[m.start : m.end] for m in pattern_matches(service.analyzer.kb.principles[principle], lang, text)]
    return cues + rx


@pytest.mark.parametrize(("principle", "lang", "text", "phrase"), [
    ("scarcity", "fr", "Dernière fournée de brioches au sarrasin avant la pause estivale.", "Dernière fournée"),
    ("scarcity", "fr", "Le thé vert de printemps est proposé uniquement du 2 au 9 mai.", "uniquement du 2 au"),
    ("scarcity", "fr", "Aucune inscription acceptée après le 30 septembre.", "Aucune inscription acceptée après"),
    ("scarcity", "fr", "On en coud 25 par saison, pas un de plus.", "en coud 25 par saison, pas un de plus"),
    ("scarcity", "fr", "Il ne reste que deux créneaux le samedi matin.", "Il ne reste que"),
    ("scarcity", "fr", "Vinyles en quantités très limitées pour le disquaire day.", "quantités très limitées"),
    ("scarcity", "fr", "Ce coffret ne sera plus disponible après les fêtes.", "ne sera plus disponible"),
    ("scarcity", "fr", "J-3 avant la fermeture de la billetterie !", "J-3"),
    ("scarcity", "fr", "N'attendez pas le dernier moment pour réserver.", "N'attendez pas le dernier moment"),
    ("scarcity", "fr", "Il vous reste 3 jours pour envoyer votre candidature.", "vous reste 3 jours"),
    ("scarcity", "en", "This is the final batch of rhubarb gin we'll make this year.", "final batch"),
    ("scarcity", "en", "A print run of 150 numbered copies, signed by the author.", "numbered copies"),
    ("scarcity", "en", "No entries accepted after Sunday noon.", "No entries accepted after"),
    ("scarcity", "en", "The autumn blend won't be restocked once it's gone.", "won't be restocked"),
    ("social_proof", "en", "Rated 4.6/5 by the people who stayed with us last summer.", "4.6/5"),
    ("social_proof", "fr", "Noté 4,8 ★ par nos clients de la saison dernière.", "4,8 ★"),
    ("social_proof", "en", "The queue went round the block by 9am on Saturday.", "queue went round the block"),
    ("social_proof", "en", "Our sketchbooks sold out in 3 days last spring.", "sold out in 3"),
    ("social_proof", "fr", "Le nouveau menu du midi fait l'unanimité à l'atelier.", "fait l'unanimité"),
    ("social_proof", "fr", "De plus en plus de familles choisissent la formule du mercredi.",
     "De plus en plus de familles"),
    ("social_proof", "fr", "Vous l'avez tellement réclamée : la tarte au citron revient.",
     "Vous l'avez tellement réclamée"),
    ("social_proof", "fr", "Le stage d'été était complet en deux jours.", "complet en deux"),
    ("liking", "fr", "Vous êtes vraiment adorables, merci pour tous vos dessins.", "Vous êtes vraiment adorables"),
    ("liking", "fr", "Rien de tout ça sans vous, alors merci.", "Rien de tout ça sans vous"),
    ("liking", "en", "You guys are absolutely brilliant, thank you.", "You guys are absolutely brilliant"),
    ("liking", "en", "Huge hugs to everyone who sent soup to the studio.", "Huge hugs"),
    ("social_proof", "en", "The whole climbing gym keeps talking about these chalk bags.", "keeps talking about"),
    ("social_proof", "en", "We have restocked the linen aprons four times since May.",
     "restocked the linen aprons four times"),
    ("social_proof", "en", "The beginners' waiting list is already full for October.", "waiting list is already full"),
    ("social_proof", "fr", "Pour la troisième fois, la queue a fait le tour du quartier.", "tour du quartier"),
    ("social_proof", "fr", "Deux mille cyclistes sont déjà passés à notre antivol connecté.", "déjà passés à"),
    ("social_proof", "fr", "Nouveau réassort du carnet pointillé, le troisième depuis la rentrée.", "Nouveau réassort"),
    ("liking", "en", "Every parcel leaves with a handwritten note from Theo.", "handwritten note"),
    ("liking", "fr", "Passez nous dire bonjour samedi, le café est offert.", "Passez nous dire bonjour"),
    ("liking", "fr", "Tellement contents de vous retrouver après l'été !", "contents de vous retrouver"),
])  # fmt: skip
def test_broader_cues_match(service, principle, lang, text, phrase):
    matched = _matched(service, principle, lang, text)
    assert any(phrase in m for m in matched), matched


@pytest.mark.parametrize(("principle", "lang", "text"), [
    ("scarcity", "fr", "Un souci avec votre dernière commande ? Écrivez-nous."),  # "the latest", not "the last"
    ("scarcity", "fr", "La dernière édition du festival a réuni des exposants de toute la région."),
    ("scarcity", "fr", "Jean-Pierre et J-P Martin ont repeint la vitrine."),
    ("scarcity", "en", "Call the number printed on the back of your card."),  # lemma "number" is not "numbered"
    ("scarcity", "en", "Our last release fixed the sync bug on tablets."),
    ("social_proof", "en", "Thread on our move to a four-day week 2/5"),  # a thread number is not a rating
    ("social_proof", "fr", "Résultat : 12 % des clients ont choisi la livraison en point relais."),
    ("social_proof", "en", "The brief asked us to make the video go viral."),
    ("liking", "fr", "Entre nous, aidants, on se comprend sans un mot."),  # unity's "us", not a compliment
    ("liking", "en", "Thank you for your patience while we fix the login issue."),
    ("social_proof", "en", "By the time we called back, they had already signed with another agency."),
    ("social_proof", "en", "You voted for the autumn colour, so here it is."),  # a community's choice is unity's
    ("liking", "fr", "Coucou, on adore ton profil ! Tu veux collaborer ?"),  # an outreach opener, not warmth
    # Generic phrases that once were cues and fired on plain updates
    ("scarcity", "en", "In the final week of the project we learned to ship smaller pieces."),
    ("scarcity", "en", "Our office is closing soon for the holidays, see you in January."),
    ("scarcity", "en", "I only post twice per day, and never on Sundays."),
    ("scarcity", "fr", "N'attendez pas la perfection pour publier."),
    ("scarcity", "fr", "Il vous reste quelques questions ? Notre équipe répond en commentaire."),
    ("scarcity", "fr", "On est dans la dernière ligne droite du chantier de la cuisine."),
    ("liking", "en", "Not gonna lie, this recipe took me four tries."),
    ("liking", "fr", "On ne va pas se mentir, le lundi matin reste difficile."),
    ("social_proof", "en", "Here's what I think about remote work after two years."),
    ("social_proof", "fr", "On est déjà passés à autre chose depuis longtemps."),
])  # fmt: skip
def test_broader_cues_leave_look_alikes_alone(service, principle, lang, text):
    assert _matched(service, principle, lang, text) == []


@pytest.mark.parametrize(("principle", "lang", "text"), [
    ("scarcity", "fr", "Nos terrines de Noël ? Dernière fournée jeudi, et il ne restera ensuite que les bocaux "
                       "de l'an prochain. Aucune commande acceptée après mercredi midi."),
    ("social_proof", "fr", "Le stage de poterie de juillet était complet en deux jours, et il fait l'unanimité "
                           "chez les parents : 4,9/5 sur 60 avis."),
    ("scarcity", "en", "Final batch of the smoked chilli jam this season: 40 jars, no orders accepted after "
                       "Thursday."),
])  # fmt: skip
def test_broader_cues_carry_the_principle(service, principle, lang, text):
    report = service.check(text, lang=lang)
    assert principle in [h.id for h in report.principles]
