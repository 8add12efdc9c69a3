from . import rs_customer_rate_report
