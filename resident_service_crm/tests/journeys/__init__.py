from . import test_journey_refund
