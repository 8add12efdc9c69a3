from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    rs_reveal_log_days = fields.Integer(
        string="Keep Reveal Log (Days)",
        default=365,
        help="How long the log of masked contact details shown to staff is kept.",
    )
    rs_reveal_technician = fields.Boolean(
        string="Technicians May Reveal",
        help="Off: field technicians see a customer's contact details only around a visit "
        "assigned to them. On: they may also show them at other times; each time is logged.",
    )

    rs_privacy_deadline_days = fields.Integer(
        string="Answer Personal Data Requests Within (Days)",
        default=15,
        help="The legal deadline to answer a customer's request to see, correct or erase their data.",
    )

    _sql_constraints = [
        (
            "rs_privacy_deadline_days_positive",
            "CHECK(rs_privacy_deadline_days > 0)",
            "The deadline to answer a personal data request must be at least one day.",
        ),
        (
            "rs_reveal_log_days_positive",
            "CHECK(rs_reveal_log_days > 0)",
            "The reveal log must be kept for at least one day.",
        ),
    ]
