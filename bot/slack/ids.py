"""Identifiers shared by Block Kit builders and listeners (callback ids, action ids, shortcut ids)."""

RODE_KNOP_MODAL = "rode_knop_modal"
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

NORM_EDIT_MODAL = "norm_edit_modal"
NORM_PUBLISH_MODAL = "norm_publish_modal"
ACTION_NORM_EDIT = "norm_edit"
ACTION_NORM_CHECK = "norm_check"
ACTION_NORM_SEND = "norm_send"
ACTION_NORM_PICK_CAT = "norm_pick_cat"
ACTION_STATEMENT_APPROVE = "statement_approve"
ACTION_STATEMENT_PUBLISH = "statement_publish"
ACTION_STATEMENT_EDIT = "statement_edit"
