"""Renderers: a report in each output format. Work is proportional to the drift."""
