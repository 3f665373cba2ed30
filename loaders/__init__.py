"""Load, reconcile and roll back against Salesforce (later issues)."""
