"""API change reports between two versions of a spec."""
