from . import test_journey_service_desk
