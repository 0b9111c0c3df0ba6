"""Stage 5: formatting, writing aside and swapping in, the manifest, drift checks."""
