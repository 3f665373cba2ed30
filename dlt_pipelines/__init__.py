"""Extract: dlt sources and pipelines."""
