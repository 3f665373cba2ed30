"""Local Salesforce org emulator: REST and Bulk API 2.0 over HTTPS, enforcing Salesforce's rules."""
