from odoo import api, fields, models


class RsTierSetWizard(models.TransientModel):
    """A manager sets the tier of customers by hand, with a reason, and may lock it."""

    _name = "rs.tier.set.wizard"
    _description = "Set Customer Tier"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    tier_id = fields.Many2one("rs.customer.tier", string="Tier", required=True)
    reason = fields.Char(required=True, help="Kept in the tier history of each customer.")
    lock = fields.Boolean(
        string="Lock the Tier", default=True, help="The tier policy no longer moves a locked tier."
    )

    @api.model
    def default_get(self, fields_list):
        self.env["res.partner"]._rs_check_tier_manager()
        return super().default_get(fields_list)

    def action_apply(self):
        self.ensure_one()
        self.partner_ids._rs_set_tier(self.tier_id, self.reason, lock=self.lock)
        return {"type": "ir.actions.act_window_close"}
