from . import rs_complaint_compensation
