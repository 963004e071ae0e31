"""Flask test-client tests, one module per blueprint (a package, so names may repeat those of tests/unit)."""
