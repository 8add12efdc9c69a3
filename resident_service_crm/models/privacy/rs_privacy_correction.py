from odoo import api, fields, models
from odoo.exceptions import UserError

from ...tools.server_write import refuse_client_values

# The customer's details a correction request (更正) may change, with their field on the customer.
CORRECTABLE_FIELDS = [
    ("name", "Name"),
    ("phone", "Phone"),
    ("mobile", "Mobile"),
    ("email", "Email"),
    ("street", "Street"),
    ("street2", "Street 2"),
    ("city", "City"),
    ("zip", "ZIP"),
    ("rs_birthday", "Birthday"),
    ("rs_wechat_id", "WeChat ID"),
]
CORRECTION_STATES = [("requested", "Requested"), ("applied", "Applied"), ("rejected", "Rejected")]
# set by the officer's actions only
SERVER_FIELDS = {"state"}


class RsPrivacyCorrection(models.Model):
    """One change a customer asks for in a correction request: which detail, and the value
    they want. Shown next to the current value; applied by the privacy officer, after which
    the requested value is cleared from the request (it lives on the customer), and the
    request's log names the corrected details without their values."""

    _name = "rs.privacy.correction"
    _description = "Requested Correction"
    _order = "request_id, id"
    _rec_name = "field_name"

    request_id = fields.Many2one(
        "rs.privacy.request", string="Request", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="request_id.partner_id", string="Customer")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    field_name = fields.Selection(CORRECTABLE_FIELDS, string="Detail", required=True)
    current_value = fields.Char(string="Current Value", compute="_compute_current_value")
    new_value = fields.Char(string="Requested Value", help="The value the customer asks for.")
    state = fields.Selection(
        CORRECTION_STATES, string="Status", required=True, default="requested", readonly=True
    )

    @api.depends("field_name", "request_id.partner_id", "state")
    def _compute_current_value(self):
        for correction in self:
            partner = correction.request_id.partner_id
            value = partner[correction.field_name] if partner and correction.field_name else False
            if correction.field_name == "rs_birthday":
                value = fields.Date.to_string(value)
            correction.current_value = value

    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        refuse_client_values(self, vals_list, SERVER_FIELDS)
        corrections = super().create(vals_list)
        corrections.request_id._check_corrections_open()
        return corrections

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        refuse_client_values(self, vals, SERVER_FIELDS)
        if {"field_name", "new_value", "request_id"} & vals.keys():
            self.request_id._check_corrections_open()
            if any(correction.state != "requested" for correction in self):
                raise UserError(self.env._("An applied or rejected correction is not changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        if any(correction.state != "requested" for correction in self):
            raise UserError(self.env._("An applied or rejected correction stays on its request."))

    def _partner_values(self):
        """{field: value} to write on the customer, the birthday read as a date."""
        values = {}
        for correction in self:
            value = (correction.new_value or "").strip() or False
            if correction.field_name == "rs_birthday" and value:
                try:
                    value = fields.Date.to_date(value)
                except ValueError:
                    message = self.env._(
                        "The requested birthday %(value)s is not a date (YYYY-MM-DD).", value=value
                    )
                    raise UserError(message) from None
            values[correction.field_name] = value
        return values
