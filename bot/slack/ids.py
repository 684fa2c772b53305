"""Identifiers shared by Block Kit builders and listeners (callback ids, action ids, shortcut ids)."""

RODE_KNOP_MODAL = "rode_knop_modal"
CONFIRM_ACTIVATION_MODAL = "confirm_activation_modal"
APPROVE_MODAL = "approve_modal"
DECLINE_MODAL = "decline_modal"
ADVICE_MODAL = "advice_modal"
CLOSE_MODAL = "close_modal"

ACTION_APPROVE = "request_approve"
ACTION_DECLINE = "request_decline"
ACTION_HOME_RODE_KNOP = "home_rode_knop"

SHORTCUT_RODE_KNOP = "rode_knop"
SHORTCUT_TIMELINE = "op_de_tijdlijn"

PIN_REACTION = "pushpin"
