from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ...tools.completeness import completeness, completeness_band

PHONE_FIELDS = ("phone", "mobile")
COMPLETENESS_DEPENDS = (
    "phone",
    "mobile",
    "email",
    "street",
    "city",
    "rs_birthday",
    "rs_is_lunar_birthday",
    "rs_lunar_birth_month",
    "rs_household_id",
    "rs_service_preference_ids",
    "rs_preferred_channel",
    "rs_consent_ids",
)
COMPLETENESS_BANDS = [
    ("poor", "Poor (below 40%)"),
    ("fair", "Fair (40-79%)"),
    ("good", "Good (80% and more)"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    rs_completeness = fields.Integer(
        string="Profile Completeness",
        compute="_compute_rs_completeness",
        store=True,
        aggregator="avg",
        help="How complete the customer's profile is (0-100): contact details, address, birthday, "
        "household, preferences, preferred channel and consent.",
    )
    rs_completeness_band = fields.Selection(
        COMPLETENESS_BANDS, string="Completeness", compute="_compute_rs_completeness", store=True
    )
    rs_completeness_missing = fields.Char(
        string="Missing", compute="_compute_rs_completeness_missing", help="What the profile still lacks."
    )
    rs_incomplete = fields.Boolean(
        string="Incomplete Profile",
        compute="_compute_rs_incomplete",
        search="_search_rs_incomplete",
        help="The profile scores below the completeness the company asks for.",
    )
    rs_phone_invalid = fields.Boolean(
        string="Invalid Phone",
        compute="_compute_rs_phone_invalid",
        store=True,
        help="The phone or mobile of this customer is not a number that can exist.",
    )
    rs_duplicate_ids = fields.Many2many(
        "res.partner",
        string="Duplicate Suspects",
        compute="_compute_rs_duplicates",
        help="Other active customers with the same phone or e-mail, not marked as different people.",
    )
    rs_duplicate_count = fields.Integer(string="Duplicates", compute="_compute_rs_duplicates")
    rs_duplicate_suspect = fields.Boolean(
        string="Duplicate Suspect", compute="_compute_rs_duplicates", search="_search_rs_duplicate_suspect"
    )

    def init(self):
        res = super().init()
        # The duplicate search joins customers on these keys: only active customers count.
        for fname in ("phone_sanitized", "email_normalized"):
            create_index(
                self.env.cr,
                indexname=f"res_partner_rs_{fname}_customer_index",
                tablename=self._table,
                expressions=[fname],
                where=f"{fname} IS NOT NULL AND rs_is_resident_customer AND active",
            )
        return res

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------
    def _rs_profile_parts(self):
        self.ensure_one()
        parts = {
            "phone": bool(self.phone or self.mobile),
            "email": bool(self.email),
            "address": bool(self.street and self.city),
            "birthday": bool(self.rs_birthday or (self.rs_is_lunar_birthday and self.rs_lunar_birth_month)),
            "household": bool(self.rs_household_id),
            "preferences": bool(self.rs_service_preference_ids),
            "channel": bool(self.rs_preferred_channel),
            "consent": bool(self.rs_consent_ids),
        }
        return {key for key, present in parts.items() if present}

    @api.depends(*COMPLETENESS_DEPENDS)
    def _compute_rs_completeness(self):
        for partner in self:
            score, _missing = completeness(partner._rs_profile_parts())
            partner.rs_completeness = score
            partner.rs_completeness_band = completeness_band(score)

    def _rs_completeness_labels(self):
        return {
            "phone": self.env._("phone or mobile"),
            "email": self.env._("e-mail"),
            "address": self.env._("street and city"),
            "birthday": self.env._("birthday"),
            "household": self.env._("household"),
            "preferences": self.env._("service preferences"),
            "channel": self.env._("preferred channel"),
            "consent": self.env._("consent"),
        }

    @api.depends(*COMPLETENESS_DEPENDS)
    def _compute_rs_completeness_missing(self):
        labels = self._rs_completeness_labels()
        for partner in self:
            _score, missing = completeness(partner._rs_profile_parts())
            partner.rs_completeness_missing = ", ".join(labels[key] for key in missing)

    @api.depends("rs_completeness")
    @api.depends_context("company")
    def _compute_rs_incomplete(self):
        threshold = self.env.company.rs_completeness_threshold
        for partner in self:
            partner.rs_incomplete = partner.rs_completeness < threshold

    def _search_rs_incomplete(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Search incomplete profiles with = or !=."))
        threshold = self.env.company.rs_completeness_threshold
        incomplete = (operator == "=") == bool(value)
        return [("rs_completeness", "<" if incomplete else ">=", threshold)]

    @api.depends("phone", "mobile", "country_id", "company_id", "rs_is_resident_customer")
    def _compute_rs_phone_invalid(self):
        for partner in self:
            numbers = [partner[fname] for fname in PHONE_FIELDS if partner[fname]]
            if not (partner.rs_is_resident_customer and numbers):
                partner.rs_phone_invalid = False
                continue
            country = partner._rs_phone_country()
            partner.rs_phone_invalid = not all(
                partner._phone_format(number=number, country=country) for number in numbers
            )

    def _rs_duplicate_pairs(self, partner_ids=None):
        """(customer, suspect) pairs: active resident customers sharing a sanitized phone or
        a normalized e-mail, in the same company or shared by all, not dismissed. One
        statement for the whole selection (``partner_ids``) or for every customer. To a user
        who sees some customers masked, the pairs of the customers they see."""
        self.env["res.partner"].flush_model(
            ["phone_sanitized", "email_normalized", "active", "rs_is_resident_customer", "company_id"]
        )
        self.env["rs.duplicate.dismissal"].flush_model(["partner_id", "other_partner_id"])
        scope = SQL("TRUE") if partner_ids is None else SQL("p.id = ANY(%s)", list(partner_ids))
        branches = [
            SQL(
                """
                SELECT p.id AS partner_id, o.id AS other_id
                  FROM res_partner p
                  JOIN res_partner o
                    ON o.%(key)s = p.%(key)s
                   AND o.id != p.id
                   AND o.active AND o.rs_is_resident_customer AND o.%(key)s IS NOT NULL
                   AND (p.company_id IS NULL OR o.company_id IS NULL OR p.company_id = o.company_id)
                 WHERE %(scope)s AND p.active AND p.rs_is_resident_customer AND p.%(key)s IS NOT NULL
                """,
                key=SQL.identifier(key),
                scope=scope,
            )
            for key in ("phone_sanitized", "email_normalized")
        ]
        pairs = self.env.execute_query(
            SQL(
                """
                SELECT m.partner_id, m.other_id
                  FROM (%(phone)s UNION %(email)s) AS m
                 WHERE NOT EXISTS (
                        SELECT 1 FROM rs_duplicate_dismissal d
                         WHERE d.partner_id = LEAST(m.partner_id, m.other_id)
                           AND d.other_partner_id = GREATEST(m.partner_id, m.other_id)
                 )
                 ORDER BY m.partner_id, m.other_id
                """,
                phone=branches[0],
                email=branches[1],
            )
        )
        if pairs and not self.env.su and self._rs_masking_role():
            # A pair tells that two customers share a number or an address: a customer masked
            # to the user is in none, whatever their values (no oracle on a guessed number).
            hidden = self.browse(sorted({pid for pair in pairs for pid in pair}))._rs_masked_ids()
            pairs = [pair for pair in pairs if not hidden.intersection(pair)]
        return pairs

    @api.depends("phone_sanitized", "email_normalized", "company_id", "active", "rs_is_resident_customer")
    @api.depends_context("uid", "rs_mask_contacts")
    def _compute_rs_duplicates(self):
        suspects = {}
        ids = [pid for pid in self._origin._ids if pid]
        if ids:
            for partner_id, other_id in self._rs_duplicate_pairs(ids):
                suspects.setdefault(partner_id, []).append(other_id)
        for partner in self:
            others = suspects.get(partner._origin.id, [])
            partner.rs_duplicate_ids = [fields.Command.set(others)]
            partner.rs_duplicate_count = len(others)
            partner.rs_duplicate_suspect = bool(others)

    def _search_rs_duplicate_suspect(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Search duplicate suspects with = or !=."))
        ids = sorted({partner_id for partner_id, _other in self._rs_duplicate_pairs()})
        suspect = (operator == "=") == bool(value)
        return [("id", "in" if suspect else "not in", ids)]

    # ------------------------------------------------------------
    # PHONE VALIDATION
    # ------------------------------------------------------------
    def _rs_phone_country(self, country=None, company=None):
        """The country a customer's number is read in: its own, else its company's."""
        company = company or self.company_id or self.env.company
        return country or self.country_id or company.country_id

    def _rs_format_phone(self, fname, number, country, company, customer_name):
        """The number as the company writes it, or a ValidationError naming the field and the value."""
        try:
            return self._phone_format(
                number=number, country=country, force_format=company.rs_phone_format, raise_exception=True
            )
        except UserError as error:
            raise ValidationError(
                self.env._(
                    "%(field)s %(number)s of %(customer)s is not a valid phone number (%(reason)s)."
                    " Correct it, or ask a manager to turn off phone validation in the settings.",
                    field=self._fields[fname]._description_string(self.env),
                    number=number,
                    customer=customer_name or self.env._("the new customer"),
                    reason=error.args[0],
                )
            ) from error

    def _rs_quality_format_new_phones(self, vals_list):
        """Step of ``res.partner.create``: the phone numbers of new resident customers, checked
        and written in the company's format (``vals_list`` is changed in place)."""
        default_customer = self.env.context.get("default_rs_is_resident_customer")
        for vals in vals_list:
            if not vals.get("rs_is_resident_customer", default_customer):
                continue
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if not company.rs_validate_phone:
                continue
            country = self.env["res.country"].browse(vals.get("country_id")) or company.country_id
            for fname in PHONE_FIELDS:
                if vals.get(fname) and isinstance(vals[fname], str):
                    vals[fname] = self._rs_format_phone(
                        fname, vals[fname], country, company, vals.get("name")
                    )

    def _rs_quality_phone_groups(self, vals):
        """Step of ``res.partner.write``: the records of ``self`` with the values each group of
        them gets, the phone numbers of resident customers checked and formatted."""
        numbers = {f: vals[f] for f in PHONE_FIELDS if vals.get(f) and isinstance(vals[f], str)}
        if not numbers:
            return [(self, vals)]
        if "rs_is_resident_customer" in vals:
            customers = self if vals["rs_is_resident_customer"] else self.browse()
        else:
            customers = self.filtered("rs_is_resident_customer")
        new_country = self.env["res.country"].browse(vals["country_id"]) if vals.get("country_id") else None
        # Records grouped by the values they get; the numbers are parsed once per country.
        groups, formatted = {}, {}
        for partner in customers:
            company = partner.company_id or self.env.company
            if not company.rs_validate_phone:
                continue
            country = partner._rs_phone_country(new_country, company)
            key = (country.id, company.id)
            if key not in formatted:
                formatted[key] = tuple(
                    (fname, partner._rs_format_phone(fname, number, country, company, partner.name))
                    for fname, number in numbers.items()
                )
            groups.setdefault(formatted[key], []).append(partner.id)
        if not groups:
            return [(self, vals)]
        rest = self - self.browse([pid for ids in groups.values() for pid in ids])
        return ([(rest, vals)] if rest else []) + [
            (self.browse(ids), {**vals, **dict(values)}) for values, ids in groups.items()
        ]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def action_rs_view_duplicates(self):
        """The customer and its suspects, side by side, with contact details masked as the
        customer lists mask them."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.res_partner_action_customer"
        )
        action.update(
            name=self.env._("Duplicate Suspects of %(customer)s", customer=self.display_name),
            domain=[("id", "in", (self | self.rs_duplicate_ids).ids)],
            view_mode="list,form",
            views=[(False, "list"), (False, "form")],
            context={"rs_mask_contacts": True, "create": False},
        )
        return action

    def action_rs_merge_duplicates(self):
        """Odoo's merge wizard on these customers and their suspects: the three most complete
        profiles at most, as many as the wizard merges at once."""
        partners = self | self.rs_duplicate_ids
        if len(partners) < 2:
            raise UserError(
                self.env._("There is no other customer to merge with: no duplicate suspect found.")
            )
        partners = partners.sorted(lambda p: (-p.rs_completeness, p.id))
        if len(partners) > 3:
            partners = partners[:3]
        action = self.env["ir.actions.act_window"]._for_xml_id("base.action_partner_merge")
        action["context"] = {
            "active_model": "res.partner",
            "active_ids": partners.ids,
            "active_id": partners[0].id,
        }
        return action

    def action_rs_dismiss_duplicates(self):
        """Mark this customer and each current suspect as different people."""
        self.ensure_one()
        others = self.rs_duplicate_ids
        if not others:
            raise UserError(self.env._("%(customer)s has no duplicate suspect.", customer=self.display_name))
        self.env["rs.duplicate.dismissal"].create(
            [{"partner_id": self.id, "other_partner_id": other.id} for other in others]
        )
        return True

    def _rs_merge_into(self, dst_partner):
        """Prepare the suite's rows of the customers in ``self`` for Odoo's partner merge into
        ``dst_partner``. Odoo moves every row to the kept customer, and deletes a row whose
        move would break a unique key: here such rows are merged first, so nothing is lost.
        The bridges add their own rows (loyalty cards, survey invitations)."""
        self._rs_merge_consents(dst_partner)
        self._rs_merge_care_events(dst_partner)
        self._rs_merge_duplicate_dismissals(dst_partner)

    def _rs_merge_consents(self, dst_partner):
        """One consent per company, purpose and channel: the latest answer of the person to
        that company wins, and the history of both records is kept on the consent that stays;
        answers given to different companies all stay."""
        # sudo: Odoo's merge moves every row of the customers whoever merges them (it updates
        # the foreign keys in SQL); the rows it would delete are merged here the same way.
        Consent = self.env["rs.consent"].sudo()
        kept = {
            (c.purpose, c.channel, c.company_id.id): c
            for c in Consent.search([("partner_id", "=", dst_partner.id)])
        }
        for consent in Consent.search([("partner_id", "in", self.ids)], order="date, id"):
            key = (consent.purpose, consent.channel, consent.company_id.id)
            target = kept.get(key)
            if not target:
                kept[key] = consent  # moved by the merge; a later source row merges into it
                continue
            newer = consent if consent.date > target.date else target
            self.env.flush_all()
            # The history moves as it is: these rows were written when each answer was given.
            self.env.cr.execute(
                SQL(
                    "UPDATE rs_consent_event SET consent_id = %s WHERE consent_id = %s",
                    target.id,
                    consent.id,
                )
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE rs_consent SET state = %s, date = %s, source = %s, text_version = %s,"
                    " user_id = %s WHERE id = %s",
                    newer.state,
                    newer.date,
                    newer.source,
                    newer.text_version or None,
                    newer.user_id.id or None,
                    target.id,
                )
            )
            self.env["rs.consent.event"].invalidate_model(["consent_id"])
            target.invalidate_recordset()
            consent.unlink()

    def _rs_merge_care_events(self, dst_partner):
        """One care event per rule and occasion: the one that went furthest stays, with the
        other's result added to its own."""
        # sudo: as for consents, the merge carries every care event whoever merges.
        Event = self.env["rs.care.event"].sudo()
        rank = {"done": 5, "sent": 4, "to_do": 3, "failed": 2, "skipped": 1, "planned": 0}
        kept = {
            (e.rule_id.id, e.occurrence_date): e for e in Event.search([("partner_id", "=", dst_partner.id)])
        }
        for event in Event.search([("partner_id", "in", self.ids)]):
            key = (event.rule_id.id, event.occurrence_date)
            target = kept.get(key)
            if not target:
                kept[key] = event
                continue
            values = {}
            if rank.get(event.state, 0) > rank.get(target.state, 0):
                values.update(state=event.state, channel=event.channel, user_id=event.user_id.id)
            results = [r for r in (target.result, event.result) if r]
            if len(results) == 2:
                values["result"] = "\n".join(results)
            elif results:
                values["result"] = results[0]
            if values:
                target.with_context(tracking_disable=True).write(values)
            event.unlink()

    def _rs_merge_duplicate_dismissals(self, dst_partner):
        """A customer checked as different from a merged one is different from the kept one
        too; the pairs between the merged customers themselves go."""
        # sudo: as for consents, the merge carries these rows whoever merges.
        Dismissal = self.env["rs.duplicate.dismissal"].sudo()
        merged = self | dst_partner
        dismissals = Dismissal.search(
            ["|", ("partner_id", "in", self.ids), ("other_partner_id", "in", self.ids)]
        )
        kept = {
            frozenset((d.partner_id.id, d.other_partner_id.id))
            for d in Dismissal.search(
                ["|", ("partner_id", "=", dst_partner.id), ("other_partner_id", "=", dst_partner.id)]
            )
        }
        values = []
        for dismissal in dismissals:
            other = dismissal.other_partner_id if dismissal.partner_id in self else dismissal.partner_id
            pair = frozenset((dst_partner.id, other.id))
            if other not in merged and pair not in kept:
                kept.add(pair)
                values.append(
                    {
                        "partner_id": dst_partner.id,
                        "other_partner_id": other.id,
                        "user_id": dismissal.user_id.id,
                        "note": dismissal.note,
                    }
                )
        dismissals.unlink()
        Dismissal.create(values)
