"""Stages 1-2, load and validate: YAML files -> the typed model of a workspace."""
