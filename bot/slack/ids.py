"""Every id Slack sends back to us (commands, callback_id, action_id, block_id), named once.

Listeners register on these constants and builders put them in the payloads, so a rename cannot leave a
surface silently unrouted. Dynamic ids (one button per platform) are PREFIX + ":" + platform id.
"""

# Slash commands (manifest.json declares the same names)
CMD_DRAFT_CHECK = "/draft-check"
CMD_DRAFT_REWRITE = "/draft-rewrite"
CMD_CROWDCULTURE = "/crowdculture"
CMD_CREATOR_CHECK = "/creator-check"

# Shortcuts (callback_id)
SC_CHECK_MESSAGE = "check_message_draft"  # message shortcut "Check this draft"
SC_CHECK_OUTREACH = "check_message_outreach"  # message shortcut "Check this outreach"
SC_CHECK_DRAFT = "check_draft"  # global shortcut "Check a draft"

# Modals (callback_id)
VIEW_CHECK_DRAFT = "check_draft_modal"
VIEW_CREATOR = "creator_check_modal"
VIEW_SETTINGS = "settings_modal"

# Buttons and selects (action_id)
ACT_REWRITE = "rewrite_for"  # + ":<platform>"
ACT_PUBLISH = "mark_published"  # + ":<platform>"
ACT_SHARE = "share_in_channel"
ACT_OPEN_SETTINGS = "open_settings"
ACT_WATCHED_CHANNELS = "watched_channels"

# Input blocks (block_id) and their elements (action_id)
BLK_DRAFT, IN_DRAFT = "draft", "draft_text"
BLK_PLATFORMS, IN_PLATFORMS = "platforms", "platforms_select"
BLK_PLATFORM, IN_PLATFORM = "platform", "platform_select"
BLK_FOLLOWERS, IN_FOLLOWERS = "followers", "followers_input"
BLK_LIKES, IN_LIKES = "avg_likes", "avg_likes_input"
BLK_COMMENTS, IN_COMMENTS = "avg_comments", "avg_comments_input"
BLK_VIEWS, IN_VIEWS = "avg_views", "avg_views_input"
BLK_WATCHED = "watched_channels"


def with_platform(prefix: str, platform: str) -> str:
    return f"{prefix}:{platform}"


def platform_of(action_id: str) -> str:
    return action_id.partition(":")[2]
