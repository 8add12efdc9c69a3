from odoo import api, fields, models

from ...tools import server_text


class RsTierHistory(models.Model):
    """Every change of a customer's tier, append-only: by which policy or person, and why."""

    _name = "rs.tier.history"
    _description = "Customer Tier Change"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    old_tier_id = fields.Many2one("rs.customer.tier", string="From Tier", ondelete="set null")
    new_tier_id = fields.Many2one("rs.customer.tier", string="To Tier", ondelete="set null")
    policy = fields.Selection(selection="_selection_policy", required=True)
    reason_message = fields.Json(string="Reason (as stored)", readonly=True)
    reason = fields.Char(compute=server_text.compute("reason_message"))
    user_id = fields.Many2one("res.users", string="Changed By", default=lambda self: self.env.user)
    is_upgrade = fields.Boolean(
        string="Upgrade", help="The new tier comes before the old one (a first tier is no upgrade)."
    )
    locked = fields.Boolean(help="The manager locked the tier: recomputes leave it alone.")

    @api.model
    def _selection_policy(self):
        policies = self.env["res.company"]._fields["rs_tier_policy"]._description_selection(self.env)
        return [("manual", self.env._("Set by Hand")), *policies]
