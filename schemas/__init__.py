"""The project's data contracts: the raw-record JSON Schema and the pyarrow output schemas."""
