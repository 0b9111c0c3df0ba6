"""Stage 2: the pydantic v2 models module, through datamodel-code-generator's library API."""
