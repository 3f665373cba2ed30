"""Validate: Great Expectations suites and checkpoints (later issues)."""
