"""Modals and the App Home tab, each written once and filled from the knowledge base and the store."""

from __future__ import annotations

from bot.knowledge.model import KnowledgeBase
from bot.slack import ids
from bot.slack.blocks import context, cut, esc, header, platform_guide, principle_guide, section


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(kb: KnowledgeBase, pid: str) -> dict:
    return {"text": _plain(kb.platforms[pid].name), "value": pid}


def platform_select(kb: KnowledgeBase, action_id: str, initial=(), multi: bool = True) -> dict:
    element = {"type": "multi_static_select" if multi else "static_select", "action_id": action_id,
               "placeholder": _plain("Choose platforms" if multi else "Choose a platform"),
               "options": [_option(kb, pid) for pid in kb.platforms]}  # fmt: skip
    chosen = [_option(kb, pid) for pid in initial if pid in kb.platforms]
    if chosen:
        if multi:
            element["initial_options"] = chosen
        else:
            element["initial_option"] = chosen[0]
    return element


def _input(block_id: str, label: str, element: dict, optional: bool = False, hint: str | None = None) -> dict:
    block = {"type": "input", "block_id": block_id, "label": _plain(label), "element": element, "optional": optional}
    if hint:
        block["hint"] = _plain(hint)
    return block


def _text_input(action_id: str, placeholder: str, multiline: bool = False) -> dict:
    return {"type": "plain_text_input", "action_id": action_id, "multiline": multiline,
            "placeholder": _plain(placeholder)}  # fmt: skip


def _modal(callback_id: str, title: str, submit: str, blocks: list[dict], metadata: str = "") -> dict:
    return {"type": "modal", "callback_id": callback_id, "title": _plain(cut(title, 24)), "submit": _plain(submit),
            "close": _plain("Cancel"), "private_metadata": metadata, "blocks": blocks}  # fmt: skip


def check_draft_modal(kb: KnowledgeBase, platforms=()) -> dict:
    return _modal(ids.VIEW_CHECK_DRAFT, "Check a draft", "Check", [
        _input(ids.BLK_DRAFT, "Draft", _text_input(ids.IN_DRAFT, "Paste the post you are about to publish", True)),
        _input(ids.BLK_PLATFORMS, "Meant for", platform_select(kb, ids.IN_PLATFORMS, platforms), optional=True,
               hint="Leave empty to see where it fits best."),
        context("The report arrives as a direct message from Crowdculture."),
    ])  # fmt: skip


def creator_modal(kb: KnowledgeBase) -> dict:
    counts = "A number: 12000, 12k or 1.2M"
    return _modal(ids.VIEW_CREATOR, "Check a creator", "Check", [
        _input(ids.BLK_PLATFORM, "Platform", platform_select(kb, ids.IN_PLATFORM, multi=False)),
        _input(ids.BLK_FOLLOWERS, "Followers", _text_input(ids.IN_FOLLOWERS, counts)),
        _input(ids.BLK_LIKES, "Average likes per post", _text_input(ids.IN_LIKES, counts)),
        _input(ids.BLK_COMMENTS, "Average comments per post", _text_input(ids.IN_COMMENTS, counts)),
        _input(ids.BLK_VIEWS, "Average views per post", _text_input(ids.IN_VIEWS, counts), optional=True),
    ])  # fmt: skip


def settings_modal(kb: KnowledgeBase, platforms=()) -> dict:
    return _modal(ids.VIEW_SETTINGS, "Your settings", "Save", [
        _input(ids.BLK_PLATFORMS, "Your default platforms", platform_select(kb, ids.IN_PLATFORMS, platforms),
               optional=True, hint="Drafts you check without naming a platform are checked for these."),
    ])  # fmt: skip


def selected_platforms(values: dict, block_id: str = ids.BLK_PLATFORMS, action_id: str = ids.IN_PLATFORMS) -> list:
    field = values.get(block_id, {}).get(action_id, {})
    if field.get("selected_option"):
        return [field["selected_option"]["value"]]
    return [o["value"] for o in field.get("selected_options") or []]


def text_value(values: dict, block_id: str, action_id: str) -> str | None:
    return values.get(block_id, {}).get(action_id, {}).get("value")


# App Home ------------------------------------------------------------------------------------------------------

def _stats_text(title: str, stats: dict, kb: KnowledgeBase) -> str:
    n = stats["drafts"]
    lines = [f"*{title}*", f"{n} draft{'s' if n != 1 else ''} checked · {stats['copy_paste']} copy-paste caught"]
    for pid, fit in sorted(stats["fit"].items(), key=lambda kv: -kv[1]):
        name = kb.platforms[pid].name if pid in kb.platforms else pid
        lines.append(f"• {name}: average fit {fit:.0f}/100")
    return "\n".join(lines)


def home_view(kb: KnowledgeBase, mine: dict | None, team: dict | None, platforms=(), admin: bool = False,
              watched=(), configured=(), notes=()) -> dict:  # fmt: skip
    intro = ("Drop a draft here before it goes out: I tell you where it fits, which influence principles it uses, "
             "and whether your team already posted it elsewhere.")  # fmt: skip
    blocks: list[dict] = [header("Crowdculture"), section(intro)]
    if mine is not None and team is not None:
        blocks += [{"type": "divider"}, section(_stats_text("You, last 7 days", mine, kb)),
                   section(_stats_text("Your team, last 7 days", team, kb))]  # fmt: skip
    blocks += [context(f":information_source: {esc(n)}") for n in notes]
    names = ", ".join(kb.platforms[p].name for p in platforms if p in kb.platforms) or "none (best fit shown)"
    change = {"type": "button", "action_id": ids.ACT_OPEN_SETTINGS, "text": _plain("Change")}
    blocks += [{"type": "divider"}, section(f"*Your settings*\nDefault platforms: {names}", accessory=change)]
    if admin:
        select = {"type": "multi_conversations_select", "action_id": ids.ACT_WATCHED_CHANNELS,
                  "placeholder": _plain("Channels to watch"),
                  "filter": {"include": ["public", "private"], "exclude_bot_users": True}}  # fmt: skip
        if watched:
            select["initial_conversations"] = list(watched)
        also = f" Also watched from config.yaml: {', '.join(f'<#{c}>' for c in configured)}." if configured else ""
        blocks.append(section("*Watched channels* (admins)\nEvery new message there is checked and answered in "
                              f"thread when something needs attention.{also}", block_id=ids.BLK_WATCHED,
                              accessory=select))  # fmt: skip
    blocks += [{"type": "divider"}, section("*The seven principles of influence*\n" + principle_guide(kb)),
               section("*Platforms and their cultures*\n" + platform_guide(kb)),
               context(f"Commands: `{ids.CMD_DRAFT_CHECK}`, `{ids.CMD_DRAFT_REWRITE}`, `{ids.CMD_CROWDCULTURE} help`, "
                       f"`{ids.CMD_CREATOR_CHECK}`.")]  # fmt: skip
    return {"type": "home", "blocks": blocks[:100]}
