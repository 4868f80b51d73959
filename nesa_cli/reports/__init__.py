"""Reports: pure functions over the model, returning plain data."""
