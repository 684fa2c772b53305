"""Norm-statement drafts per category × phase × channel and the statement quality check; pure, package data only."""
