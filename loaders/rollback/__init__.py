"""Roll a load run back: delete what it created, restore what it updated, prove the org is as
the run's snapshot found it."""
