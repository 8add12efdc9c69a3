from . import test_journey_service_desk
from . import test_journey_staff
from . import test_journey_portal
from . import test_journey_refund
from . import test_journey_complaint_followup
from . import test_journey_spot_payment
from . import test_journey_complaint_steps
