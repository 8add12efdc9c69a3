from odoo import api, fields, models
from odoo.exceptions import UserError

ASSIGNABLE = {
    "res.partner": "Customers",
    "rs.service.record": "Service Records",
}


class RsAssignUserWizard(models.TransientModel):
    _name = "rs.assign.user.wizard"
    _description = "Assign Staff"

    res_model = fields.Char(required=True)
    res_ids = fields.Json(required=True)
    record_count = fields.Integer(compute="_compute_record_count")
    user_id = fields.Many2one("res.users", string="Staff", domain="[('share', '=', False)]")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        values.setdefault("res_model", context.get("active_model"))
        values.setdefault("res_ids", context.get("active_ids") or [])
        return values

    @api.depends("res_ids")
    def _compute_record_count(self):
        for wizard in self:
            wizard.record_count = len(wizard.res_ids or [])

    def action_assign(self):
        self.ensure_one()
        if self.res_model not in ASSIGNABLE:
            raise UserError(self.env._("Staff cannot be assigned to these records."))
        # a plain write with the user's own rights: one record they may not change refuses all
        records = self.env[self.res_model].browse(self.res_ids).exists()
        records.write({"user_id": self.user_id.id})
        return {"type": "ir.actions.act_window_close"}
