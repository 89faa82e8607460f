"""The events of the catalog, one module per producing service."""
