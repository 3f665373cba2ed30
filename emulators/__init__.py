"""Local stand-ins for the two remote services: real HTTP servers on 127.0.0.1."""
