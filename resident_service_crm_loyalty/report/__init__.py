from . import loyalty_points_report
