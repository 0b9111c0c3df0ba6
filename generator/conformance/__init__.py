"""The conformance cases: valid and invalid instances of each schema, for the generated tests."""
