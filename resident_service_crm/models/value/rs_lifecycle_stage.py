from odoo import fields, models

STAGE_CODES = [
    ("potential", "Potential"),
    ("acquisition", "Acquisition"),
    ("growth", "Growth"),
    ("maturity", "Maturity"),
    ("decline", "Decline"),
    ("lost", "Lost"),
    ("reactivated", "Reactivated"),
]


class RsLifecycleStage(models.Model):
    """A stage of the customer relationship (客户关系生命周期). The code ties the stage to
    the transition table of the nightly recompute; name, order, colour and advice are free."""

    _name = "rs.lifecycle.stage"
    _description = "Lifecycle Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(STAGE_CODES, required=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    fold = fields.Boolean(string="Folded in Kanban")
    description = fields.Text(translate=True, help="What this stage calls for: the actions staff take.")

    _sql_constraints = [("code_unique", "UNIQUE(code)", "Each lifecycle stage code is used by one stage.")]
