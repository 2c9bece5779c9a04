"""Data: loading, validation, the indexed dataset, filters and queries. Never imports dash."""
