from . import test_points_spending
