"""Reconcile a load: read the org back and prove it holds what the Stames source and the sync tables
say it should, per phase (counts, Case statuses) and field by field on a seeded sample of Cases.

Data flow: run (which load run) → counts / status (warehouse + ledger + org) → sample (seeded
draw of the run's Cases) → expected (sync tables, raw_stames, ledger) and org (SOQL) → compare /
files → report (Markdown + HTML) → store (`ops.reconciliations`, `ops.reconciliation_phases`).
"""
