from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    rs_package_ids = fields.Many2many(
        "rs.package",
        string="Session Packages",
        compute="_compute_rs_package_ids",
        help="The active session packages the customer may use: bought by them, or shared by "
        "their household.",
    )
    rs_package_sessions_left = fields.Integer(
        string="Sessions Left",
        compute="_compute_rs_package_ids",
        help="The sessions left of the active packages the customer may use.",
    )

    def _compute_rs_package_ids(self):
        # sudo: the packages a customer may use are shown on their form to whoever reads it
        Package = self.env["rs.package"].sudo()
        today = fields.Date.context_today(self)
        for partner in self:
            if not partner.id:
                partner.rs_package_ids = False
                partner.rs_package_sessions_left = 0
                continue
            household = partner.rs_household_id or partner.commercial_partner_id.rs_household_id
            domain = [("partner_id", "=", partner.commercial_partner_id.id)]
            if household:
                domain = [
                    "|",
                    *domain,
                    "&",
                    ("sharing", "=", "household"),
                    ("household_id", "=", household.id),
                ]
            packages = Package.search([("state", "=", "active"), ("expiry_date", ">=", today), *domain])
            partner.rs_package_ids = packages
            partner.rs_package_sessions_left = sum(packages.mapped("sessions_left"))

    def action_rs_view_packages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm_loyalty.rs_package_action"
        )
        household = self.rs_household_id or self.commercial_partner_id.rs_household_id
        domain = [("partner_id", "=", self.commercial_partner_id.id)]
        if household:
            domain = ["|", *domain, "&", ("sharing", "=", "household"), ("household_id", "=", household.id)]
        action["domain"] = domain
        action["context"] = {}
        return action
