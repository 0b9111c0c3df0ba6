"""specgen's default templates, shipped in the distribution as generator.templates."""
