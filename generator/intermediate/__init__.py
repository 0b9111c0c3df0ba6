"""Stage 3: the intermediate model, what the generated code means, built from the
normalised spec.
"""
