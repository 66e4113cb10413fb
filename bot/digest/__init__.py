"""The weekly digest: what the team posted, where copy-paste was caught, how platform fit moved.

- aggregate.py  `build_digest(store, kb, since, until, channel=None, workspace=None, lang="en")` → Digest
- copypaste.py  cross-platform copy / light edit / adapted pairs without comparing every pair
- model.py      the Digest (plain data, `.to_dict()`, `.blocks()`, `.text()`)
- render.py     Block Kit and plain text from the same sections; chart.py the PNG chart
- period.py     weeks in the team's time zone
- send.py       post once per channel and week (claimed in the database first)
- schedule.py   `start_digest_scheduler(settings, service, store, client_factory)` for `crowdculture serve`
- command.py    the `crowdculture digest` verb
"""

from bot.digest.aggregate import build_digest
from bot.digest.command import cmd_digest
from bot.digest.model import Digest
from bot.digest.schedule import start_digest_scheduler
from bot.digest.send import SendResult, send_digest

__all__ = ["Digest", "SendResult", "build_digest", "cmd_digest", "send_digest", "start_digest_scheduler"]
