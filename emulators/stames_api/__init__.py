"""Local Stames API server (contract: Stames REST API v1) and its dataset generator."""
