"""coordkit: who does what in a project many organisations run together."""

__version__ = "0.1.0"
