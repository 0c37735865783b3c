"""ccrl-kit: build Cross-Cultural Religious Literacy courses from YAML modules."""

__version__ = "0.1.0"
