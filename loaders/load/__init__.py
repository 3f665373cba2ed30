"""Load the sync tables into Salesforce: phases in dependency order, one DML step over two
transports (Bulk API 2.0 for volume, sObject Collections for small sets), files over REST
multipart, every record in the run ledger (`ops.load_*`), resumable after any stop."""
