"""The default rewrite engine: adapt a draft to one platform's culture without inventing or losing facts.

Driven by each platform's `rewrite` style in the knowledge base (target length, hook length, layout, hashtag
count/style/placement, link policy, emoji policy, call to action, disclosure label), not by code per platform.
Steps: clean (take out hashtags, links, engagement bait and other platforms' leftovers) → rank sentences
(centrality + facts) → pick the hook → fit the length (compress, or split into a numbered thread) → lay out →
hashtags from the draft's own key phrases → links, call to action, disclosure → check the result's fit again.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from bot.analysis.report import Report, Rewrite
from bot.knowledge.model import Platform, RewriteStyle, pick
from bot.nlp import split_sentences
from bot.rewrite.facts import NUMBER_RE, extract_facts
from bot.text import EMOJI_RE, HASHTAG_RE, MENTION_RE, URL_RE, strip_accents

SPONSORED_RE = re.compile(
    r"#(?:ad|ads|sponsored|sponsoris[ée]e?|pub|partenariat|collab|partner)\b|\bpaid partnership\b|\bsponsored by\b|"
    r"\bpartenariat (?:rémunéré|commercial)|\ben partenariat avec\b|\bcollaboration commerciale\b|\bsponsoris[ée]",
    re.I,
)
# Phrases that belong to another platform and betray a copy-paste ("link in bio" on LinkedIn, "RT" on Instagram).
LEFTOVER_RE = re.compile(
    r"\b(?:link in (?:my |our )?bio|lien en bio|lien dans (?:la|ma|notre) bio|swipe up|glisse[zr]? vers le haut|"
    r"double[- ]tap|see more below|tap the link|RT|retweet(?:ez)?|check (?:out )?(?:my|our) story)\b[^.!?\n]*",
    re.I,
)
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
        notes.append(_say(lang, f"Removed “{leftovers[0][:40]}”, a leftover from another platform.",
                          f"Retiré « {leftovers[0][:40]} », un reste d'une autre plateforme."))  # fmt: skip
    sentences = []
    for start, end in split_sentences(body):
        s = re.sub(r"[ \t]+", " ", body[start:end]).strip(" -–—•·|")
        if lang == "en":  # French keeps its space before ? ! : ;
            s = re.sub(r"\s+([.,!?;:])", r"\1", s)
        if re.search(r"\w", s):
            sentences.append(s)
    return Parts(lang, sentences, tags, links, sponsored, emoji, notes)


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


def key_phrases(parts: Parts, nlp=None, limit: int = 8) -> list[str]:
    """Candidate hashtags from the draft's own words: its hashtags first, then noun chunks or frequent words."""
    out: list[str] = []
    seen = set()

    def add(phrase: str):
        key = strip_accents(phrase.lower()).replace(" ", "")
        if key and key not in seen and len(key) <= 30:
            seen.add(key)
            out.append(phrase)

    for t in parts.hashtags:
        add(t)
    text = " ".join(parts.sentences)
    if nlp is not None and nlp.has_pipe("parser"):
        doc = nlp(text)
        chunks = Counter()
        for chunk in doc.noun_chunks:
            words = [t.text for t in chunk if not t.is_stop and t.is_alpha]
            if 1 <= len(words) <= 2 and not any(t.pos_ == "PRON" for t in chunk):
                chunks[" ".join(words)] += 1
        for phrase, _ in chunks.most_common(limit * 2):
            add(phrase)
    freq = Counter(w for s in parts.sentences for w in re.findall(r"[^\W\d_][\w'-]{3,}", s)
                   if w.lower() not in STOP)  # fmt: skip
    for word, _ in freq.most_common(limit * 3):
        add(word)
    return out[: limit * 2]


def format_hashtag(phrase: str, style: str) -> str:
    words = re.findall(r"[^\W_]+", phrase)
    if style == "camel":
        body = "".join(w[:1].upper() + w[1:] for w in words)
    else:
        body = "".join(w.lower() for w in words)
    return "#" + body if body else ""


def _trim_emoji(text: str, budget: int) -> str:
    count = 0

    def keep(m):
        nonlocal count
        count += 1
        return m.group(0) if count <= budget else ""

    return re.sub(r" {2,}", " ", EMOJI_RE.sub(keep, text)).strip()


