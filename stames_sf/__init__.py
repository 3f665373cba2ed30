"""stames-sf: migrate a Stames helpdesk into Salesforce Service Cloud."""

__version__ = "0.1.0"
