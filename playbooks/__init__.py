"""Playbooks per moral-issue category and the shared vocabulary (categories, units, trust blocks)."""
