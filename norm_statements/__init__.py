"""Norm-statement drafts per category × phase × channel, and the statement quality check. Pure: no I/O beyond package data."""
