"""Reads. Every queryset the API serves starts from a function here, scoped to the caller."""
