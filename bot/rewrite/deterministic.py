"""The default rewrite engine: adapt a draft to one platform's culture without inventing or losing facts.

Driven by each platform's `rewrite` style in the knowledge base (target length, hook length, layout, hashtag
count/style/placement, link policy, emoji policy, call to action, disclosure label), not by code per platform.
Steps: clean (take out hashtags, links, engagement bait and other platforms' leftovers) → rank sentences
(centrality + facts) → pick the hook → fit the length (compress, or split into a numbered thread) → lay out →
hashtags from the draft's own key phrases → links, call to action, disclosure → check the result's fit again.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import zlib
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace

from bot.analysis.report import Report, Rewrite
from bot.analysis.rules import trips_a_pattern
from bot.knowledge.model import Platform, RewriteStyle, pick
from bot.nlp import split_sentences
from bot.rewrite.facts import NUMBER_RE, extract_facts
from bot.rewrite.register import DEPENDENT_RE, apply_register, cut_hype, lower_start
from bot.text import EMOJI_RE, HASHTAG_RE, MENTION_RE, URL_RE, strip_accents

SPONSORED_RE = re.compile(
    r"#(?:ad|ads|sponsored|sponsoris[ée]e?|pub|partenariat|collab|partner)\b|\bpaid partnership\b|\bsponsored by\b|"
    r"\bpartenariat (?:rémunéré|commercial)|\ben partenariat avec\b|\bcollaboration commerciale\b|\bsponsoris[ée]",
    re.I,
)
# Phrases that belong to another platform and betray a copy-paste ("link in bio" on LinkedIn, "RT" on Instagram).
LEFTOVER_RE = re.compile(
    r"\b(?:link in (?:my |our )?bio|lien en bio|lien dans (?:la|ma|notre) bio|swipe up|glisse[zr]? vers le haut|"
    r"double[- ]tap|see more below|tap the link|RT|retweet(?:ez)?|check (?:out )?(?:my|our) story)\b[^.!?\n)\]]*",
    re.I,
)
# Chat formatting that only renders where it was written: WhatsApp/Discord bold, Twitch chat commands.
MARKUP_RE = re.compile(r"\*\*([^*\n]+)\*\*|(?<![\w*])\*([^*\n]+)\*(?![\w*])|(?<![\w!])![a-z]{3,}\b\s*")
# "1. The problem" at the start of a line: a list item, not the end of a sentence "1."
LIST_MARKER_RE = re.compile(r"(?m)^(\s*\d{1,2}[.)])\s+")
# A title before a name ("Dr. Lena Berg", "M. Dupont"): its full stop ends no sentence.
TITLES = ("Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "Pr", "St", "Mt", "Jr", "Sr", "Mme", "Mlle", "M")
TITLE_RE = re.compile(rf"\b(?:{'|'.join(TITLES)})\.(?= [A-ZÀ-Ý])")
LEADING_TITLE_RE = re.compile(rf"^(?:{'|'.join(TITLES)}) ")  # "Dr Lena Berg" → the name, "Lena Berg"
CHAPTER_RE = re.compile(r"\(?\d{1,2}:\d{2}(?::\d{2})?\)?\s+\S")  # "03:12 Month 1: the shock"
LIST_ITEM_RE = re.compile(r"\s*(?:\d{1,2}[.)]|\d{1,2}:\d{2}|[-•→✅▶])\s")  # list items, video chapters
BAIT_RE = re.compile(
    r"[^.!?\n]*\b(?:comment (?:\"|“)?(?:yes|yes!|1|below)|tag (?:\d+|three|two|a) friends?|like if|share if|"
    r"share this post|commente[zr]? (?:\"|« ?)?oui|identifie[zr]? (?:\d+|trois|deux|un|une) (?:ami|amie|amis|potes)|"
    r"like si|partage[zr]? si|follow for follow|abonne-toi pour)[^.!?\n]*[.!?]?",
    re.I,
)
WEAK_OPENERS = re.compile(
    r"^(?:we are (?:excited|thrilled|delighted|proud|happy) to|i am (?:excited|thrilled|happy) to|"
    r"nous sommes (?:ravis|heureux|fiers|fières) de|je suis (?:ravi|ravie|heureux|heureuse) de|"
    r"it is with great|c'est avec (?:une grande|un immense))",
    re.I,
)
STOP = set(
    "the a an and or of to in on for with at by from is are was were be been it this that these those our "
    "your we you they i my me us their its as not no so but if then than too very just all more most can "
    "will would le la les un une des du de et ou à au aux en dans sur pour par avec sans est sont été "
    "être ce cette ces notre nos votre vos nous vous ils elles je tu il elle on mon ma mes ton ta tes son "
    "sa ses leur leurs qui que quoi dont où ne pas plus très tout tous toute toutes se sa d l j n s c qu".split()
)
# First words that may be lower-cased after an opener or in a spoken caption (never names).
COMMON_FIRST = STOP | set(
    "here there what how why when big good great new news today last next every some quick real after before "
    "voici voilà quoi comment pourquoi quand grande grand bonne nouvelle nouveau aujourd'hui dernier prochain "
    "chaque après avant only just plus seulement".split()
)
# Everyday words that say nothing of a post's subject: no one follows #have, #good or #time. (The English fallback
# pipeline has no tagger to tell verbs and adjectives from nouns; French noun chunks come from its parser.) spaCy's
# stop-word lists of both languages are added where the hashtags are chosen.
GENERIC = set(
    "have has had get got make made take took come came give gave know knew think want need told tell said say "
    "keep kept look find found back away only ever even also still much many some every each other another same "
    "good great best better bad big small little long last first next new old real right sure whole "
    "time times day days week weeks year years thing things way ways lot bit part end ends start one two three "
    "people everyone someone anyone something anything nothing here there now today tonight tomorrow yesterday "
    "avoir fait faire dit dire voir vu prendre pris venir donner aller être chose choses fois jour jours "
    "semaine semaines année années temps monde gens quand même aussi encore juste vraiment bien bon bonne "
    "grand grande petit petite dernier dernière premier première nouveau nouvelle ici maintenant demain hier "
    "matin midi soir soirée link links lien liens".split()
)
# Days and months are facts of the post, not topics people follow.
CALENDAR = set(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars "
    "avril mai juin juillet août septembre octobre novembre décembre".split()
)
DETERMINERS = frozenset("the a an our my your their this these those every each his her its".split())
PRONOUNS = frozenset("me you us them him her it".split())
TOKEN_RE = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?|\S")  # a word, or one other character
# Where a platform puts the facts its post has no room for (knowledge base `rewrite.overflow`).
MOVED_NOTES = {
    "voiceover": ("Kept the caption to the hook: say the details in the voice-over or put them on screen, where {p} "
                  "viewers look: “{said}”",
                  "Légende réduite à l'accroche : dites le détail en voix off ou affichez-le à l'écran, là où "
                  "regardent les gens sur {p} : « {said} »"),
    "reply": ("One post, one idea: kept the hook and the key fact. Post the rest as a reply under your own post, "
              "where {p} readers who want more look for it: “{said}”",
              "Un post, une idée : gardé l'accroche et le fait clé. Publiez le reste en réponse sous votre propre "
              "post, là où les lecteurs de {p} cherchent la suite : « {said} »"),
    "slides": ("Kept the caption to its central lines: put the other details on the carousel slides (or say them in "
               "the Reel), where {p} viewers look while the caption stays short: “{said}”",
               "Légende réduite à l'essentiel : mettez les autres détails sur les slides du carrousel (ou dites-les "
               "dans le Reel), là où regardent les gens sur {p} pendant que la légende reste courte : « {said} »"),
}  # fmt: skip
# Overflows whose post holds one idea, the hook (and for a reply its key fact); `slides` keeps the central lines.
ONE_IDEA = ("voiceover", "reply")
# Where a long sentence can be cut into a caption and the rest: after an ellipsis, a dash, a semicolon, a colon
# followed by a space, or an emoji.
CLAUSE_END_RE = re.compile(r"(?:…|\.\.\.|;| [—–]| ?:(?= )|[\U0001F300-\U0001FAFF\u2600-\u27BF]\uFE0F?)(?= )")
COMMA_RE = re.compile(r",(?= [^\W\d])")
QUESTION_END_RE = re.compile(r"\?[^\w\n]*$")  # a sentence that asks something ("… guindé ? 🍷")
CTA_SPLIT_RE = re.compile(r"(?<=[.!?…])\s+")
# Lines that ask for an action (apply, comment, follow a link) are calls to action, never the hook of a caption.
ACTION_LINE_RE = re.compile(
    r"\b(?:link|lien|in the (?:first )?comments?|en commentaire|premier commentaire|DM|MP|subscrib\w*|abonne\w*)\b",
    re.I)
EMOJI_BUDGET = {"none": 0, "sparse": 2, "moderate": 5, "rich": 10}
LINK_WORDS = {
    "bio": {"en": "Link in bio.", "fr": "Lien en bio."},
    "first_comment": {"en": "Link in the first comment.", "fr": "Lien en premier commentaire."},
}


@dataclass
class Parts:
    lang: str
    sentences: list[str]
    hashtags: list[str]
    links: list[str]
    sponsored: bool
    emoji: list[str]
    notes: list[str] = field(default_factory=list)


def _say(lang: str, en: str, fr: str) -> str:
    return fr if lang == "fr" else en


def decompose(text: str, lang: str) -> Parts:
    """Split a draft into what a rewrite rearranges: sentences, hashtags, links, disclosure, emoji."""
    notes = []
    tags = [m.group(1) for m in HASHTAG_RE.finditer(text)]
    links = [m.group(0).rstrip(".,;!?") for m in URL_RE.finditer(text)]
    sponsored = bool(SPONSORED_RE.search(text))
    emoji = EMOJI_RE.findall(text)
    body = URL_RE.sub(" ", text)
    body = SPONSORED_RE.sub(" ", body)
    # Trailing blocks of hashtags go; hashtags inside a sentence keep their word.
    body = re.sub(r"(?:\s*#\w[\w'-]*)+\s*$", " ", body)
    body = HASHTAG_RE.sub(lambda m: m.group(1), body)
    bait = [m.group(0).strip() for m in BAIT_RE.finditer(body) if m.group(0).strip()]
    if bait:
        body = BAIT_RE.sub(" ", body)
        notes.append(_say(lang, f"Dropped the engagement bait (“{bait[0][:50]}”): platforms demote it and it "
                                "reads as begging for reach.",
                          f"Retiré l'appel à l'engagement forcé (« {bait[0][:50]} ») : les plateformes le "
                          "pénalisent et il sent la course à la portée."))  # fmt: skip
    leftovers = [m.group(0).strip() for m in LEFTOVER_RE.finditer(body)]
    if leftovers:
        body = LEFTOVER_RE.sub(" ", body)
        body = re.sub(r"[(\[]\s*[)\]]", " ", body)  # "Book now (link in bio)." leaves no empty brackets
        notes.append(_say(lang, f"Removed “{leftovers[0][:40]}”, a leftover from another platform.",
                          f"Retiré « {leftovers[0][:40]} », un reste d'une autre plateforme."))  # fmt: skip
    marked = MARKUP_RE.sub(lambda m: m.group(1) or m.group(2) or "", body)
    if marked != body:
        body = marked
        notes.append(_say(lang, "Removed chat formatting (*bold*, **bold**, !commands): it shows as raw symbols "
                                "outside the app it was written for.",
                          "Retiré la mise en forme de messagerie (*gras*, **gras**, !commandes) : ailleurs, elle "
                          "s'affiche en symboles bruts."))  # fmt: skip
    sentences = []
    body = LIST_MARKER_RE.sub(lambda m: m.group(1).replace(".", "\u2024") + " ", body)  # not a sentence end
    body = TITLE_RE.sub(lambda m: m.group(0)[:-1] + "\u2024", body)  # nor is "Dr." before a name
    for start, end in split_sentences(body):
        s = re.sub(r"[ \t]+", " ", body[start:end]).strip(" -–—•·|")
        # A space left before punctuation by what was removed goes (French keeps its space before ? ! : ;).
        s = re.sub(r"\s+([.,!?;:])" if lang == "en" else r"\s+([.,])", r"\1", s)
        # "Details:" whose link moved away introduces nothing any more.
        if re.search(r"\w", s) and not (s.endswith(":") and len(s.split()) <= 2 and links):
            sentences.append(s.replace("\u2024", "."))
    return Parts(lang, sentences, tags, links, sponsored, emoji, notes)


def _fact_flags(sentence: str) -> tuple[bool, bool]:
    """(holds a number, holds a fact: a number, a URL or an @mention): what a rewrite must keep or account for."""
    number = bool(NUMBER_RE.search(sentence))
    return number, number or bool(URL_RE.search(sentence) or MENTION_RE.search(sentence))


def _without(sentences: list[str], src: Source, drop: set[int]) -> tuple[list[str], Source]:
    """The sentences and their per-sentence measures without the indices in `drop`."""
    def keep(values: list) -> list:
        return [v for i, v in enumerate(values) if i not in drop]

    return keep(sentences), replace(src, sentences=keep(src.sentences), scores=keep(src.scores),
                                    numbers=keep(src.numbers), facts=keep(src.facts), names=keep(src.names))


def _words(s: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_][\w'-]+", strip_accents(s.lower())) if w not in STOP and len(w) > 2]


def rank_sentences(sentences: list[str]) -> list[float]:
    """Centrality (bag-of-words cosine to the whole draft) plus a bonus for sentences carrying facts."""
    total = Counter(w for s in sentences for w in _words(s))
    norm_total = math.sqrt(sum(v * v for v in total.values())) or 1.0
    scores = []
    for s in sentences:
        c = Counter(_words(s))
        dot = sum(v * total[w] for w, v in c.items())
        norm = math.sqrt(sum(v * v for v in c.values())) or 1.0
        facts = extract_facts(s)
        bonus = 0.3 * bool(facts["numbers"] or facts["mentions"]) + 0.15 * bool(facts["names"])
        scores.append(dot / (norm * norm_total) + bonus)
    return scores


def key_phrases(parts: Parts, nlp=None, limit: int = 8, scores: list[float] | None = None) -> list[str]:
    """Candidate hashtags from the draft's own words: its hashtags first, then noun chunks where the pipeline has a
    parser (in English without one, the noun phrases after determiners), names (brands, places, events), then
    content words weighted by how central their sentence is."""
    out: list[str] = []
    seen = set()

    def add(phrase: str):
        key = strip_accents(phrase.lower()).replace(" ", "")
        if key and key not in seen and len(key) <= 30 and key not in STOP:
            seen.add(key)
            out.append(phrase)

    for t in parts.hashtags:
        add(t)
    sentences = parts.sentences
    weights = scores if scores is not None and len(scores) == len(sentences) else [1.0] * len(sentences)
    if nlp is not None and nlp.has_pipe("parser"):
        doc = nlp(" ".join(sentences))
        chunks = Counter()
        for chunk in doc.noun_chunks:
            words = [t.text for t in chunk if not t.is_stop and t.is_alpha and t.lower_ not in GENERIC]
            if 1 <= len(words) <= 2 and not any(t.pos_ == "PRON" for t in chunk):
                chunks[" ".join(words)] += 1
        for phrase, _ in chunks.most_common(limit * 2):
            add(phrase)
    elif parts.lang == "en":
        # No parser (en_core_web_sm is optional): what follows a determiner is a noun phrase, its head last
        # ("every single product description" → product description), better tags than any frequent word.
        chunks = Counter()
        for s, w in zip(sentences, weights):
            for phrase in _determiner_phrases(s):
                chunks[phrase] += 1.0 + max(w, 0.0)
        for phrase, _ in chunks.most_common(limit * 2):
            add(phrase)
    # Names: capitalised words inside a sentence (never its first word), joined when they follow each other.
    generic, names = _generic_words(), Counter()
    for s in sentences:
        s = TITLE_RE.sub(lambda m: m.group(0)[:-1], s)  # "Dr. Lena Berg" is one name, and the tag is the name's
        for m in re.finditer(r"(?<=[\w,;:)] )([A-ZÀ-Ý][\w'-]+(?: [A-ZÀ-Ý][\w'-]+){0,2})", s):
            # "I'm" and "I've" are capitalised mid-sentence too, but they name no one; months are facts.
            name = LEADING_TITLE_RE.sub("", m.group(1))
            low = name.lower()
            if name not in TITLES and low not in CALENDAR and low not in generic and not re.match(r"I['’]", name):
                names[name] += 1
    for name, _ in names.most_common(3):
        add(name)
    weight = Counter()
    for s, w in zip(sentences, weights):
        for word in re.findall(r"[^\W\d_][\w'-]{3,}", s):
            low = word.lower()
            if low in STOP or low in CALENDAR or low in generic or "'" in low or "’" in low:
                continue
            # Verb forms and adverbs make poor hashtags (#named, #really): weigh them down.
            verbish = low.endswith(("ed", "ing", "ly", "ons", "ez", "ent", "ait", "é", "ée", "és"))
            weight[word] += (1.0 + max(w, 0.0)) * (0.3 if verbish else 1.0)
    for word, _ in weight.most_common(limit * 3):
        key = strip_accents(word.lower())
        if not any(key in k for k in seen):  # #hollins and #park add nothing to #hollinspark
            add(word)
    return out[: limit * 2]


def _determiner_phrases(sentence: str) -> list[str]:
    """English noun phrases without a parser: up to three content words after a determiner, the last two kept
    (the head comes last). A word followed by another determiner or a pronoun is a verb ("a follow helps the
    channel") and ends the phrase before it."""
    generic, toks, out = _generic_words(), TOKEN_RE.findall(sentence), []
    for i, tok in enumerate(toks):
        if tok.lower() not in DETERMINERS:
            continue
        words, j = [], i + 1
        while j < len(toks) and len(words) < 3:
            word = toks[j]
            if not word[0].isalpha() or any(c.isdigit() for c in word) or word in TITLES:
                break  # punctuation, a number or a title before a name ("our cardiologist Dr. Berg") ends it
            if word.lower() in generic or word.lower() in STOP:
                if words:
                    break
            else:
                words.append(word)
            j += 1
        if words and j < len(toks) and toks[j].lower() in DETERMINERS | PRONOUNS:
            words.pop()
        if words:
            out.append(" ".join(words[-2:]))
    return out


@functools.cache
def _generic_words() -> frozenset[str]:
    """GENERIC and spaCy's stop words of both languages (imported here: spaCy is loaded once a draft is analysed)."""
    from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
    from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

    return frozenset(GENERIC | EN_STOP | FR_STOP)


def _join(sentences: list[str]) -> str:
    """Sentences run on in one block, but a line without end punctuation (a title, "Live at 8pm") keeps its own line:
    run into the next sentence it would read as one garbled sentence."""
    out = ""
    for s in sentences:
        if out:
            last = out.rstrip("\ufe0f")[-1:]
            out += " " if last in ".!?…:;,)]»”\"'" or EMOJI_RE.match(last) else "\n"
        out += s
    return out


def format_hashtag(phrase: str, style: str) -> str:
    words = re.findall(r"[^\W_]+", phrase)
    if style == "camel":
        body = "".join(w[:1].upper() + w[1:] for w in words)
    else:
        body = "".join(w.lower() for w in words)
    return "#" + body if body else ""


def _trim_emoji_post(texts: list[str], budget: int) -> tuple[list[str], int]:
    """The post's first `budget` emoji kept, in reading order across its sentences; also how many were left out."""
    count = 0

    def keep(m):
        nonlocal count
        count += 1
        return m.group(0) if count <= budget else ""

    out = [re.sub(r" {2,}", " ", EMOJI_RE.sub(keep, t)).strip() for t in texts]
    return out, max(count - budget, 0)


@dataclass
class Source:
    """One draft, analysed once for every platform it is rewritten for (and every tightening pass)."""

    parts: Parts
    sentences: list[str]
    scores: list[float]
    numbers: list[bool]  # the sentence holds a number (a result, a date, a price)
    facts: list[bool]  # …or a URL or an @mention: never dropped
    names: list[bool]  # the sentence names someone or something (a brand, a place)
    phrases: list[str]  # hashtag candidates, best first


class DeterministicRewriter:
    CACHE = 32  # drafts kept analysed: a check asks for several platforms of the same draft in a row

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self._sources: OrderedDict[tuple[str, str], Source] = OrderedDict()

    def rewrite(self, report: Report, pid: str) -> Rewrite:
        return self.rewrite_many(report, [pid])[pid]

    def rewrite_many(self, report: Report, pids: list[str]) -> dict[str, Rewrite]:
        """Rewrites of one draft for several platforms. The first plan of each is checked in one batch (one
        embedding call for all of them costs about half as much as one per platform); tighter plans follow one by
        one, only where the check disagrees."""
        lang = report.language
        src = self._source(report.text, lang)
        platforms = [self.analyzer.kb.platforms[pid] for pid in pids]
        plans = [self.compose(src, platform) for platform in platforms]
        checks = self.analyzer.platform_fits([(text, pid) for (text, _), pid in zip(plans, pids)], lang)
        return {platform.id: self._retry(src, platform, lang, Rewrite(platform.id, text, changes, fit), errors)
                for platform, (text, changes), (fit, errors) in zip(platforms, plans, checks)}  # fmt: skip

    def _retry(self, src: Source, platform: Platform, lang: str, best: Rewrite, best_errors: bool) -> Rewrite:
        """Tighter plans (1, 2), then a fuller one (-1: a one-idea post too short to read like the platform keeps
        more lines), until one fits; the first plan (`best`) was built to fit and already checked."""
        for tighten in (1, 2, -1):
            if best.fit >= 75 and not best_errors:
                break
            text, changes = self.compose(src, platform, tighten)
            if text == best.text:
                continue
            fit, errors = self.analyzer.platform_fit(text, lang, platform.id)
            if not errors and (fit > best.fit or best_errors):
                best, best_errors = Rewrite(platform.id, text, changes, fit), errors
            if fit >= 75 and not errors:
                break
        return best

    def _source(self, text: str, lang: str) -> Source:
        key = (text, lang)
        if key in self._sources:
            self._sources.move_to_end(key)
            return self._sources[key]
        parts = decompose(text, lang)
        sentences = parts.sentences or [text.strip()]
        scores = rank_sentences(sentences)
        numbers, facts = map(list, zip(*map(_fact_flags, sentences)))
        names = [bool(extract_facts(s)["names"]) for s in sentences]
        src = Source(parts, sentences, scores, numbers, facts, names,
                     key_phrases(parts, self._nlp(lang), scores=scores))
        self._sources[key] = src
        if len(self._sources) > self.CACHE:
            self._sources.popitem(last=False)
        return src

    # Composition ---------------------------------------------------------------------------------------------
    def compose(self, src: Source, platform: Platform, tighten: int = 0) -> tuple[str, list[str]]:
        style = platform.rewrite
        parts, lang = src.parts, src.parts.lang
        changes = list(parts.notes)
        sentences = list(src.sentences)
        cut = [cut_hype(s, lang) for s in sentences]  # on every platform the news is the hook, not the excitement
        if cut != sentences:
            sentences = cut
            changes.append(_say(lang, f"Cut the “thrilled to announce” opener: on {platform.name} the news itself "
                                      "is the hook, not the excitement about it.",
                                f"Supprimé le « ravis d'annoncer » : sur {platform.name}, c'est l'info qui accroche, "
                                "pas l'enthousiasme de l'annoncer."))  # fmt: skip
        chapters = [i for i, s in enumerate(sentences) if CHAPTER_RE.match(s)]
        if len(chapters) >= 2 and not style.chapters and len(chapters) < len(sentences):
            # A chapter list is a video description's furniture: only YouTube turns it into links.
            listed = " · ".join(sentences[i] for i in chapters)
            sentences, src = _without(sentences, src, set(chapters))
            changes.append(_say(lang, f"Left out the video chapters (“{listed}”): only YouTube turns timestamps into "
                                      f"links; on {platform.name} they read as a pasted video description.",
                                f"Retiré les chapitres de la vidéo (« {listed} ») : seul YouTube transforme les "
                                f"horodatages en liens ; sur {platform.name}, ils font description de vidéo "
                                "recopiée."))  # fmt: skip
        hook_idx = self._hook(sentences, src, style)
        if hook_idx != 0:
            changes.append(self._hook_note(style.hook, platform, lang))
        # A one-idea post holds one line: a hook too long for it is cut after its first clause, the rest said in the
        # video (TikTok) or posted in the reply (X). A question stays whole in a post that people answer (X).
        split = style.overflow in ONE_IDEA and not (style.overflow == "reply" and QUESTION_END_RE.search(
            sentences[hook_idx])) and self._split_hook(sentences, src, hook_idx, style.hook_max_chars)
        if split:
            sentences, src = split
        # The target is the length of the whole post: the platform's call to action takes its share of it.
        target = max(style.target_chars - len(pick(style.cta, lang)), style.target_chars // 2)
        budget = int(target * (1.0 - 0.2 * tighten))
        limit = platform.max_chars or 100_000
        if tighten < 0:  # the fuller plan: up to twice the usual length, within the platform's limit
            budget = int(min(limit, 2 * style.target_chars) * 0.85)
        layout = style.layout
        threaded = style.overflow == "thread"
        if style.overflow in ONE_IDEA and tighten >= 0:
            # One idea per post: a short-video caption holds the hook; a fast feed the hook and its key fact.
            kept = self._lead(sentences, src, hook_idx, budget, style.overflow == "reply", follow=not split)
        else:
            kept = self._select(sentences, src, hook_idx, budget, layout, keep_facts=style.overflow == "keep")
        # Where the platform has a place for what the post leaves out (voice-over, reply), all of it goes there.
        moved = [i for i in range(len(sentences)) if i not in kept and (src.facts[i] or style.overflow in MOVED_NOTES)]
        # A moved sentence that leans on the one before it ("It's that …") takes it along.
        moved = sorted(set(moved) | {i - 1 for i in moved if i > 0 and i - 1 not in kept
                                     and DEPENDENT_RE.search(sentences[i])})  # fmt: skip
        lead_posts = 0
        if threaded and moved:
            # Fast feeds: one idea in the first post, the other facts in numbered follow-ups (a thread on X).
            lead_posts, kept = len(kept), kept + moved
            changes.append(_say(lang, f"One idea in the first post; the other facts follow in a numbered thread, the "
                                      f"way longer stories are told on {platform.name}.",
                                f"Une idée dans le premier post ; les autres faits suivent dans un thread numéroté, "
                                f"comme on raconte plus long sur {platform.name}."))  # fmt: skip
            layout = "thread"
        moved = [sentences[i] for i in moved] if style.overflow in MOVED_NOTES else []
        if moved:
            # Short-video captions hold the hook (the detail is said in the video); a fast feed holds one idea per
            # post (the detail goes in a reply under it). The note carries the moved sentences word for word.
            en, fr = MOVED_NOTES[style.overflow]
            changes.append(_say(lang, en, fr).format(p=platform.name, said=" ".join(moved)))
        elif len(kept) < len(sentences):
            changes.append(_say(lang, f"Shortened to about {style.target_chars} characters, the length that works on "
                                      f"{platform.name}, keeping the central sentences and every fact.",
                                f"Raccourci à environ {style.target_chars} caractères, la longueur qui marche sur "
                                f"{platform.name}, en gardant les phrases centrales et tous les faits."))  # fmt: skip
        registered = [apply_register(sentences[i], style.register, lang) for i in kept]
        if style.register != "written" and registered != [sentences[i] for i in kept]:
            changes.append(self._register_note(style.register, platform, lang))
        # The emoji policy is the post's: "sparse" is two in the whole post, not two per sentence.
        budget_emoji = EMOJI_BUDGET[style.emoji]
        body, dropped = _trim_emoji_post(registered, budget_emoji)
        body = [b for b in body if b]
        if dropped and budget_emoji:
            changes.append(_say(lang, f"Kept {budget_emoji} emoji and left out {dropped} more: {platform.name} "
                                      f"posts use them {'sparingly' if style.emoji == 'sparse' else 'in moderation'}, "
                                      "to mark a date, a place or a mood; a row of them reads as a promo.",
                                f"Gardé {budget_emoji} émojis et retiré {dropped} de plus : sur {platform.name}, "
                                f"on les emploie {'avec parcimonie' if style.emoji == 'sparse' else 'avec mesure'}, "
                                "pour signaler une date, un lieu ou une humeur ; une rafale fait promo."))  # fmt: skip
        if style.register != "spoken" and body and re.match(r"[^\W\d_][^\sA-Z]*(?:\s|$)", body[0]) \
                and body[0][0].islower():
            # A relaxed lower-case start ("you lot have the best taste…") reads as a typo in written prose and as a
            # reply on Threads in a Facebook or Instagram post; a brand spelled in lower case with capitals inside
            # ("iPhone") is left alone. Only a spoken caption (TikTok) keeps it.
            body[0] = body[0][0].upper() + body[0][1:]
        opener = self._opener(style, lang, src, body)
        if opener:
            # After "ok so" or "quick one:" the sentence runs on in lower case; after a greeting it starts afresh.
            runs_on = opener[-1:].isalpha() or opener.endswith(":")
            body[0] = f"{opener} {lower_start(body[0], COMMON_FIRST) if runs_on else body[0]}"
            changes.append(_say(lang, f"Opened with “{opener}”, the way people start a post on {platform.name}.",
                                f"Ouvert par « {opener} », comme on commence un post sur {platform.name}."))
        if style.register == "spoken":
            body[0] = lower_start(body[0], COMMON_FIRST)
        if style.emoji == "none" and parts.emoji:
            changes.append(_say(lang, f"Removed emoji: {platform.name} reads them as marketing.",
                                f"Retiré les émojis : sur {platform.name}, ils font marketing."))  # fmt: skip
        n_tags = max(0, style.hashtag_count - max(tighten, 0)) if style.hashtag_style != "none" else 0
        tags = [format_hashtag(p, style.hashtag_style) for p in src.phrases]
        # A tag the platform's own rules flag (TikTok's #fyp) would undo the rewrite; candidates past the count
        # are never checked.
        usable = (t for t in dict.fromkeys(tags) if len(t) > 2 and not trips_a_pattern(platform.rules, t, lang))
        tags = list(itertools.islice(usable, n_tags))
        link_line, link_note = self._links(parts, style, lang, platform)
        if link_line and style.links == "bio" and "bio" in pick(style.cta, lang).lower():
            link_line = ""  # the call to action already points to the bio
        if link_note:
            changes.append(link_note)
        cta = pick(style.cta, lang)
        if cta and body and QUESTION_END_RE.search(body[-1]):
            # The draft's own question is the call to action: no second question, but the platform's way of closing
            # an ask (`rewrite.after_question`: "Thanks in advance 🙏" on Facebook), else its invitation to answer
            # ("Tell us in the comments"), still belongs there.
            cta = pick(style.after_question, lang) or " ".join(
                x for x in CTA_SPLIT_RE.split(cta) if x and not x.rstrip().endswith("?"))
        if cta:
            changes.append(_say(lang, f"Ended with a call to action in {platform.name}'s idiom: “{cta}”",
                                f"Terminé par un appel à l'action dans l'idiome de {platform.name} : « {cta} »"))
        else:
            cta = ""
        disclosure = pick(style.disclosure, lang) if parts.sponsored else ""
        if disclosure:
            changes.append(_say(lang, f"Kept the paid-partnership disclosure as {platform.name} expects: "
                                      f"“{disclosure}”.",
                                f"Gardé la mention du partenariat rémunéré comme l'attend {platform.name} : "
                                f"« {disclosure} »."))  # fmt: skip
        if lead_posts:
            out = self._thread(body, tags, link_line, cta, disclosure, limit, opener=lead_posts)
        else:
            out = self._layout(layout, body, tags, link_line, cta, disclosure, style, lang, limit)
        if out.endswith("…") and layout in ("short", "conversational") and limit <= 1000:
            # Facts do not fit one post: a numbered thread keeps them all (X, Threads, Bluesky, Mastodon).
            layout = "thread"
            out = self._thread(body, tags, link_line, cta, disclosure, limit)
        if tags:
            where = {"end": "at the end", "block": "as a block after the caption", "inline": "at the end",
                     "none": "at the end"}[style.hashtag_placement]  # fmt: skip
            changes.append(_say(lang, f"Hashtags: {len(tags)} from the draft's own words ({' '.join(tags)}), "
                                      f"{'CamelCase' if style.hashtag_style == 'camel' else 'lower case'}, {where}.",
                                f"Hashtags : {len(tags)} {'tiré' if len(tags) == 1 else 'tirés'} des mots du "
                                f"texte ({' '.join(tags)}), "
                                f"{'en CamelCase' if style.hashtag_style == 'camel' else 'en minuscules'}, en fin "
                                "de post."))  # fmt: skip
        elif parts.hashtags and (style.hashtag_style == "none" or n_tags == 0):
            changes.append(_say(lang, f"Removed hashtags: people on {platform.name} don't browse them, so they read "
                                      "as a caption pasted from elsewhere.",
                                f"Retiré les hashtags : sur {platform.name}, on ne les suit pas, ils trahissent une "
                                "légende recopiée d'ailleurs."))  # fmt: skip
        changes.append(self._layout_note(layout, platform, lang))
        return out, changes

    def _nlp(self, lang: str):
        try:
            return self.analyzer.nlp(lang)
        except Exception:  # key phrases fall back to word frequency
            return None

    @staticmethod
    def _hook(sentences: list[str], src: Source, style: RewriteStyle) -> int:
        """The sentence that leads, by the platform's hook strategy (knowledge base `rewrite.hook`)."""
        scores = src.scores

        def usable(i: int) -> bool:
            s = sentences[i]
            return (len(s) <= style.hook_max_chars and not WEAK_OPENERS.search(s) and not DEPENDENT_RE.search(s)
                    and not LIST_ITEM_RE.match(s))  # a list item ("3. The ask") needs its list

        candidates = [i for i in range(len(sentences)) if usable(i)]
        strategy = style.hook
        if strategy == "scene":
            # Visual platforms: the shortest central line, which reads as a caption under the picture; the figures
            # are said or shown in the video, and a call to action ("link in the comments") or a fragment ("One
            # only.") is no caption. Failing a short one, the most central line, cut to its first clause later.
            lines = [i for i in range(len(sentences)) if len(sentences[i]) >= 25
                     and not ACTION_LINE_RE.search(sentences[i]) and not WEAK_OPENERS.search(sentences[i])
                     and not DEPENDENT_RE.search(sentences[i]) and not LIST_ITEM_RE.match(sentences[i])]
            short = [i for i in lines if len(sentences[i]) <= style.hook_max_chars]
            pool = [i for i in short if not src.numbers[i]] or short
            if pool:
                top = sorted(pool, key=lambda i: -scores[i])[: max(2, len(pool) // 2)]
                return min(top, key=lambda i: len(sentences[i]))
            pool = [i for i in lines if not src.numbers[i]] or lines
            if pool:
                return max(pool, key=lambda i: scores[i])
        if not candidates:
            return 0
        if strategy == "question":
            # Community platforms: lead with the question people can answer, else with the news (a date, a number).
            questions = [i for i in candidates if sentences[i].rstrip().endswith("?")]
            if questions:
                return questions[0]
            news = [i for i in candidates if src.numbers[i]]
            return news[0] if news else candidates[0]
        if strategy == "insight":
            # Professional feeds: the takeaway (most central statement, ideally a result) on a line of its own.
            statements = [i for i in candidates if not sentences[i].rstrip().endswith("?")] or candidates
            return max(statements, key=lambda i: scores[i] + 0.25 * src.numbers[i] - len(sentences[i]) / 1000)
        if strategy == "number" and any(src.numbers[i] for i in candidates):
            # Fast feeds: the concrete fact first.
            return max((i for i in candidates if src.numbers[i]), key=lambda i: scores[i])
        if 0 in candidates:
            return 0
        return max(candidates, key=lambda i: scores[i] + 0.3 * src.numbers[i] + 0.2 * sentences[i].endswith("?"))

    @staticmethod
    def _select(sentences: list[str], src: Source, hook: int, budget: int, layout: str,
                keep_facts: bool = True) -> list[int]:
        """Indices to keep, hook first then original order: every fact-bearing sentence (unless the platform moves
        them to the voice-over), then the most central ones that fit the budget; a sentence that leans on the
        previous one ("But…", "It's that…") keeps it."""
        n = len(sentences)
        if layout == "thread":
            return [hook] + [i for i in range(n) if i != hook]  # a thread keeps everything, split into posts
        keep = {hook} | ({i for i in range(n) if src.facts[i]} if keep_facts else set())
        size = sum(len(sentences[i]) + 1 for i in keep)
        for i in sorted((i for i in range(n) if i not in keep), key=lambda i: -src.scores[i]):
            if not keep_facts and LIST_ITEM_RE.match(sentences[i]):
                continue  # a list (video chapters, steps) moves as a whole, not one item torn from it
            extra = [i] + ([i - 1] if i > 0 and i - 1 not in keep and DEPENDENT_RE.search(sentences[i]) else [])
            cost = sum(len(sentences[j]) + 1 for j in extra)
            if size + cost <= budget:
                keep.update(extra)
                size += cost
        for i in sorted(keep):  # a kept dependent sentence without its antecedent would not make sense
            if i > 0 and i - 1 not in keep and DEPENDENT_RE.search(sentences[i]):
                keep.add(i - 1)
        if hook > 0 and 0 in keep and not src.facts[0] and not src.names[0] and len(sentences[0]) < 60 \
                and not DEPENDENT_RE.search(sentences[1]):
            keep.discard(0)  # a fact-free teaser ("Big news this morning.") is replaced by the hook it announced
        # The hook's own follow-ups ("It's that …") stay right after it.
        lead = [hook]
        while lead[-1] + 1 in keep and DEPENDENT_RE.search(sentences[lead[-1] + 1]):
            lead.append(lead[-1] + 1)
        return lead + sorted(keep - set(lead))

    @staticmethod
    def _split_hook(sentences: list[str], src: Source, hook: int, max_chars: int) -> tuple[list[str], Source] | None:
        """A hook too long for an on-screen caption, cut after its first clause ("POV: you got the trainers 👟 | 1M+
        pairs sold…"): sentences and per-sentence measures with the hook in two, or None when it has no clean cut."""
        s = sentences[hook]
        if len(s) <= max_chars:
            return None
        def cuts_of(rx: re.Pattern) -> list[int]:
            return [m.end() for m in rx.finditer(s) if 25 <= m.end() <= max_chars and len(s) - m.end() >= 15]

        cuts = cuts_of(CLAUSE_END_RE) or cuts_of(COMMA_RE)
        if not cuts:
            return None
        head, tail = s[: cuts[-1]].rstrip(" ,;:—–"), s[cuts[-1] :].strip()

        def two(values: list) -> list:
            return values[:hook] + [values[hook], values[hook]] + values[hook + 1 :]

        numbers, facts = two(src.numbers), two(src.facts)
        (numbers[hook], facts[hook]), (numbers[hook + 1], facts[hook + 1]) = _fact_flags(head), _fact_flags(tail)
        return (sentences[:hook] + [head, tail] + sentences[hook + 1 :],
                replace(src, scores=two(src.scores), numbers=numbers, facts=facts, names=two(src.names)))

    @staticmethod
    def _lead(sentences: list[str], src: Source, hook: int, budget: int, key_fact: bool,
              follow: bool = True) -> list[int]:
        """The hook, with what it leans on, and (`key_fact`) the most central fact-bearing sentence that still fits
        the budget: the post says one thing, the rest goes where the platform keeps detail (reply, voice-over)."""
        keep = [hook]
        # What a hook ending on a colon announces comes with it; so does what leans on the hook ("It's that …",
        # "and the last sizes…") while the post stays within its budget. Past it, that follow-up continues the post
        # where the platform keeps the rest (the reply, the voice-over): the hook stands on its own.
        size = len(sentences[hook]) + 1
        while follow and keep[-1] + 1 < len(sentences):
            nxt = sentences[keep[-1] + 1]
            if not (sentences[keep[-1]].rstrip().endswith(":")
                    or (DEPENDENT_RE.search(nxt) and size + len(nxt) + 1 <= budget)):
                break
            keep.append(keep[-1] + 1)
            size += len(nxt) + 1
        if hook > 0 and DEPENDENT_RE.search(sentences[hook]):
            keep.insert(0, hook - 1)
        size = sum(len(sentences[i]) + 1 for i in keep)
        if key_fact and not any(src.numbers[i] for i in keep):
            facts = sorted((i for i in range(len(sentences)) if i not in keep and src.facts[i]
                            and not LIST_ITEM_RE.match(sentences[i])), key=lambda i: -src.scores[i])
            fact = next((i for i in facts if size + len(sentences[i]) + 1 <= budget), None)
            if fact is None and not any(src.facts):  # nothing to report: the most central line says what it is about
                fact = next((i for i in sorted(range(len(sentences)), key=lambda i: -src.scores[i])
                             if i not in keep and not LIST_ITEM_RE.match(sentences[i])
                             and size + len(sentences[i]) + 1 <= budget), None)  # fmt: skip
            if fact is not None:
                teaser = len(keep) == 1 and not src.facts[hook] and not src.names[hook] and len(sentences[hook]) < 60
                keep = [fact] if teaser else keep + [fact]  # "Big news this morning." gives way to the news
        return keep

    @staticmethod
    def _opener(style: RewriteStyle, lang: str, src: Source, body: list[str]) -> str:
        """A framing phrase from the knowledge base (`rewrite.openers`), chosen by the draft so that it is stable.
        When the hook already is a question, it is the opener, at most after a greeting (`rewrite.question_openers`,
        none by default): "Hi everyone 👋" belongs before a question to the community, "Quick news" does not."""
        options = style.openers.get(lang) or []
        if body and style.hook == "question" and QUESTION_END_RE.search(body[0]):
            options = style.question_openers.get(lang) or []
        if not options or not body:
            return ""
        return options[zlib.crc32(" ".join(src.sentences).encode()) % len(options)]

    @staticmethod
    def _hook_note(strategy: str, platform: Platform, lang: str) -> str:
        notes = {
            "insight": ("Led with the takeaway on a line of its own: on {p} the first line has to earn the "
                        "“see more”.",
                        "Ouvert sur l'idée clé, seule sur sa ligne : sur {p}, la première ligne doit donner envie "
                        "de cliquer sur « voir plus »."),
            "question": ("Led with the news people can react to: on {p} the first line must stand on its own "
                         "before the fold.",
                         "Ouvert sur l'info à laquelle on peut réagir : sur {p}, la première ligne doit se suffire "
                         "avant le repli."),
            "number": ("Put the concrete fact first: {p} is read at scrolling speed.",
                       "Placé le fait concret en tête : sur {p}, on lit en faisant défiler."),
            "scene": ("Opened on the shortest telling line, as a caption under the picture on {p}.",
                      "Ouvert sur la phrase la plus courte et parlante, comme une légende sous l'image sur {p}."),
            "first": ("Moved the strongest line to the top: {p} readers decide in the first words.",
                      "Placé la phrase la plus forte en tête : sur {p}, tout se joue dans les premiers mots."),
        }  # fmt: skip
        en, fr = notes.get(strategy, notes["first"])
        return _say(lang, en, fr).format(p=platform.name)

    @staticmethod
    def _register_note(register: str, platform: Platform, lang: str) -> str:
        if register == "spoken":
            return _say(lang, f"Written the way it would be said out loud ({platform.name} captions echo the "
                              "voice-over): contractions, lower-case start, no full stop.",
                        f"Écrit comme on le dirait à voix haute (sur {platform.name}, la légende fait écho à la "
                        "voix off) : « on » plutôt que « nous », minuscule au début, pas de point final.")
        return _say(lang, f"Conversational wording (contractions, “we're”, “it's”): {platform.name} is a "
                          "conversation with people, not an announcement.",
                    f"Ton de conversation (« on » plutôt que « nous ») : sur {platform.name}, on parle aux gens, "
                    "on ne publie pas un communiqué.")  # fmt: skip

    @staticmethod
    def _links(parts: Parts, style: RewriteStyle, lang: str, platform: Platform) -> tuple[str, str]:
        if not parts.links:
            return "", ""
        urls = " ".join(parts.links)
        if style.links in ("bio", "first_comment"):
            line = LINK_WORDS[style.links][lang]
            where = {"bio": _say(lang, "your profile bio", "la bio du profil"),
                     "first_comment": _say(lang, "the first comment", "le premier commentaire")}[style.links]
            note = _say(lang, f"Links are not clickable in {platform.name} posts: put {urls} in {where}.",
                        f"Les liens ne sont pas cliquables dans les posts {platform.name} : mettez {urls} dans "
                        f"{where}.")  # fmt: skip
            return line, note
        if style.links == "none":
            note = _say(lang, f"{platform.name} has no clickable links: share {urls} another way (profile, reply).",
                        f"{platform.name} n'a pas de liens cliquables : partagez {urls} autrement (profil, réponse).")
            return "", note
        return urls, ""

    @staticmethod
    def _layout_note(layout: str, platform: Platform, lang: str) -> str:
        notes = {
            "paragraphs": ("Short paragraphs with line breaks: {p} readers skim on mobile.",
                           "Paragraphes courts et aérés : sur {p}, on lit en diagonale sur mobile."),
            "caption": ("A caption that hooks before the “more” cut, then the hashtag block.",
                        "Une légende qui accroche avant le « plus », puis le bloc de hashtags."),
            "thread": ("Split into numbered posts within {p}'s character limit.",
                       "Découpé en posts numérotés dans la limite de caractères de {p}."),
            "title_description": ("A searchable title line, then a description: {p} is a search engine.",
                                  "Un titre qu'on trouve en recherche, puis une description : {p} est un moteur "
                                  "de recherche."),
            "conversational": ("Plain, first-person and conversational, ending on a real question: {p} rewards talk, "
                               "not ads.",
                               "Un ton simple, à la première personne, qui finit sur une vraie question : {p} "
                               "récompense la conversation, pas la pub."),
            "short": ("Kept short and direct, as posts on {p} are.", "Court et direct, comme les posts sur {p}."),
        }  # fmt: skip
        en, fr = notes[layout]
        return _say(lang, en, fr).format(p=platform.name)

    def _layout(self, layout, body, tags, link_line, cta, disclosure, style, lang, limit) -> str:
        tag_line = " ".join(tags)
        if layout == "thread":
            return self._thread(body, tags, link_line, cta, disclosure, limit)
        if layout == "title_description":
            title = body[0].rstrip(".!")
            if len(title) > style.hook_max_chars:
                title = title[: style.hook_max_chars - 1].rsplit(" ", 1)[0] + "…"
            desc = _join(body[1:]) if len(body) > 1 else body[0]
            blocks = [title, desc]
            if link_line:
                blocks.append(link_line)
            blocks += [x for x in (cta, tag_line, disclosure) if x]
            return self._fit("\n\n".join(blocks), limit)
        if layout == "paragraphs":
            # Paragraphs of at most `paragraph_sentences` sentences (and about 300 characters): one idea per
            # line on LinkedIn, small blocks of a few sentences on Facebook. A list (steps, video chapters) is one
            # block, an item per line.
            paras, cur, count, in_list = [], "", 0, False
            for s in body[1:]:
                item = bool(LIST_ITEM_RE.match(s))
                if item and in_list:
                    cur += "\n" + s
                    continue
                if cur and (item or in_list or count >= style.paragraph_sentences or len(cur) + len(s) > 300):
                    paras.append(cur)
                    cur, count = s, 1
                else:
                    cur, count = _join([cur, s]) if cur else s, count + 1
                in_list = item
            if cur:
                paras.append(cur)
            blocks = ([disclosure] if disclosure else []) + [body[0], *paras]
            blocks += [x for x in (link_line, cta, tag_line) if x]
            return self._fit("\n\n".join(blocks), limit)
        if layout == "caption" and style.hashtag_placement != "block":
            # A short-video caption (TikTok): the line that goes with the video, then the prompt to join in with the
            # hashtags on the same breath.
            line = _join(([disclosure] if disclosure else []) + body)
            prompt = " ".join(x for x in (cta, link_line, tag_line) if x)
            return self._fit("\n".join(x for x in (line, prompt) if x), limit)
        if layout == "caption":
            head = ([disclosure] if disclosure else []) + [body[0]]
            rest = _join(body[1:])
            blocks = [" ".join(head), rest] if rest else [" ".join(head)]
            blocks += [x for x in (cta, link_line) if x]
            text = "\n\n".join(b for b in blocks if b)
            return self._fit(text + ("\n.\n.\n" + tag_line if tag_line and style.hashtag_placement == "block"
                                     else ("\n\n" + tag_line if tag_line else "")), limit)  # fmt: skip
        if layout == "conversational":
            blocks = [_join(body)]
            blocks += [x for x in (link_line, cta, tag_line, disclosure) if x]
            return self._fit("\n\n".join(blocks), limit)
        # short: one breath, one block, as posts on X or Bluesky read
        text = " ".join(x for x in (disclosure, _join(body), link_line, cta, tag_line) if x)
        return self._fit(text, limit)

    @staticmethod
    def _fit(text: str, limit: int) -> str:
        """Never exceed the platform's hard limit: cut at a word boundary if compression was not enough."""
        if len(text) <= limit:
            return text
        return text[: limit - 1].rsplit(" ", 1)[0] + "…"

    @staticmethod
    def _thread(body, tags, link_line, cta, disclosure, limit, opener: int = 0) -> str:
        """Numbered posts within `limit`; the first `opener` sentences, when given, make the first post alone."""
        tail = " ".join(x for x in (link_line, " ".join(tags), disclosure) if x)
        pieces = [s for s in body]
        if cta:
            pieces.append(cta)
        total = " ".join(pieces + ([tail] if tail else []))
        if len(total) <= limit and not opener:
            return "\n\n".join(x for x in (" ".join(pieces), tail) if x)
        posts, cur = [], ""
        room = limit - 8  # leave space for the " 1/n" numbering
        first = " ".join(pieces[:opener])
        if opener and len(first) <= room:
            posts, pieces = [first], pieces[opener:]
        for s in pieces:
            if len(s) > room:
                s = s[: room - 1].rsplit(" ", 1)[0] + "…"
            if cur and len(cur) + 1 + len(s) > room:
                posts.append(cur)
                cur = s
            else:
                cur = f"{cur} {s}".strip()
        if cur:
            posts.append(cur)
        if tail:
            if len(posts[-1]) + 1 + len(tail) <= room:
                posts[-1] = f"{posts[-1]} {tail}"
            else:
                posts.append(tail)
        n = len(posts)
        return "\n\n".join(f"{p} {i}/{n}" for i, p in enumerate(posts, 1))
