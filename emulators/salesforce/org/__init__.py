"""The org's data and rules, independent of HTTP. REST, collections and Bulk all go through here."""
