from . import test_input_checks
