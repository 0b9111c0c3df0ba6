"""Stage 4: the templates, rendered with the intermediate model."""
