from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .rs_communication import CHANNELS


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_resident_customer = fields.Boolean(
        string="Resident Customer",
        index=True,
        help="Listed among the customers of the Resident Services application.",
    )
    birthday = fields.Date()
    is_lunar_birthday = fields.Boolean(
        string="Lunar Birthday", help="The customer celebrates the birthday on the lunar calendar (农历生日)."
    )
    lunar_birth_month = fields.Integer(string="Lunar Month")
    lunar_birth_day = fields.Integer(string="Lunar Day")
    lunar_birth_leap = fields.Boolean(
        string="Leap Month", help="Born in a leap month (闰月) of the lunar calendar."
    )
    household_id = fields.Many2one("rs.household", string="Household", index="btree_not_null", tracking=True)
    community_id = fields.Many2one(related="household_id.community_id", store=True, string="Community")
    preferred_channel = fields.Selection(CHANNELS, string="Preferred Channel")
    service_preference_ids = fields.Many2many(
        "rs.service.preference",
        "rs_partner_service_preference_rel",
        "partner_id",
        "preference_id",
        string="Service Preferences",
    )
    service_note = fields.Text(string="Service Notes", help="What every visiting staff member should know.")
    emergency_contact_id = fields.Many2one("res.partner", string="Emergency Contact", index="btree_not_null")
    guardian_id = fields.Many2one(
        "res.partner",
        string="Guardian",
        index="btree_not_null",
        help="Guardian of an elderly person or child.",
    )
    customer_since = fields.Date(default=fields.Date.context_today)
    referred_by_id = fields.Many2one(
        "res.partner", string="Referred By", index="btree_not_null", tracking=True, ondelete="set null"
    )
    referral_ids = fields.One2many("res.partner", "referred_by_id", string="Referrals")
    referral_count = fields.Integer(compute="_compute_referral_count")
    profile_verified_date = fields.Date(
        string="Profile Verified On", tracking=True, help="When the customer last confirmed these details."
    )
    is_profile_stale = fields.Boolean(
        string="Stale Profile",
        readonly=True,
        index=True,
        help="Not verified for longer than the company allows; refreshed every day.",
    )
    service_record_ids = fields.One2many("rs.service.record", "partner_id", string="Service Records")
    service_record_count = fields.Integer(compute="_compute_service_stats")
    last_service_date = fields.Datetime(compute="_compute_service_stats")
    communication_ids = fields.One2many("rs.communication", "partner_id", string="Communications")
    communication_count = fields.Integer(compute="_compute_communication_count")

    _sql_constraints = [
        (
            "rs_lunar_birthday_valid",
            "CHECK((lunar_birth_month IS NULL OR lunar_birth_month = 0 OR lunar_birth_month BETWEEN 1 AND 12)"
            " AND (lunar_birth_day IS NULL OR lunar_birth_day = 0 OR lunar_birth_day BETWEEN 1 AND 30))",
            "A lunar birthday has a month from 1 to 12 and a day from 1 to 30.",
        ),
        (
            "rs_not_referred_by_self",
            "CHECK(referred_by_id IS NULL OR referred_by_id != id)",
            "A customer cannot refer themselves.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTES (one grouped query for the whole set, whatever its history)
    # ------------------------------------------------------------
    def _compute_referral_count(self):
        counts = dict(self._read_group([("referred_by_id", "in", self.ids)], ["referred_by_id"], ["__count"]))
        for partner in self:
            partner.referral_count = counts.get(partner, 0)

    def _compute_service_stats(self):
        stats = {
            partner: (count, last)
            for partner, count, last in self.env["rs.service.record"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count", "scheduled_start:max"]
            )
        }
        for partner in self:
            partner.service_record_count, partner.last_service_date = stats.get(partner, (0, False))

    def _compute_communication_count(self):
        counts = dict(
            self.env["rs.communication"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.communication_count = counts.get(partner, 0)

    @api.constrains("lunar_birth_month", "lunar_birth_day", "is_lunar_birthday")
    def _check_lunar_birthday(self):
        for partner in self.filtered("is_lunar_birthday"):
            if not (partner.lunar_birth_month and partner.lunar_birth_day):
                raise ValidationError(
                    self.env._(
                        "Give the lunar month and day of %(customer)s's birthday.", customer=partner.name
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def action_mark_profile_verified(self):
        self.write({"profile_verified_date": fields.Date.context_today(self), "is_profile_stale": False})

    def _rs_action(self, xmlid, **context):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, **context}
        return action

    def action_view_service_records(self):
        return self._rs_action("resident_service_crm.rs_service_record_action")

    def action_view_communications(self):
        return self._rs_action("resident_service_crm.rs_communication_action")

    def action_view_history(self):
        action = self._rs_action("resident_service_crm.rs_customer_history_action")
        action["context"] = {}
        return action

    def action_view_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.res_partner_action_customer"
        )
        action.update(domain=[("referred_by_id", "=", self.id)], context={"default_referred_by_id": self.id})
        return action

    def action_log_communication(self):
        """The quick form of a communication with this customer: two clicks from the customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Communication"),
            "res_model": "rs.communication",
            "view_mode": "form",
            "views": [(self.env.ref("resident_service_crm.rs_communication_view_form_quick").id, "form")],
            "target": "new",
            "context": {"default_partner_id": self.id, "default_channel": self.preferred_channel or "phone"},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    @api.model
    def _cron_flag_stale_profiles(self):
        """Flag the profiles not verified within their company's limit, and unflag the
        others: two grouped writes per company, whatever the number of customers. Customers
        shared by all companies follow the limit of the company running the job."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            limit = today - relativedelta(months=company.rs_profile_stale_months or 12)
            companies = [company.id, False] if company == self.env.company else [company.id]
            base = [("is_resident_customer", "=", True), ("company_id", "in", companies)]
            stale_domain = [
                *base,
                "|",
                ("profile_verified_date", "=", False),
                ("profile_verified_date", "<", limit),
            ]
            fresh_domain = [*base, ("profile_verified_date", ">=", limit)]
            self.search([*stale_domain, ("is_profile_stale", "=", False)]).write({"is_profile_stale": True})
            self.search([*fresh_domain, ("is_profile_stale", "=", True)]).write({"is_profile_stale": False})
