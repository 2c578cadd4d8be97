"""Pure engines: Python, numpy and polars only, never Django. Apps adapt their models to them."""
