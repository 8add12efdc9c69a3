from odoo import fields, models


class RsSlaPolicy(models.Model):
    _inherit = "rs.sla.policy"

    channel = fields.Selection(
        selection_add=[("survey", "Satisfaction Survey")], ondelete={"survey": "set null"}
    )
