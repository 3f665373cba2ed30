"""The handoff pack, `<work>/handoff/<run id>/`: what the customer keeps after a load run.

Data flow: run (which load run, from `ops.load_runs`) → inputs (the reports and mapping files to
copy, or what is not produced yet) → errors (failed ledger rows, one CSV per object) → inventory
(the manual work: what to rebuild in Salesforce and what the load could not carry) → render
(manual-work.md/.html and index.html) → service (builds the pack beside the old one, then swaps).
"""
