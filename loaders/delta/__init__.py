"""The cutover delta's own decisions: tickets deleted or merged in Stames after they were loaded."""
