"""specgen: generate typed Python client packages from OpenAPI specs."""

__version__ = "0.1.0"
