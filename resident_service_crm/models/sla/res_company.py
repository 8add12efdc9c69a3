from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    rs_sla_match_all = fields.Boolean(
        string="Apply Every Matching SLA Policy",
        help="Apply every matching complaint SLA policy, each target keeping its earliest deadline, "
        "instead of the first policy that matches.",
    )
