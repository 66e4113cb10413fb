"""Crowdculture: a colleague in Slack who knows each platform's culture and the seven influence principles."""

import os

__version__ = "0.1.0"

# OpenMP threads (torch's) sleep rather than spin while they wait. On a machine shared with other work, spinning
# threads fight for the cores: encoding ran 4.5x slower (36 vs 164 drafts/s at two threads, load 3 on 2 cores).
# Set here because torch is imported early (spaCy's thinc imports it) and OpenMP reads this once, at load.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
