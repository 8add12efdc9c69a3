from . import test_journey_portal_points
