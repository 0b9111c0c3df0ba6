"""specgen's default templates, shipped inside the distribution as `generator.templates`."""
