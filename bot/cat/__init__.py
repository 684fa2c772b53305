"""The CAT domain: red-button requests, activation saga, team composition, timeline, advice, closing."""
