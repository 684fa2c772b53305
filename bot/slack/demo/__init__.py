"""`catbot demo`: the CAT story played through the local Slack emulator, with an HTML transcript."""
