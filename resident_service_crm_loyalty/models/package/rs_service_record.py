from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class RsServiceRecord(models.Model):
    """A visit paid by a session of a package (次卡): staff see the sessions left before
    they complete it, and use one when it is done."""

    _inherit = "rs.service.record"

    payment_method = fields.Selection(
        selection_add=[("package", "Session Package")], ondelete={"package": "set null"}
    )
    package_entry_ids = fields.One2many(
        "rs.package.entry", "service_record_id", string="Package Sessions", readonly=True
    )
    package_id = fields.Many2one(
        "rs.package",
        string="Paid by Package",
        compute="_compute_package_state",
        help="The session package whose session this visit used, until it was given back.",
    )
    package_sessions = fields.Char(
        string="Package Sessions Left",
        compute="_compute_package_state",
        help="The packages that may pay this visit, with the sessions of its service type left.",
    )

    @api.depends("partner_id", "service_type_id", "state")
    def _compute_package_state(self):
        # sudo: whether a package pays the visit, and what is left, is shown to whoever reads it
        Entry = self.env["rs.package.entry"].sudo()
        uses = Entry.search([("service_record_id", "in", self.ids), ("operation", "=", "use")])
        given = set(Entry.search([("use_id", "in", uses.ids)]).use_id.ids)
        used = {use.service_record_id.id: use.package_id for use in uses if use.id not in given}
        for visit in self:
            visit.package_id = used.get(visit.id, False)
            if not visit.id or not visit.partner_id or not visit.service_type_id:
                visit.package_sessions = False
                continue
            packages = self.env["rs.package"]._covering(visit.sudo())
            left = packages._left_by_type()
            visit.package_sessions = ", ".join(
                self.env._(
                    "%(package)s: %(left)s left",
                    package=package.name,
                    left=left[package.id].get(visit.service_type_id, 0),
                )
                for package in packages
            )

    def action_rs_package_use(self):
        """The visit's "Use a Session": choose the package whose session pays it."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Use a Package Session"),
            "res_model": "rs.package.use",
            "view_mode": "form",
            "target": "new",
            "context": {"default_service_id": self.id},
        }

    def _rs_package_use(self, package):
        """Use a session of ``package`` for this visit, finishing the visit first if it is
        not done: whoever may complete the visit may use a session on it."""
        self.ensure_one()
        if self.state == "cancelled":
            raise UserError(self.env._("A cancelled visit uses no session."))
        if self.payment_mode == "on_spot" and self.payment_method != "package":
            raise UserError(self.env._("This visit was paid on the spot: it uses no session."))
        self.check_access("write")
        if self.state != "done":
            self.action_done()
        entry = package._use_session(self)
        # the session paid the visit: a purchase of its own at its price per session, as a
        # visit paid on the spot is (the package's invoice is none: money paid in advance)
        # sudo: the payment fields are the session's to write, for whoever may finish the visit
        self.sudo().write(
            {
                "payment_mode": "on_spot",
                "payment_method": "package",
                "amount_received": -entry.amount,
                "amount_received_untaxed": -entry.amount,
                "payment_date": fields.Date.context_today(self),
                "payment_user_id": self.env.uid,
            }
        )
        return entry

    def action_rs_package_give_back(self):
        """The manager's "Give Back the Session" of a finished visit that should not have
        used one (a finished visit cannot be cancelled): the session is left again, once."""
        self.ensure_one()
        if not self.env.user.has_group("resident_service_crm.group_manager"):
            raise AccessError(self.env._("A Resident Services manager gives back the session a visit used."))
        self.check_access("write")
        self.env["rs.package"]._give_back(self)
        # sudo: as in _rs_package_use: the visit is no longer paid, and no purchase
        self.sudo().filtered(lambda visit: visit.payment_method == "package").write(
            {
                "payment_mode": "to_invoice",
                "payment_method": False,
                "amount_received": 0.0,
                "amount_received_untaxed": 0.0,
                "payment_date": False,
                "payment_user_id": False,
            }
        )
        return True

    def _pay_on_spot(self, method, amount, date=None):
        """A visit a package's session paid is not paid on the spot as well."""
        if any(visit.package_id or visit.payment_method == "package" for visit in self):
            raise UserError(
                self.env._(
                    "This visit was paid by a session of a package: it is not paid on the spot as well."
                )
            )
        return super()._pay_on_spot(method, amount, date=date)
