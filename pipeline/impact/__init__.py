"""Deletion impact: the preview of a batch, guard rails, and its text, JSON and HTML."""
