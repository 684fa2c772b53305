"""The CAT coordination bot: composition root, CAT domain, Slack surface and scheduler."""
