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

    _sql_constraints = [
        (
            "rs_reveal_log_days_positive",
            "CHECK(rs_reveal_log_days > 0)",
            "The reveal log must be kept for at least one day.",
        ),
    ]
