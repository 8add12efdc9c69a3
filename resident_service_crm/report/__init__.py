from . import rs_customer_rate_report
from . import rs_complaint_sla_report
from . import rs_complaint_report
