from collections import namedtuple

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from ...tools import calendar_dates, contact_rules
from ...tools.input_checks import DESCRIPTION_MAX, length_check
from ...tools.server_write import refuse_client_values
from ..privacy.rs_consent import CONSENT_CHANNELS, PURPOSES
from ..value.res_partner import VALUE_SERVER_FIELDS
from .rs_communication import CHANNELS

_lt = LazyTranslate(__name__)

# message: why, in the user's language; note: why, as a sentence to store (server_text)
Permission = namedtuple("Permission", "allowed reason message retry_at note")
PERMISSION_NOTES = {
    contact_rules.ALLOWED: _lt("Allowed."),
    contact_rules.NO_CONSENT: _lt("The customer has not given consent for this purpose and channel."),
    contact_rules.REFUSED: _lt("The customer refused to be contacted for this purpose on this channel."),
    contact_rules.WITHDRAWN: _lt("The customer withdrew consent for this purpose on this channel."),
    contact_rules.BLACKLISTED: _lt("The address is on the blacklist (the customer opted out)."),
    contact_rules.NO_ADDRESS: _lt("There is no address for the customer on this channel."),
}
DATE_SOURCES = {
    "rs_birthday",
    "rs_is_lunar_birthday",
    "rs_lunar_birth_month",
    "rs_lunar_birth_day",
    "rs_lunar_birth_leap",
    "rs_customer_since",
    "rs_is_resident_customer",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    rs_is_resident_customer = fields.Boolean(
        string="Resident Customer",
        index=True,
        help="Listed among the customers of the Resident Services application.",
    )
    rs_birthday = fields.Date(string="Birthday", rs_dates="past")
    rs_is_lunar_birthday = fields.Boolean(
        string="Lunar Birthday", help="The customer celebrates the birthday on the lunar calendar."
    )
    rs_lunar_birth_month = fields.Integer(string="Lunar Month", rs_range=(1, 12))
    rs_lunar_birth_day = fields.Integer(string="Lunar Day", rs_range=(1, 30))
    rs_lunar_birth_leap = fields.Boolean(
        string="Leap Month", help="Born in a leap month of the lunar calendar."
    )
    rs_household_id = fields.Many2one(
        "rs.household", string="Household", index="btree_not_null", tracking=True
    )
    rs_community_id = fields.Many2one(related="rs_household_id.community_id", store=True, string="Community")
    rs_preferred_channel = fields.Selection(CHANNELS, string="Preferred Channel")
    rs_service_preference_ids = fields.Many2many(
        "rs.service.preference",
        "rs_partner_service_preference_rel",
        "partner_id",
        "preference_id",
        string="Service Preferences",
    )
    rs_service_note = fields.Text(
        string="Service Notes",
        help="What every visiting staff member should know.",
        rs_max_length=DESCRIPTION_MAX,
    )
    rs_emergency_contact_id = fields.Many2one(
        "res.partner", string="Emergency Contact", index="btree_not_null"
    )
    rs_guardian_id = fields.Many2one(
        "res.partner",
        string="Guardian",
        index="btree_not_null",
        help="Guardian of an elderly person or child.",
    )
    rs_customer_since = fields.Date(
        string="Customer Since",
        compute="_compute_rs_customer_since",
        store=True,
        readonly=False,
        precompute=True,
        help="Set when the partner becomes a resident customer; suppliers and other contacts have none.",
    )
    rs_referred_by_id = fields.Many2one(
        "res.partner", string="Referred By", index="btree_not_null", tracking=True, ondelete="set null"
    )
    rs_referral_ids = fields.One2many("res.partner", "rs_referred_by_id", string="Referrals")
    rs_referral_count = fields.Integer(string="Referral Count", compute="_compute_rs_referral_count")
    rs_profile_verified_date = fields.Date(
        string="Profile Verified On", tracking=True, help="When the customer last confirmed these details."
    )
    rs_is_profile_stale = fields.Boolean(
        string="Stale Profile",
        readonly=True,
        index=True,
        help="Not verified for longer than the company allows; refreshed every day.",
    )
    rs_wechat_id = fields.Char(string="WeChat ID")
    rs_next_birthday = fields.Date(
        string="Next Birthday",
        readonly=True,
        index="btree_not_null",
        help="The next birthday on the calendar the customer keeps (solar or lunar), refreshed daily.",
    )
    rs_next_solar_birthday = fields.Date(string="Next Solar Birthday", readonly=True, index="btree_not_null")
    rs_next_lunar_birthday = fields.Date(string="Next Lunar Birthday", readonly=True, index="btree_not_null")
    rs_next_anniversary = fields.Date(
        string="Next Customer Anniversary",
        readonly=True,
        index="btree_not_null",
        help="Next anniversary of customer since.",
    )
    rs_consent_ids = fields.One2many("rs.consent", "partner_id", string="Consents")
    rs_company_consent_ids = fields.One2many(
        "rs.consent",
        "partner_id",
        string="Consents Given to This Company",
        domain=lambda self: [("company_id", "=", self.env.company.id)],
        help="The customer's consents given to the current company; each company holds its own.",
    )
    rs_complaint_ids = fields.One2many("rs.complaint", "partner_id", string="Complaints")
    rs_complaint_count = fields.Integer(string="Complaint Count", compute="_compute_rs_complaint_counts")
    rs_open_complaint_count = fields.Integer(string="Open Complaints", compute="_compute_rs_complaint_counts")
    rs_service_record_ids = fields.One2many("rs.service.record", "partner_id", string="Service Records")
    rs_service_record_count = fields.Integer(
        string="Service Record Count", compute="_compute_rs_service_stats"
    )
    rs_last_service_date = fields.Datetime(string="Last Service Date", compute="_compute_rs_service_stats")
    rs_communication_ids = fields.One2many("rs.communication", "partner_id", string="Communications")
    rs_communication_count = fields.Integer(
        string="Communication Count", compute="_compute_rs_communication_count"
    )

    _sql_constraints = [
        length_check("rs_service_note", DESCRIPTION_MAX, "The service notes of a customer are too long."),
        (
            "rs_lunar_birthday_valid",
            "CHECK((rs_lunar_birth_month IS NULL OR rs_lunar_birth_month = 0"
            " OR rs_lunar_birth_month BETWEEN 1 AND 12)"
            " AND (rs_lunar_birth_day IS NULL OR rs_lunar_birth_day = 0"
            " OR rs_lunar_birth_day BETWEEN 1 AND 30))",
            "A lunar birthday has a month from 1 to 12 and a day from 1 to 30.",
        ),
        (
            "rs_not_referred_by_self",
            "CHECK(rs_referred_by_id IS NULL OR rs_referred_by_id != id)",
            "A customer cannot refer themselves.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTES (one grouped query for the whole set, whatever its history)
    # ------------------------------------------------------------
    @api.depends("rs_is_resident_customer")
    def _compute_rs_customer_since(self):
        """The day a partner becomes a resident customer, unless given; kept if they stop."""
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.rs_is_resident_customer and not partner.rs_customer_since:
                partner.rs_customer_since = today
            else:
                partner.rs_customer_since = partner.rs_customer_since

    def _compute_rs_referral_count(self):
        counts = dict(
            self._read_group([("rs_referred_by_id", "in", self.ids)], ["rs_referred_by_id"], ["__count"])
        )
        for partner in self:
            partner.rs_referral_count = counts.get(partner, 0)

    def _compute_rs_service_stats(self):
        stats = {
            partner: (count, last)
            for partner, count, last in self.env["rs.service.record"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count", "scheduled_start:max"]
            )
        }
        for partner in self:
            partner.rs_service_record_count, partner.rs_last_service_date = stats.get(partner, (0, False))

    def _compute_rs_complaint_counts(self):
        stats = {
            (partner, closed): count
            for partner, closed, count in self.env["rs.complaint"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id", "is_closed"], ["__count"]
            )
        }
        for partner in self:
            partner.rs_open_complaint_count = stats.get((partner, False), 0)
            partner.rs_complaint_count = partner.rs_open_complaint_count + stats.get((partner, True), 0)

    def action_rs_view_complaints(self):
        action = self._rs_action("resident_service_crm.rs_complaint_action")
        action["context"]["search_default_open"] = 0
        return action

    def _compute_rs_communication_count(self):
        counts = dict(
            self.env["rs.communication"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.rs_communication_count = counts.get(partner, 0)

    @api.constrains(
        "rs_lunar_birth_month", "rs_lunar_birth_day", "rs_is_lunar_birthday", "rs_lunar_birth_leap"
    )
    def _check_rs_lunar_birthday(self):
        for partner in self.filtered("rs_lunar_birth_leap"):
            if not partner.rs_lunar_birth_month:
                raise ValidationError(
                    self.env._(
                        "A leap month repeats a lunar month: give the month of %(customer)s's birthday.",
                        customer=partner.name,
                    )
                )
        for partner in self.filtered("rs_is_lunar_birthday"):
            if not (partner.rs_lunar_birth_month and partner.rs_lunar_birth_day):
                raise ValidationError(
                    self.env._(
                        "Give the lunar month and day of %(customer)s's birthday.", customer=partner.name
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        """In this order: value refuses a tier, lock or stage sent by a client
        (``VALUE_SERVER_FIELDS``); privacy makes a user of their own customers the
        salesperson of the customers they create (``_rs_privacy_creator_salesperson``); data
        quality formats the phone numbers of new customers (``_rs_quality_format_new_phones``);
        the create; the next dates of birthdays and anniversaries; privacy gives back the
        opt-out an erased customer had given for an address or number stored again
        (``_rs_privacy_restore_optouts``). What users type is checked first
        (``_rs_check_input_list``)."""
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        refuse_client_values(self, vals_list, VALUE_SERVER_FIELDS)
        self._rs_privacy_creator_salesperson(vals_list)
        self._rs_quality_format_new_phones(vals_list)
        partners = super().create(vals_list)
        partners.filtered(
            lambda p: p.rs_birthday or p.rs_is_lunar_birthday or p.rs_customer_since
        )._rs_refresh_next_dates()
        partners._rs_privacy_restore_optouts()
        return partners

    def write(self, vals):
        """In this order: value refuses a tier, lock or stage sent by a client (they change
        through the recompute or the manager's action, which keep their history,
        ``VALUE_SERVER_FIELDS``); privacy refuses a change of salesperson by a user of their own
        customers (``_rs_privacy_check_scope``) and keeps the real value of a masked field
        sent back unchanged (``_rs_privacy_unmasked_vals``); data quality formats phone
        numbers, the records grouped by the numbers they get (``_rs_quality_phone_groups``);
        the writes; the next dates of birthdays and anniversaries; the opt-outs of erased
        customers for the addresses and numbers written (``_rs_privacy_restore_optouts``)."""
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        refuse_client_values(self, vals, VALUE_SERVER_FIELDS)
        self._rs_privacy_check_scope(vals)
        vals = self._rs_privacy_unmasked_vals(vals)
        result = True
        for partners, partner_vals in self._rs_quality_phone_groups(vals):
            result &= super(ResPartner, partners).write(partner_vals)
        if DATE_SOURCES & vals.keys():
            self._rs_refresh_next_dates()
        if {"email", "phone", "mobile"} & vals.keys():
            self._rs_privacy_restore_optouts()
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def action_rs_mark_profile_verified(self):
        self.write(
            {"rs_profile_verified_date": fields.Date.context_today(self), "rs_is_profile_stale": False}
        )
        return True

    def _rs_action(self, xmlid, **context):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, **context}
        return action

    def action_rs_view_service_records(self):
        return self._rs_action("resident_service_crm.rs_service_record_action")

    def action_rs_view_communications(self):
        return self._rs_action("resident_service_crm.rs_communication_action")

    def action_rs_view_history(self):
        action = self._rs_action("resident_service_crm.rs_customer_history_action")
        action["context"] = {}
        return action

    def action_rs_view_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.res_partner_action_customer"
        )
        action.update(
            domain=[("rs_referred_by_id", "=", self.id)], context={"default_rs_referred_by_id": self.id}
        )
        return action

    def action_rs_log_communication(self):
        """The quick form of a communication with this customer: two clicks from the customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Communication"),
            "res_model": "rs.communication",
            "view_mode": "form",
            "views": [(self.env.ref("resident_service_crm.rs_communication_view_form_quick").id, "form")],
            "target": "new",
            "context": {
                "default_partner_id": self.id,
                "default_channel": self.rs_preferred_channel or "phone",
            },
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    @api.model
    def _cron_rs_flag_stale_profiles(self):
        """Flag the profiles not verified within their company's limit, and unflag the
        others: two grouped writes per company, whatever the number of customers. Customers
        shared by all companies follow the limit of the company running the job."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            limit = today - relativedelta(months=company.rs_profile_stale_months or 12)
            companies = [company.id, False] if company == self.env.company else [company.id]
            base = [("rs_is_resident_customer", "=", True), ("company_id", "in", companies)]
            stale_domain = [
                *base,
                "|",
                ("rs_profile_verified_date", "=", False),
                ("rs_profile_verified_date", "<", limit),
            ]
            fresh_domain = [*base, ("rs_profile_verified_date", ">=", limit)]
            self.search([*stale_domain, ("rs_is_profile_stale", "=", False)]).write(
                {"rs_is_profile_stale": True}
            )
            self.search([*fresh_domain, ("rs_is_profile_stale", "=", True)]).write(
                {"rs_is_profile_stale": False}
            )

    @api.model
    def _cron_rs_refresh_next_dates(self):
        """Move yesterday's birthdays and anniversaries to their next year. Only customers
        whose stored date has passed (or was never set) are touched."""
        today = fields.Date.context_today(self)
        partners = self.search(
            [
                ("rs_is_resident_customer", "=", True),
                "|",
                "|",
                ("rs_next_birthday", "<", today),
                ("rs_next_anniversary", "<", today),
                "&",
                ("rs_next_birthday", "=", False),
                "|",
                ("rs_birthday", "!=", False),
                ("rs_is_lunar_birthday", "=", True),
            ]
        )
        partners._rs_refresh_next_dates(today)
        return len(partners)

    def _rs_refresh_next_dates(self, today=None):
        """Compute the next solar and lunar birthday and anniversary; write them grouped by value."""
        today = today or fields.Date.context_today(self)
        by_values = {}
        for partner in self:
            solar = lunar = anniversary = False
            if partner.rs_birthday:
                solar = calendar_dates.next_solar(partner.rs_birthday.month, partner.rs_birthday.day, today)
            if partner.rs_is_lunar_birthday and partner.rs_lunar_birth_month and partner.rs_lunar_birth_day:
                lunar = (
                    calendar_dates.next_lunar(
                        partner.rs_lunar_birth_month,
                        partner.rs_lunar_birth_day,
                        today,
                        partner.rs_lunar_birth_leap,
                    )
                    or False
                )
            if partner.rs_customer_since:
                anniversary = calendar_dates.next_solar(
                    partner.rs_customer_since.month, partner.rs_customer_since.day, today
                )
                if anniversary == partner.rs_customer_since:
                    anniversary = calendar_dates.next_solar(
                        partner.rs_customer_since.month,
                        partner.rs_customer_since.day,
                        today + relativedelta(days=1),
                    )
            values = (
                solar,
                lunar,
                (lunar if partner.rs_is_lunar_birthday else solar) or solar or lunar,
                anniversary,
            )
            by_values.setdefault(values, []).append(partner.id)
        for (solar, lunar, chosen, anniversary), ids in by_values.items():
            self.browse(ids).write(
                {
                    "rs_next_solar_birthday": solar,
                    "rs_next_lunar_birthday": lunar,
                    "rs_next_birthday": chosen,
                    "rs_next_anniversary": anniversary,
                }
            )

    # ------------------------------------------------------------
    # CONTACT PERMISSION
    # ------------------------------------------------------------
    def _rs_contact_permission(self, purpose, channel, when=None):
        """May we contact each of these customers for this purpose on this channel at
        ``when`` (default now)? Returns ``{partner_id: Permission}``; every outbound action
        of the suite asks this first, with the company it acts for as ``self.env.company``
        (``partners.with_company(record.company_id)``): consent given to one company does
        not let another contact the customer. Weighs the consent given for the purpose and channel,
        Odoo's email and phone blacklists, whether we have an address on the channel, and
        the company's quiet hours in the customer's timezone."""
        assert purpose in dict(PURPOSES) and channel in dict(CONSENT_CHANNELS), (purpose, channel)
        when = when or fields.Datetime.now()
        # sudo: whether a customer may be contacted is a fact about the customer, whoever
        # asks (a user of their own customers acknowledging another's complaint); only the
        # states are read, and nothing of them is returned to the client
        states = {
            consent.partner_id.id: consent.state
            for consent in self.env["rs.consent"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", self.ids),
                    ("company_id", "=", self.env.company.id),
                    ("purpose", "=", purpose),
                    ("channel", "=", channel),
                ],
                ["partner_id", "state"],
            )
        }
        company = self.env.company
        consent_required = purpose != "service" or company.rs_service_notice_needs_consent
        result = {}
        for partner in self:
            if channel == "email":
                blacklisted, has_address = partner.is_blacklisted, bool(partner.email_normalized)
            elif channel in ("sms", "phone"):
                blacklisted = partner.phone_sanitized_blacklisted
                has_address = bool(partner.phone_sanitized or partner.mobile or partner.phone)
            else:
                blacklisted, has_address = False, bool(partner.rs_wechat_id)
            tz = pytz.timezone(partner.tz or self.env.user.tz or company.partner_id.tz or "Asia/Shanghai")
            local_now = pytz.utc.localize(when).astimezone(tz)
            reason, retry_local = contact_rules.decide(
                channel=channel,
                consent_state=states.get(partner.id),
                consent_required=consent_required,
                blacklisted=blacklisted,
                has_address=has_address,
                local_now=local_now,
                quiet_start=company.rs_quiet_hours_start,
                quiet_end=company.rs_quiet_hours_end,
            )
            retry_at = retry_local.astimezone(pytz.utc).replace(tzinfo=None) if retry_local else False
            result[partner.id] = Permission(
                reason == contact_rules.ALLOWED,
                reason,
                self._rs_permission_message(reason, retry_at),
                retry_at,
                self._rs_permission_note(reason, retry_at),
            )
        return result

    def _rs_permission_note(self, reason, retry_at=False):
        """Why a contact is allowed or not, as a sentence to store (``server_text``) and say
        later in the reader's language."""
        if reason == contact_rules.QUIET_HOURS:
            return _lt(
                "Quiet hours in the customer's timezone; try again after %(time)s (UTC).",
                time=fields.Datetime.to_string(retry_at) if retry_at else "",
            )
        return PERMISSION_NOTES[reason]

    def _rs_permission_message(self, reason, retry_at=False):
        """Why a contact is allowed or not, in the user's language."""
        return self._rs_permission_note(reason, retry_at)._translate(self.env.lang or "en_US")

    def _rs_best_channels(self, purpose, channels=None, when=None):
        """For each customer, the first permitted channel: the preferred one first, then
        ``channels`` in order. Returns ``{partner_id: (channel or False, Permission)}``,
        with the preferred channel's refusal when none is permitted."""
        channels = list(channels or [code for code, _label in CONSENT_CHANNELS])
        permissions = {channel: self._rs_contact_permission(purpose, channel, when) for channel in channels}
        result = {}
        for partner in self:
            order = channels[:]
            if partner.rs_preferred_channel in order:
                order.remove(partner.rs_preferred_channel)
                order.insert(0, partner.rs_preferred_channel)
            chosen = next((c for c in order if permissions[c][partner.id].allowed), False)
            result[partner.id] = (chosen, permissions[chosen or order[0]][partner.id])
        return result
