"""ULP distances and closeness checks (placeholder: being written)."""
