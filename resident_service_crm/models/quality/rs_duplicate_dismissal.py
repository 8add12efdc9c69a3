from odoo import api, fields, models


class RsDuplicateDismissal(models.Model):
    """Two customers someone checked and found to be different people (the same family
    phone, a shared e-mail): the pair is no longer listed among duplicate suspects."""

    _name = "rs.duplicate.dismissal"
    _description = "Not a Duplicate"
    _order = "create_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    other_partner_id = fields.Many2one(
        "res.partner", string="Other Customer", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", string="Checked By", required=True, readonly=True, default=lambda self: self.env.user
    )
    note = fields.Char(
        help="Why these customers are different people, e.g. mother and daughter sharing a phone."
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True, readonly=True
    )

    _sql_constraints = [
        (
            "pair_uniq",
            "unique(partner_id, other_partner_id)",
            "These two customers are already marked as different people.",
        ),
        (
            "pair_ordered",
            "CHECK(partner_id < other_partner_id)",
            "A customer cannot be marked as different from themselves.",
        ),
    ]

    @api.depends("partner_id.company_id", "other_partner_id.company_id")
    def _compute_company_id(self):
        for dismissal in self:
            dismissal.company_id = dismissal.partner_id.company_id or dismissal.other_partner_id.company_id

    @api.depends("partner_id", "other_partner_id")
    def _compute_display_name(self):
        for dismissal in self:
            dismissal.display_name = f"{dismissal.partner_id.name} / {dismissal.other_partner_id.name}"

    @api.model_create_multi
    def create(self, vals_list):
        # One row per pair, the lower id first, so that the unique key sees both orders.
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        for vals in vals_list:
            first, second = vals.get("partner_id"), vals.get("other_partner_id")
            if first and second and first > second:
                vals["partner_id"], vals["other_partner_id"] = second, first
        return super().create(vals_list)
