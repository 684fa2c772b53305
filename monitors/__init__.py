"""Media monitors: feeds → articles → incidents → cross-unit pile-up signals. Knows no Slack."""
