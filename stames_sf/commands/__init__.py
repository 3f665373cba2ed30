"""CLI verbs, one module per stage."""
