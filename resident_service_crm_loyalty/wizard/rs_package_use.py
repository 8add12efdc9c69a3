from odoo import api, fields, models


class RsPackageUse(models.TransientModel):
    """The visit's "Use a Session": the packages that may pay the visit, with their
    sessions left; the one chosen pays it with one session, the visit finished."""

    _name = "rs.package.use"
    _description = "Use a Session Package Session"

    service_id = fields.Many2one("rs.service.record", string="Visit", required=True, readonly=True)
    partner_id = fields.Many2one(related="service_id.partner_id", string="Customer")
    service_type_id = fields.Many2one(related="service_id.service_type_id")
    available_package_ids = fields.Many2many(
        "rs.package", compute="_compute_available_package_ids", string="Packages That May Pay"
    )
    package_id = fields.Many2one(
        "rs.package",
        string="Package",
        required=True,
        domain="[('id', 'in', available_package_ids)]",
    )
    sessions_left = fields.Char(
        string="Sessions Left",
        compute="_compute_available_package_ids",
        help="Sessions left of each package.",
    )

    @api.depends("service_id")
    def _compute_available_package_ids(self):
        for wizard in self:
            packages = (
                self.env["rs.package"]._covering(wizard.service_id.sudo()) if wizard.service_id else False
            )
            wizard.available_package_ids = packages
            wizard.sessions_left = wizard.service_id.package_sessions if wizard.service_id else False

    @api.model
    def default_get(self, fields_list):
        """The first package that may pay the visit is proposed."""
        values = super().default_get(fields_list)
        if "package_id" in fields_list and values.get("service_id") and not values.get("package_id"):
            visit = self.env["rs.service.record"].browse(values["service_id"])
            values["package_id"] = self.env["rs.package"]._covering(visit.sudo())[:1].id
        return values

    def action_confirm(self):
        """Use the session; the visit is done."""
        self.ensure_one()
        self.service_id._rs_package_use(self.package_id)
        return {"type": "ir.actions.act_window_close"}
