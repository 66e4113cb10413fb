"""Register: how a sentence sounds on a platform — written (LinkedIn, X), conversational (Facebook, Instagram) or
spoken (TikTok, read like a voice-over). Word-level changes only: facts, names and meaning stay put.

- conversational: English contractions ("we are" → "we're"); French subject "nous" → "on" for common verbs
  ("nous avons" → "on a"), the way people write to their community.
- spoken: the same, plus a lower-case start and no full stop at the end, as captions are typed.
- announcement hype ("We are thrilled to announce that …") is cut where the register is written or spoken: LinkedIn
  and TikTok audiences scroll past press-release openers; a conversational post may keep its warmth.
"""

from __future__ import annotations

import re

# Contractions only before another word: "that's what it is" must not become "that's what it's".
_EN_CONTRACTIONS = {
    "we are": "we're", "we will": "we'll", "you are": "you're", "you will": "you'll", "they are": "they're",
    "i am": "I'm", "i will": "I'll", "it is": "it's", "that is": "that's", "there is": "there's",
    "here is": "here's", "what is": "what's", "who is": "who's", "let us": "let's", "do not": "don't",
    "does not": "doesn't", "did not": "didn't", "is not": "isn't", "are not": "aren't", "was not": "wasn't",
    "were not": "weren't", "cannot": "can't", "can not": "can't", "will not": "won't", "would not": "wouldn't",
    "should not": "shouldn't", "have not": "haven't", "has not": "hasn't", "could not": "couldn't",
}  # fmt: skip
_EN_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in _EN_CONTRACTIONS) + r")\b(?=\s+[\w“\"'])", re.I)

# "nous <verb>" → "on <verb>": the third-person form of the verbs announcements use most. Verbs not listed keep
# "nous" (a wrong conjugation would be worse than a formal one).
_FR_ON = {
    "sommes": "est", "avons": "a", "allons": "va", "serons": "sera", "aurons": "aura", "faisons": "fait",
    "pouvons": "peut", "voulons": "veut", "devons": "doit", "savons": "sait", "venons": "vient",
    "prenons": "prend", "mettons": "met", "disons": "dit", "voyons": "voit", "attendons": "attend",
    "ouvrons": "ouvre", "offrons": "offre", "accueillons": "accueille", "recrutons": "recrute",
    "organisons": "organise", "lançons": "lance", "proposons": "propose", "cherchons": "cherche",
    "comptons": "compte", "espérons": "espère", "passons": "passe", "aimons": "aime", "invitons": "invite",
    "remercions": "remercie", "préparons": "prépare", "partageons": "partage", "fêtons": "fête",
    "célébrons": "célèbre", "travaillons": "travaille", "avançons": "avance", "continuons": "continue",
    "donnons": "donne", "gardons": "garde", "changeons": "change", "testons": "teste", "publions": "publie",
    "rejoignons": "rejoint", "finissons": "finit", "choisissons": "choisit", "réunissons": "réunit",
    "ouvrirons": "ouvrira", "lancerons": "lancera", "accueillerons": "accueillera", "pensons": "pense",
    "croyons": "croit", "restons": "reste", "rouvrons": "rouvre", "installons": "installe", "cuisons": "cuit",
    "vendons": "vend", "fermons": "ferme", "relançons": "relance", "collectons": "collecte",
}  # fmt: skip
_FR_RE = re.compile(
    r"\b([Nn])ous\s+(?:(ne|n['’])\s*)?((?:nous|vous|les|leur|lui|en|y|l['’]|te|se)\s*)?("
    + "|".join(_FR_ON) + r")\b"
)
_VOWEL = re.compile(r"^[aeiouyéèêàâîôûh]", re.I)

HYPE_RE = {
    "en": re.compile(
        r"^(?:we are|we're|i am|i'm)\s+(?:so\s+|very\s+|really\s+)?(?:thrilled|excited|delighted|proud|happy|pleased)"
        r"\s+to\s+(?:announce|share|tell you|let you know)\s+(?:that\s+)?", re.I),
    "fr": re.compile(
        r"^(?:nous sommes|je suis|on est)\s+(?:très\s+|si\s+)?(?:ravie?s?|heureux|heureuses?|fiers?|fières?)\s+"
        r"(?:de\s+|d['’])(?:vous\s+)?(?:annoncer|partager|présenter)\s+(?:que\s+|qu['’])?", re.I),
}  # fmt: skip
# A sentence that leans on the one before it ("It's that …", "But …"): kept only with its predecessor.
DEPENDENT_RE = re.compile(
    r"^(?:it's that|it is that|that's why|this is why|this means|which|but|so|because|and|also|then|"
    r"c'est (?:que|pour ça)|mais|donc|car|et|alors|du coup|ce qui)\b", re.I)  # fmt: skip


def _cap(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def contract_en(sentence: str) -> str:
    return _EN_RE.sub(lambda m: _cap(m.group(1), _EN_CONTRACTIONS[m.group(1).lower()]), sentence)


def on_fr(sentence: str) -> str:
    def repl(m: re.Match) -> str:
        neg, obj, verb = m.group(2), (m.group(3) or "").strip(), _FR_ON[m.group(4)]
        words = ["On" if m.group(1) == "N" else "on"]
        nxt = obj or verb
        if neg:
            words.append("n'" if _VOWEL.match(nxt) else "ne ")
        if obj:
            if obj in ("se", "te") and _VOWEL.match(verb):
                obj = obj[0] + "'"
            words.append(obj if obj.endswith(("'", "’")) else obj + " ")
        out = words[0] + " " + "".join(words[1:]) + verb
        return out.replace("' ", "'")

    return _FR_RE.sub(repl, sentence.replace("nous nous", "nous se").replace("Nous nous", "Nous se"))


def cut_hype(sentence: str, lang: str) -> str:
    """'We are thrilled to announce that our café opens' → 'Our café opens' (unchanged when nothing is left)."""
    rx = HYPE_RE.get(lang)
    rest = rx.sub("", sentence, count=1) if rx else sentence
    if rest == sentence or len(rest) < 12:
        return sentence
    return rest[:1].upper() + rest[1:]


def apply_register(sentence: str, register: str, lang: str) -> str:
    if register == "written":
        return sentence
    if lang == "en":
        return contract_en(sentence)
    if lang == "fr":
        return on_fr(sentence)
    return sentence


def lower_start(text: str, common: set[str]) -> str:
    """Lower-case the first letter when the first word is an ordinary word, never a name."""
    m = re.match(r"[^\W\d_][\w'’-]*", text)
    if m and m.group(0).lower() in common and not m.group(0).isupper():
        return text[:1].lower() + text[1:]
    return text
