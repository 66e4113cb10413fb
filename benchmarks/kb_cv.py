"""Cross-validation of the principle detector on the knowledge base itself: how well it generalises to phrasing it
has not seen, measured without any evaluation data.

Each of five folds is held out in turn; a model is trained on the rest exactly as the engine trains (its thresholds
calibrated by its own inner cross-validation) and scores the held-out texts (an exemplar's label is its principle,
a near-miss has none). Two readings:
- plain: the held-out texts as they are (short, one principle each);
- composite: held-out texts joined into longer drafts, as real drafts mix a principle with plain content or with
  another principle: an exemplar with one or two near-misses of its language, two exemplars of different principles
  (labels: the union), or two near-misses (no label). Cue counts of a composite are the sum of its parts'.
The embedding model runs on the composites (cached in the cache directory).

Usage: PYTHONPATH=. python benchmarks/kb_cv.py [--config config.yaml] [--folds 5]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from bot.analysis.engine import Analyzer
from bot.analysis.principles import PrincipleModel, training_texts
from bot.config import load_settings
from bot.knowledge.model import PRINCIPLE_IDS
from bot.progress import Progress


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=None)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    t0 = time.time()
    an = Analyzer(load_settings(args.config))
    ids = list(PRINCIPLE_IDS)
    texts, owner, is_ex, langs = training_texts(an.kb)
    langs = np.array(langs)
    emb = an._embed_cached(texts, "principles")
    counts = np.array([[c.get(pid, 0) for pid in ids] for c in an.count_cues(texts, list(langs))])
    fold = np.random.default_rng(123).integers(0, args.folds, size=len(texts))

    def composites(idx, rng):
        out = []
        for lang in ("en", "fr"):
            ex = [i for i in idx if is_ex[i] and langs[i] == lang]
            nm = [i for i in idx if not is_ex[i] and langs[i] == lang]
            for i in ex:
                parts = [i, *rng.choice(nm, size=rng.integers(1, 3), replace=False)]
                rng.shuffle(parts)
                out.append((parts, {owner[i]}))
            for _ in range(len(ex) // 2):
                a, b = rng.choice(ex, size=2, replace=False)
                if owner[a] != owner[b]:
                    parts = [a, b] + ([rng.choice(nm)] if rng.random() < 0.5 else [])
                    rng.shuffle(parts)
                    out.append((parts, {owner[a], owner[b]}))
            for _ in range(len(nm) // 2):
                out.append((list(rng.choice(nm, size=2, replace=False)), set()))
        return out

    totals = {(kind, lang): np.zeros((3, len(ids))) for kind in ("plain", "composite") for lang in ("en", "fr")}
    bar = Progress(args.folds, "folds")
    for k in range(args.folds):
        train, test = np.where(fold != k)[0], np.where(fold == k)[0]
        comps = composites(list(test), np.random.default_rng(1000 + k))
        ctexts = ["\n\n".join(texts[i] for i in parts) for parts, _ in comps]
        model = PrincipleModel.trained_on([texts[i] for i in train], owner[train], is_ex[train], emb[train],
                                          counts[train])  # fmt: skip
        runs = {
            "plain": (model.scores([texts[i] for i in test], emb[test], counts[test]),
                      np.array([[is_ex[i] and owner[i] == j for j in range(len(ids))] for i in test]), langs[test]),
            "composite": (model.scores(ctexts, an.embedder.encode_cached(ctexts, f"kbcv-composites{k}"),
                                       np.array([counts[parts].sum(axis=0) for parts, _ in comps])),
                          np.array([[j in gold for j in range(len(ids))] for _, gold in comps]),
                          np.array([langs[parts[0]] for parts, _ in comps])),
        }  # fmt: skip
        for kind, (score, gold, lg) in runs.items():
            pred = score >= 0.5
            for lang in ("en", "fr"):
                m = lg == lang
                p, g = pred[m], gold[m]
                totals[(kind, lang)] += np.array([(p & g).sum(0), (p & ~g).sum(0), (~p & g).sum(0)])
        bar.advance()
    bar.close()

    def prf(tp, fp, fn):
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        return p, r, 2 * p * r / max(p + r, 1e-9)

    for kind in ("plain", "composite"):
        both = totals[(kind, "en")] + totals[(kind, "fr")]
        p, r, f = prf(*both.sum(axis=1))
        langs_line = "  ".join(f"{lang} R {prf(*totals[(kind, lang)].sum(axis=1))[1]:.3f}" for lang in ("en", "fr"))
        print(f"{kind:9s} micro P {p:.3f} R {r:.3f} F1 {f:.3f}   {langs_line}")
        for j, pid in enumerate(ids):
            p, r, f = prf(*both[:, j])
            print(f"  {pid:13s} P {p:.3f} R {r:.3f} F1 {f:.3f}   fr R {prf(*totals[(kind, 'fr')][:, j])[1]:.3f}")
    print(f"{time.time() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
