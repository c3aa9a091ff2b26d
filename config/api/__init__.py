"""REST infrastructure shared by every app: pagination, error mapping, schema generation."""
