"""Authoring tools around the pipeline: init, new, lint, schema, watch, preview."""
