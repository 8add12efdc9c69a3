"""What the tests share, imported as a package, never by path: the pytest plugin that
``setup/test`` loads for the top-level tests and the tests of ``setup/`` (``fixtures``), and
the helpers several tests use (``registry``, ``benchmark_data``, ``scripts``)."""
