"""`stames-sf run --config FILE`: a real engagement from one TOML file, stopping at each human gate."""