class DeterministicRewriter:
    def __init__(self, analyzer):
        self.analyzer = analyzer

    def rewrite(self, report: Report, pid: str) -> Rewrite:
        platform = self.analyzer.kb.platforms[pid]
        lang = report.language
        best, best_errors = None, True
        # Try the full plan first, then tighter ones if the result does not fit the platform.
        for tighten in (0, 1, 2):
            text, changes = self.compose(report.text, lang, platform, tighten)
            fit, errors = self.analyzer.platform_fit(text, lang, pid)
            candidate = Rewrite(pid, text, changes, fit)
            if best is None or (not errors and (fit > best.fit or best_errors)):
                best, best_errors = candidate, errors
            if fit >= 75 and not errors:
                break
        return best

    # Composition ---------------------------------------------------------------------------------------------
    def compose(self, text: str, lang: str, platform: Platform, tighten: int = 0) -> tuple[str, list[str]]:
        style = platform.rewrite
        parts = decompose(text, lang)
        changes = list(parts.notes)
        sentences = parts.sentences or [text.strip()]
        scores = rank_sentences(sentences)
        hook_idx = self._hook(sentences, scores, style)
        if hook_idx != 0:
            changes.append(_say(lang, f"Moved the strongest line to the top: {platform.name} readers decide in the "
                                      "first words.",
                                f"Placé la phrase la plus forte en tête : sur {platform.name}, tout se joue dans les "
                                "premiers mots."))  # fmt: skip
        order = [hook_idx] + [i for i in range(len(sentences)) if i != hook_idx]
        budget = int(style.target_chars * (1.0 - 0.2 * tighten))
        limit = platform.max_chars or 100_000
        layout = style.layout
        kept = self._select(sentences, scores, order, budget, layout)
        if len(kept) < len(sentences):
            changes.append(_say(lang, f"Shortened to about {style.target_chars} characters, the length that works on "
                                      f"{platform.name}, keeping the central sentences and every fact.",
                                f"Raccourci à environ {style.target_chars} caractères, la longueur qui marche sur "
                                f"{platform.name}, en gardant les phrases centrales et tous les faits."))  # fmt: skip
        body = [_trim_emoji(sentences[i], EMOJI_BUDGET[style.emoji]) for i in kept]
        body = [b for b in body if b]
        if style.emoji == "none" and parts.emoji:
            changes.append(_say(lang, f"Removed emoji: {platform.name} reads them as marketing.",
                                f"Retiré les émojis : sur {platform.name}, ils font marketing."))  # fmt: skip
        n_tags = max(0, style.hashtag_count - tighten) if style.hashtag_style != "none" else 0
        tags = [format_hashtag(p, style.hashtag_style) for p in key_phrases(parts, self._nlp(lang))]
        tags = [t for t in dict.fromkeys(tags) if len(t) > 2][:n_tags]
        link_line, link_note = self._links(parts, style, lang, platform)
        if link_note:
            changes.append(link_note)
        cta = pick(style.cta, lang)
        ends_with_question = body and body[-1].rstrip().endswith("?")
        if cta and not ends_with_question:
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
                                f"Hashtags : {len(tags)} tirés des mots du texte ({' '.join(tags)}), "
                                f"{'en CamelCase' if style.hashtag_style == 'camel' else 'en minuscules'}, en fin "
                                "de post."))  # fmt: skip
        elif parts.hashtags and style.hashtag_style == "none":
            changes.append(_say(lang, f"Removed hashtags: they read as spam on {platform.name}.",
                                f"Retiré les hashtags : sur {platform.name}, ils font spam."))  # fmt: skip
        changes.append(self._layout_note(layout, platform, lang))
        return out, changes

    def _nlp(self, lang: str):
        try:
            return self.analyzer.nlp(lang)
        except Exception:  # key phrases fall back to word frequency
            return None

    @staticmethod
    def _hook(sentences: list[str], scores: list[float], style: RewriteStyle) -> int:
        first = sentences[0]
        if len(first) <= style.hook_max_chars and not WEAK_OPENERS.search(first):
            return 0
        candidates = [i for i, s in enumerate(sentences)
                      if len(s) <= style.hook_max_chars and not WEAK_OPENERS.search(s)]  # fmt: skip
        if not candidates:
            return 0
        # Prefer a concrete line (a number) or a question; otherwise the most central one.
        return max(candidates, key=lambda i: scores[i] + 0.3 * bool(NUMBER_RE.search(sentences[i]))
                   + 0.2 * sentences[i].endswith("?"))  # fmt: skip

    @staticmethod
    def _select(sentences, scores, order, budget, layout) -> list[int]:
        """Indices to keep, hook first then original order: all fact-bearing sentences, then central ones."""
        if layout == "thread":
            return order  # a thread keeps everything, split into numbered posts
        keep = [order[0]]
        size = len(sentences[order[0]])
        facts = [i for i in order[1:] if NUMBER_RE.search(sentences[i]) or URL_RE.search(sentences[i])
                 or MENTION_RE.search(sentences[i])]  # fmt: skip
        others = sorted((i for i in order[1:] if i not in facts), key=lambda i: -scores[i])
        for i in facts:
            keep.append(i)
            size += len(sentences[i]) + 1
        for i in others:
            if size + len(sentences[i]) + 1 <= budget:
                keep.append(i)
                size += len(sentences[i]) + 1
        return [order[0]] + sorted(i for i in keep[1:])

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
            desc = " ".join(body[1:]) if len(body) > 1 else body[0]
            blocks = [title, desc]
            if link_line:
                blocks.append(link_line)
            blocks += [x for x in (cta, tag_line, disclosure) if x]
            return self._fit("\n\n".join(blocks), limit)
        if layout == "paragraphs":
            paras, cur = [], ""
            for s in body[1:]:
                if cur and len(cur) + len(s) > 220:
                    paras.append(cur)
                    cur = s
                else:
                    cur = f"{cur} {s}".strip()
            if cur:
                paras.append(cur)
            blocks = ([disclosure] if disclosure else []) + [body[0], *paras]
            blocks += [x for x in (link_line, cta, tag_line) if x]
            return self._fit("\n\n".join(blocks), limit)
        if layout == "caption" and style.target_chars <= 300:
            # A short-video caption (TikTok): one compact block, hashtags on the same breath.
            parts = ([disclosure] if disclosure else []) + body + [x for x in (cta, link_line, tag_line) if x]
            return self._fit(" ".join(parts), limit)
        if layout == "caption":
            head = ([disclosure] if disclosure else []) + [body[0]]
            rest = " ".join(body[1:])
            blocks = [" ".join(head), rest] if rest else [" ".join(head)]
            blocks += [x for x in (cta, link_line) if x]
            text = "\n\n".join(b for b in blocks if b)
            return self._fit(text + ("\n.\n.\n" + tag_line if tag_line and style.hashtag_placement == "block"
                                     else ("\n\n" + tag_line if tag_line else "")), limit)  # fmt: skip
        if layout == "conversational":
            blocks = [" ".join(body)]
            blocks += [x for x in (link_line, cta, tag_line, disclosure) if x]
            return self._fit("\n\n".join(blocks), limit)
        # short
        text = " ".join(([disclosure] if disclosure else []) + body)
        extras = " ".join(x for x in (link_line, cta, tag_line) if x)
        return self._fit(f"{text}\n\n{extras}" if extras else text, limit)

    @staticmethod
    def _fit(text: str, limit: int) -> str:
        """Never exceed the platform's hard limit: cut at a word boundary if compression was not enough."""
        if len(text) <= limit:
            return text
        return text[: limit - 1].rsplit(" ", 1)[0] + "…"

    @staticmethod
    def _thread(body, tags, link_line, cta, disclosure, limit) -> str:
        tail = " ".join(x for x in (link_line, " ".join(tags), disclosure) if x)
        pieces = [s for s in body]
        if cta:
            pieces.append(cta)
        total = " ".join(pieces + ([tail] if tail else []))
        if len(total) <= limit:
            return "\n\n".join(x for x in (" ".join(pieces), tail) if x)
        posts, cur = [], ""
        room = limit - 8  # leave space for the " 1/n" numbering
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
