"""The digest's chart: average fit per platform, this period next to the previous one (grouped bars, PNG).

matplotlib's Agg backend draws without a display (servers have none) and is selected on the figure itself, so
nothing global is switched for other users of matplotlib in the process. The digest text stays complete without
the chart: its numbers are in the message and in the alt text.
"""

from __future__ import annotations

import io

from bot.digest.model import Digest
from bot.digest.render import unit

COLOURS = ("#4a5fc1", "#c4c9de")  # this period, previous period
LEGEND = {"en": ("this {unit}", "previous {unit}"), "fr": ("cette {unit}", "{unit} précédente")}
TITLE = {"en": "Average platform fit (0–100)", "fr": "Adéquation moyenne par plateforme (sur 100)"}


def fit_chart(d: Digest) -> bytes | None:
    """PNG bytes, or None when no post of the period has a fit (nothing to draw)."""
    rows = [p for p in d.platforms if p.fit is not None]
    if not rows:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lang = d.lang if d.lang in LEGEND else "en"
    per = unit(d)
    fig = Figure(figsize=(max(5.0, 0.9 * len(rows) + 2), 3.6), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = range(len(rows))
    width = 0.38
    now = ax.bar([x - width / 2 for x in xs], [p.fit for p in rows], width, color=COLOURS[0],
                 label=LEGEND[lang][0].format(unit=per))  # fmt: skip
    before = ax.bar([x + width / 2 for x in xs], [p.previous or 0 for p in rows], width, color=COLOURS[1],
                    label=LEGEND[lang][1].format(unit=per))  # fmt: skip
    ax.bar_label(now, labels=[f"{p.fit:.0f}" for p in rows], fontsize=8, padding=2)
    ax.bar_label(before, labels=["" if p.previous is None else f"{p.previous:.0f}" for p in rows], fontsize=8,
                 padding=2, color="#666")  # fmt: skip
    ax.set_xticks(list(xs), [p.name for p in rows], rotation=30 if len(rows) > 5 else 0, ha="right"
                  if len(rows) > 5 else "center", fontsize=9)  # fmt: skip
    ax.set_ylim(0, 110)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_title(TITLE[lang], fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="upper right", ncols=2)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
