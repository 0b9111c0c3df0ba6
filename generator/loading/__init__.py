"""Stage 1: read a spec (files, YAML/JSON, relative `$ref`s) and normalise it."""
