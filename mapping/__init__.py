"""The map stage: the field and value mapping the tool proposes and a person confirms.

One file, `<work>/mapping/mapping.yml`, parsed by one pydantic model (`mapping.model.Mapping`),
is the only place a field or value decision lives. Transform, validate, schema and load read it
(or its copy in the warehouse's `mapping` schema) and refuse to run while it is unconfirmed or
changed since it was confirmed. This package imports no other package of the project, so every
stage can import it.
"""
