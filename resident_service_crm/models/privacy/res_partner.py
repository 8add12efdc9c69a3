"""What the suite holds about a person, to hand it over (查阅/导出) or to erase it (删除) by
anonymisation. The bridges add their own sections and erasures by overriding
``_rs_privacy_sections`` and ``_rs_privacy_erase_records``."""

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, html2plaintext

from ...tools.masking import MASK
from ...tools.personal_data import (
    ACCOUNTING,
    CLEAR,
    DERIVED,
    EMAIL,
    ERASED,
    FLAG,
    FOLLOWS,
    KEEP,
    OPTOUT_EMAIL,
    OPTOUT_PHONE,
    PHONE,
    SEARCH,
    TEXT,
    PersonalField,
    PersonalModel,
    masked_fields,
    merge,
)

# Contact details masked for staff who may not see them.
MASKED_FIELDS = ("phone", "mobile", "email", "street", "street2")
# The personal data the suite holds, for masking, the export and the erasure (see
# tools/personal_data.py); the bridges add theirs in their own ``_rs_personal_data``.
PERSONAL_DATA = [
    PersonalModel(
        "res.partner",
        "id",
        {
            "name": PersonalField(erase=ACCOUNTING),
            "ref": PersonalField(),
            "vat": PersonalField(erase=ACCOUNTING),
            "phone": PersonalField(PHONE),
            "mobile": PersonalField(PHONE),
            "email": PersonalField(EMAIL),
            "website": PersonalField(),
            "street": PersonalField(TEXT, ACCOUNTING),
            "street2": PersonalField(TEXT, ACCOUNTING),
            "city": PersonalField(erase=ACCOUNTING),
            "zip": PersonalField(erase=ACCOUNTING),
            "state_id": PersonalField(erase=ACCOUNTING),
            "country_id": PersonalField(erase=KEEP),
            "function": PersonalField(),
            "comment": PersonalField(),
            "title": PersonalField(),
            "image_1920": PersonalField(),
            "rs_birthday": PersonalField(),
            "rs_is_lunar_birthday": PersonalField(),
            "rs_lunar_birth_month": PersonalField(),
            "rs_lunar_birth_day": PersonalField(),
            "rs_lunar_birth_leap": PersonalField(),
            "rs_service_note": PersonalField(),
            "rs_service_preference_ids": PersonalField(),
            "rs_emergency_contact_id": PersonalField(),
            "rs_guardian_id": PersonalField(),
            "rs_wechat_id": PersonalField(),
            # computed from the fields above
            "email_normalized": PersonalField(EMAIL, FOLLOWS),
            "phone_sanitized": PersonalField(PHONE, FOLLOWS),
            "phone_mobile_search": PersonalField(SEARCH, FOLLOWS),
            "is_blacklisted": PersonalField(FLAG, FOLLOWS),
            "phone_sanitized_blacklisted": PersonalField(FLAG, FOLLOWS),
            "phone_blacklisted": PersonalField(FLAG, FOLLOWS),
            "mobile_blacklisted": PersonalField(FLAG, FOLLOWS),
            "email_formatted": PersonalField(DERIVED, FOLLOWS),
            "contact_address": PersonalField(DERIVED, FOLLOWS),
            "contact_address_inline": PersonalField(DERIVED, FOLLOWS),
            "display_name": PersonalField(DERIVED, FOLLOWS),
            "rs_next_birthday": PersonalField(erase=FOLLOWS),
            "rs_next_solar_birthday": PersonalField(erase=FOLLOWS),
            "rs_next_lunar_birthday": PersonalField(erase=FOLLOWS),
        },
    ),
    # a portal customer's login is usually their e-mail address
    PersonalModel("res.users", "partner_id", {"login": PersonalField(EMAIL, KEEP)}),
    PersonalModel(
        "rs.household",
        "member_ids",
        {
            "name": PersonalField(DERIVED, ERASED),
            "building": PersonalField(),
            "unit": PersonalField(),
            "room": PersonalField(),
            "street": PersonalField(TEXT),
            "street2": PersonalField(TEXT),
            "zip": PersonalField(),
            "access_note": PersonalField(),
        },
    ),
    PersonalModel(
        "rs.service.record", "partner_id", {"outcome_note": PersonalField(), "notes": PersonalField()}
    ),
    PersonalModel(
        "rs.communication",
        "partner_id",
        {"summary": PersonalField(erase=ERASED), "detail": PersonalField(), "next_step": PersonalField()},
    ),
    PersonalModel(
        "rs.complaint",
        "partner_id",
        {
            "subject": PersonalField(erase=ERASED),
            "email_from": PersonalField(EMAIL),
            "email_cc": PersonalField(EMAIL),
            "description": PersonalField(),
            "acknowledgement_note_message": PersonalField(),
            "acknowledgement_note": PersonalField(erase=FOLLOWS),  # said from the field above
            "investigation": PersonalField(),
            "resolution": PersonalField(),
        },
    ),
    PersonalModel("rs.complaint.action", "complaint_id.partner_id", {"name": PersonalField(erase=ERASED)}),
    PersonalModel("rs.complaint.compensation", "complaint_id.partner_id", {"description": PersonalField()}),
    PersonalModel(
        "rs.care.event",
        "partner_id",
        {
            "reason_detail_message": PersonalField(),
            "reason_detail": PersonalField(erase=FOLLOWS),  # said from the field above
            "result": PersonalField(),
        },
    ),
    # the customer's history, and the value and lifecycle notes, are computed from the rows
    # above; the log of a privacy request is its proof
    PersonalModel("rs.customer.history", "partner_id", {"detail": PersonalField(erase=FOLLOWS)}),
    # (a field said from a ``_message`` field follows it)
    PersonalModel(
        "rs.customer.value",
        "partner_id",
        {"signal_note_message": PersonalField(erase=FOLLOWS), "signal_note": PersonalField(erase=FOLLOWS)},
    ),
    PersonalModel(
        "rs.lifecycle.history",
        "partner_id",
        {"detail_message": PersonalField(erase=KEEP), "detail": PersonalField(erase=FOLLOWS)},
    ),
    PersonalModel(
        "rs.privacy.request.log",
        "request_id.partner_id",
        {"detail_message": PersonalField(erase=KEEP), "detail": PersonalField(erase=FOLLOWS)},
    ),
    # a value asked for in a correction request, until the officer applies it
    PersonalModel("rs.privacy.correction", "request_id.partner_id", {"new_value": PersonalField(TEXT)}),
    # the corrections asked for in the portal, until the customer types the code
    PersonalModel("rs.privacy.verification", "partner_id", {"pending_corrections": PersonalField()}),
    PersonalModel("rs.privacy.retention.line", "partner_id", {"keep_reason": PersonalField(erase=KEEP)}),
    # what a reveal shows to whom may see it: never masked, gone with the dialog
    PersonalModel(
        "rs.contact.reveal",
        "partner_id",
        {fname: PersonalField() for fname in ("phone", "mobile", "email", "street", "street2")},
    ),
]

REVEAL_FIELDS = [
    ("phone", "Phone"),
    ("mobile", "Mobile"),
    ("email", "Email"),
    ("street", "Street"),
    ("street2", "Street 2"),
]
# The customer's own fields handed over on request; erased unless accounting needs them.
PROFILE_FIELDS = [
    "name",
    "ref",
    "vat",
    "phone",
    "mobile",
    "email",
    "website",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
    "function",
    "lang",
    "tz",
    "comment",
    "rs_birthday",
    "rs_is_lunar_birthday",
    "rs_lunar_birth_month",
    "rs_lunar_birth_day",
    "rs_lunar_birth_leap",
    "rs_household_id",
    "rs_preferred_channel",
    "rs_service_preference_ids",
    "rs_service_note",
    "rs_emergency_contact_id",
    "rs_guardian_id",
    "rs_customer_since",
    "rs_referred_by_id",
    "rs_wechat_id",
    "user_id",
]

# Kept on a customer with posted invoices: accounting law keeps the invoice's party.
ACCOUNTING_FIELDS = ["name", "vat", "street", "street2", "city", "zip", "state_id", "country_id"]

ERASED_PARTNER_VALUES = {
    "ref": False,
    "phone": False,
    "mobile": False,
    "email": False,
    "website": False,
    "function": False,
    "comment": False,
    "rs_birthday": False,
    "rs_is_lunar_birthday": False,
    "rs_lunar_birth_month": 0,
    "rs_lunar_birth_day": 0,
    "rs_lunar_birth_leap": False,
    "rs_service_note": False,
    "rs_emergency_contact_id": False,
    "rs_guardian_id": False,
    "rs_wechat_id": False,
    "image_1920": False,
    "title": False,
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    rs_contact_masked = fields.Boolean(
        string="Contact Details Masked",
        compute="_compute_rs_contact_masked",
        help="Phone, e-mail and street are shown masked to you for this customer; showing them "
        "is an explicit, logged action.",
    )
    rs_erased = fields.Boolean(
        string="Personal Data Erased",
        readonly=True,
        copy=False,
        help="This customer's personal data was erased on request; what accounting must keep is kept.",
    )

    def _compute_rs_contact_masked(self):
        masked = self._rs_masked_ids()
        for partner in self:
            partner.rs_contact_masked = partner.id in masked

    @api.depends_context("uid", "rs_mask_contacts")
    def _compute_display_name(self):  # pylint: disable=missing-return
        """A name shown with its address or e-mail (contexts ``show_address``, ``show_email``:
        dropdowns, ``name_search``) shows them masked to whom they are masked; a many2one's
        name is computed as superuser, so the user's own masking decides here."""
        super()._compute_display_name()
        if any(self.env.context.get(key) for key in ("show_address", "show_email", "show_vat")):
            self._rs_mask_derived_names("display_name")

    # ------------------------------------------------------------------
    # THE REGISTRY OF PERSONAL DATA
    # ------------------------------------------------------------------

    @api.model
    def _rs_personal_data(self):
        """[PersonalModel] of the personal data this addon holds; the bridges add theirs."""
        return list(PERSONAL_DATA)

    @api.model
    @tools.ormcache()
    def _rs_personal_entries(self):
        """{model: PersonalModel} from every addon's registry."""
        # sudo: the registry is code, the same for everyone
        return merge(self.sudo()._rs_personal_data())

    @api.model
    @tools.ormcache()
    def _rs_masked_field_kinds(self):
        """{model: {field: mask kind}} from every addon's registry, for the masking."""
        # sudo: the registry is code, the same for everyone
        return masked_fields(self.sudo()._rs_personal_data())

    # ------------------------------------------------------------------
    # WHO SEES WHAT
    # ------------------------------------------------------------------

    @api.model
    def _rs_masking_role(self):
        """Whether the current user sees some customers masked: ``"technician"``, ``"own"``
        or ``None``. Decided on the user, not on ``sudo()``: what reaches this user's client
        is masked even when the server read it as superuser to build it."""
        user = self.env.user
        if user._is_superuser() or user.has_group("resident_service_crm.group_user_all"):
            return None
        if user.has_group("resident_service_crm.group_user_own"):
            return "own" if self.env.context.get("rs_mask_contacts") else None
        if user.has_group("resident_service_crm.group_technician"):
            return "technician"
        return None

    @api.model
    def _rs_visible_partners_sql(self):
        """SQL selecting the partners whose contact details the current user, who sees some
        masked, sees in full: staff and companies, the user's own customers (users of their
        own customers), and the customers of a visit assigned to the user from the start of
        the day before its window (in the user's time zone) until its end.

        The window reads only what the technician cannot change on a visit: its customer,
        its assignee, its window and whether it was cancelled."""
        self.env["rs.service.record"].flush_model(
            ["user_id", "partner_id", "state", "scheduled_start", "scheduled_end"]
        )
        self.env["res.users"].flush_model(["partner_id", "share"])
        self.flush_model(["user_id"])
        own = SQL()
        if self._rs_masking_role() == "own":
            own = SQL("UNION ALL SELECT p.id FROM res_partner p WHERE p.user_id = %s", self.env.uid)
        return SQL(
            """(
                SELECT u.partner_id FROM res_users u WHERE u.share IS NOT TRUE
                UNION ALL SELECT c.partner_id FROM res_company c
                %(own)s
                UNION ALL SELECT v.partner_id FROM rs_service_record v
                 WHERE v.user_id = %(uid)s
                   AND v.state != 'cancelled'
                   AND COALESCE(v.scheduled_end, v.scheduled_start) >= %(now)s
                   AND ((date_trunc('day', (v.scheduled_start AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)
                         - INTERVAL '1 day') AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC' <= %(now)s
            )""",
            own=own,
            uid=self.env.uid,
            now=fields.Datetime.now(),
            tz=self.env.user.tz or "UTC",
        )

    def _rs_masked_ids(self):
        """Ids of the customers in ``self`` whose contact details the current user sees masked.

        A field technician sees them masked everywhere, except around a visit assigned to
        them. A user of their own customers sees them masked in the suite's views (context
        ``rs_mask_contacts``) for customers who are not theirs. Wider roles, and the system
        itself, see everything; staff and companies are never masked."""
        return self._rs_masked_row_ids()

    @api.model
    def _rs_masked_stored_ids(self, ids):
        if not ids or not self._rs_masking_role():
            return set()
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM res_partner WHERE id IN %s AND id NOT IN %s",
                tuple(ids),
                self._rs_visible_partners_sql(),
            )
        )
        return {row[0] for row in rows}

    def _rs_new_row_customers(self):
        # Odoo copies a new contact's address from its parent
        # sudo: the parent decides the masking, whatever the user may read
        return self.sudo().parent_id

    def _rs_visible_rows_sql(self):
        return self._rs_visible_partners_sql()

    def _search_phone_mobile_search(self, operator, value):
        """Searching numbers finds, among the customers masked to the user, none: the answer
        is the same whatever their numbers."""
        domain = super()._search_phone_mobile_search(operator, value)
        if not self.env.su and self._rs_masking_role():
            domain = expression.AND([domain, [("id", "in", self._rs_visible_partners_sql())]])
        return domain

    def _rs_masked_values(self, partner_id, fnames):
        """The masked values of ``fnames`` for one customer, from its real values."""
        return self.browse(partner_id)._rs_masked_owner_values(fnames, [partner_id]).get(partner_id, {})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_rs_consent_history(self):
        """The history of a customer's consents is the evidence that they were asked: such a
        customer is archived or erased, not deleted."""
        # sudo: whether a history exists is checked whoever deletes; nothing of it is shown
        event = self.env["rs.consent.event"].sudo().search([("partner_id", "in", self.ids)], limit=1)
        if event:
            raise UserError(
                self.env._(
                    "The history of %(customer)s's consents is kept as evidence: archive the customer, "
                    "or erase their personal data with a request, instead.",
                    customer=event.partner_id.display_name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_rs_revealed(self):
        """The log of who was shown a customer's contact details outlives the customer: such
        a customer is archived or erased, not deleted."""
        # sudo: whether reveals exist is checked whoever deletes; nothing of them is shown
        revealed = self.env["rs.contact.reveal.log"].sudo().search([("partner_id", "in", self.ids)], limit=1)
        if revealed:
            raise UserError(
                self.env._(
                    "%(customer)s's contact details were shown to staff, and the log of it is kept: "
                    "archive the customer, or erase their personal data with a request, instead.",
                    customer=revealed.partner_id.display_name,
                )
            )

    @api.model
    def _rs_privacy_creator_salesperson(self, vals_list):
        """Step of ``res.partner.create``: the creator of a customer becomes its salesperson,
        whatever the client sends, so that no one gives themselves, or takes from others, the
        sight of a customer's details; a Resident Services manager may name another."""
        if self.env.su or not self.env.user.has_group("resident_service_crm.group_user_own"):
            return
        manager = self.env.user.has_group("resident_service_crm.group_manager")
        for vals in vals_list:
            if not manager:
                vals["user_id"] = self.env.uid
            elif vals.get("rs_is_resident_customer"):
                vals.setdefault("user_id", self.env.uid)

    def _rs_privacy_check_scope(self, vals):
        """Step of ``res.partner.write``: the salesperson of a customer decides who sees their
        contact details, so changing it is a Resident Services manager's action."""
        if "user_id" not in vals or self.env.su:
            return
        user = self.env.user
        if user.has_group("resident_service_crm.group_manager") or not user.has_group(
            "resident_service_crm.group_user_own"
        ):
            return
        if any(partner.user_id.id != (vals["user_id"] or False) for partner in self.sudo()):
            raise AccessError(
                self.env._(
                    "The salesperson of a customer decides who sees their contact details; ask a "
                    "Resident Services manager to change it."
                )
            )

    def _rs_privacy_unmasked_vals(self, vals):
        """Step of ``res.partner.write``: a masked value sent back unchanged by a form is not a
        new value; the real one is kept."""
        if any(f in vals and isinstance(vals[f], str) and MASK[:3] in vals[f] for f in MASKED_FIELDS):
            masked = self._rs_masked_ids()
            if masked:
                for partner in self.browse(list(masked)):
                    shown = self._rs_masked_values(partner.id, MASKED_FIELDS)
                    if any(f in vals and vals[f] == shown[f] for f in MASKED_FIELDS):
                        vals = {
                            f: v for f, v in vals.items() if not (f in MASKED_FIELDS and v == shown.get(f))
                        }
        return vals

    # ------------------------------------------------------------------
    # REVEAL
    # ------------------------------------------------------------------

    def action_rs_reveal_contact(self):
        """Show this customer's masked contact details, and log that they were shown."""
        self.ensure_one()
        if self.id not in self._rs_masked_ids():
            raise UserError(
                self.env._("The contact details of %s are not masked for you.", self.display_name)
            )
        user = self.env.user
        if (
            not user.has_group("resident_service_crm.group_user_own")
            and not self.env.company.rs_reveal_technician
        ):
            raise AccessError(
                self.env._(
                    "Field technicians see a customer's contact details only around a visit "
                    "assigned to them. Ask your manager if you need them now."
                )
            )
        shown = [fname for fname in MASKED_FIELDS if self[fname]]
        # sudo: the reveal log is written for every reveal, also by users who may not read it.
        self.env["rs.contact.reveal.log"].sudo().create(
            [
                {
                    "user_id": user.id,
                    "partner_id": self.id,
                    "field_name": fname,
                    "company_id": self.env.company.id,
                }
                for fname in shown
            ]
        )
        wizard = self.env["rs.contact.reveal"].create(
            {"partner_id": self.id, **{fname: self[fname] for fname in MASKED_FIELDS}}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contact Details"),
            "res_model": "rs.contact.reveal",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _rs_reveal_field_labels(self):
        return dict(REVEAL_FIELDS)

    # ------------------------------------------------------------------
    # EXPORT
    # ------------------------------------------------------------------

    def _rs_privacy_rows(self, records, fnames):
        """Plain, readable rows of ``records``: labels as keys, names instead of ids."""
        rows = []
        fields_ = [records._fields[f] for f in fnames if f in records._fields]
        for record in records:
            row = {"id": record.id}
            for field in fields_:
                value = record[field.name]
                if field.type in ("many2one", "many2many", "one2many"):
                    value = ", ".join(value.mapped("display_name"))
                elif field.type == "html":
                    value = html2plaintext(value or "")
                elif field.type == "selection":
                    value = dict(field._description_selection(record.env)).get(value, value or "")
                elif field.type == "date":
                    value = fields.Date.to_string(value) if value else ""
                elif field.type == "datetime":
                    value = fields.Datetime.to_string(value) if value else ""
                elif value is False and field.type != "boolean":
                    value = ""
                row[field.string] = value
            rows.append(row)
        return rows

    def _rs_privacy_records(self):
        """The suite's records about this customer, by model: {model: records}."""
        self.ensure_one()
        complaints = (
            self.env["rs.complaint"].with_context(active_test=False).search([("partner_id", "=", self.id)])
        )
        # sudo: the person's consents given to every company are their data, whichever
        # company holds them; the access request hands over all of them with the company.
        consents = self.env["rs.consent"].sudo().search([("partner_id", "=", self.id)])
        return {
            "rs.household": self.rs_household_id,
            "rs.service.record": self.env["rs.service.record"].search([("partner_id", "=", self.id)]),
            "rs.communication": self.env["rs.communication"].search([("partner_id", "=", self.id)]),
            "rs.complaint": complaints,
            "rs.complaint.action": complaints.action_ids,
            "rs.complaint.compensation": complaints.compensation_ids,
            "rs.care.event": self.env["rs.care.event"].search([("partner_id", "=", self.id)]),
            "rs.consent": consents,
            "rs.consent.event": consents.event_ids,
        }

    def _rs_privacy_sections(self):
        """[(key, title, records, field names)] handed over on an access request."""
        self.ensure_one()
        records = self._rs_privacy_records()
        return [
            ("profile", self.env._("Profile"), self, PROFILE_FIELDS),
            (
                "household",
                self.env._("Household"),
                records["rs.household"],
                [
                    "name",
                    "rs_community_id",
                    "building",
                    "unit",
                    "room",
                    "street",
                    "street2",
                    "city",
                    "zip",
                    "access_note",
                ],
            ),
            (
                "services",
                self.env._("Service Records"),
                records["rs.service.record"],
                [
                    "name",
                    "service_type_id",
                    "scheduled_start",
                    "scheduled_end",
                    "arrival_time",
                    "finish_time",
                    "state",
                    "user_id",
                    "outcome_note",
                    "notes",
                ],
            ),
            (
                "communications",
                self.env._("Communications"),
                records["rs.communication"],
                [
                    "date",
                    "channel",
                    "direction",
                    "summary",
                    "detail",
                    "outcome",
                    "next_step",
                    "next_step_date",
                    "user_id",
                ],
            ),
            (
                "complaints",
                self.env._("Complaints"),
                records["rs.complaint"],
                [
                    "name",
                    "date",
                    "subject",
                    "channel",
                    "email_from",
                    "category_id",
                    "description",
                    "acknowledgement_note",
                    "investigation",
                    "resolution",
                    "stage_id",
                    "apology_method",
                ],
            ),
            (
                "complaint_actions",
                self.env._("Complaint Actions"),
                records["rs.complaint.action"],
                ["complaint_id", "name", "date_deadline"],
            ),
            (
                "compensations",
                self.env._("Compensations"),
                records["rs.complaint.compensation"],
                ["complaint_id", "compensation_type", "amount", "description", "state"],
            ),
            (
                "care_events",
                self.env._("Care Events"),
                records["rs.care.event"],
                [
                    "rule_id",
                    "occurrence_date",
                    "scheduled_date",
                    "channel",
                    "state",
                    "reason",
                    "reason_detail",
                    "result",
                ],
            ),
            (
                "consents",
                self.env._("Consents"),
                records["rs.consent"],
                ["company_id", "purpose", "channel", "state", "date", "source", "text_version"],
            ),
            (
                "consent_history",
                self.env._("Consent History"),
                records["rs.consent.event"],
                ["company_id", "purpose", "channel", "state", "date", "source", "text_version", "user_id"],
            ),
        ]

    def _rs_privacy_registered_records(self):
        """{model: records} of every model of the personal-data registry (the bridges'
        included) that holds rows about this customer, found by the registry's path from a
        row to its customer; the customer itself and the transient reveal dialog aside."""
        self.ensure_one()
        found = {}
        for model, entry in self._rs_personal_entries().items():
            if model in ("res.partner", "rs.contact.reveal") or model not in self.env:
                continue
            # sudo: the privacy officer hands over and erases every row about the customer,
            # whoever may read it in its own app; the rows are found by the customer only
            Model = self.env[model].sudo().with_context(active_test=False)
            found[model] = Model.search([(entry.customer, "in", self.ids)])
        return found

    def _rs_privacy_message_domain(self):
        """The messages on this customer and on every registered record about them."""
        self.ensure_one()
        domains = [[("model", "=", "res.partner"), ("res_id", "=", self.id)]]
        for model, records in self._rs_privacy_registered_records().items():
            if records and "message_ids" in records._fields:
                domains.append([("model", "=", model), ("res_id", "in", records.ids)])
        return expression.OR(domains)

    def _rs_privacy_export(self):
        """Everything the suite holds about this customer: {key: {"title", "rows"}}."""
        self.ensure_one()
        data = {}
        covered = set()
        for key, title, records, fnames in self._rs_privacy_sections():
            data[key] = {
                "title": title,
                "model": records._name,
                "rows": self._rs_privacy_rows(records, fnames),
            }
            covered.add(records._name)
        # every other registered model holding rows about the customer: its registered fields
        entries = self._rs_personal_entries()
        for model, records in self._rs_privacy_registered_records().items():
            if model in covered or not records:
                continue
            fnames = [
                fname
                for fname, spec in entries[model].fields.items()
                if spec.mask != SEARCH and fname in records._fields
            ]
            data[model.replace(".", "_")] = {
                "title": self.env["ir.model"]._get(model).name,
                "model": model,
                "rows": self._rs_privacy_rows(records, ["display_name", *fnames]),
            }
        # sudo: messages of records the officer may read are handed over whoever wrote them.
        messages = self.env["mail.message"].sudo().search(self._rs_privacy_message_domain(), order="date, id")
        data["messages"] = {
            "title": self.env._("Messages"),
            "model": "mail.message",
            "rows": [
                {
                    "id": message.id,
                    self.env._("Date"): fields.Datetime.to_string(message.date),
                    self.env._("Document"): message.record_name or "",
                    self.env._("Author"): message.author_id.display_name or message.email_from or "",
                    self.env._("Subject"): message.subject or "",
                    self.env._("Message"): html2plaintext(message.body or ""),
                    self.env._("Changes"): "; ".join(
                        f"{t.field_id.field_description}: {t.old_value_char or t.old_value_text or ''} → "
                        f"{t.new_value_char or t.new_value_text or ''}"
                        for t in message.tracking_value_ids
                    ),
                }
                for message in messages
            ],
        }
        return data

    # ------------------------------------------------------------------
    # ERASURE
    # ------------------------------------------------------------------

    def _rs_privacy_erase_records(self):
        """[(records, values)] that erase the personal content of every registered record
        about this customer, keeping the records themselves (statistics keep their counts):
        each field as the registry says (``CLEAR`` emptied, ``ERASED`` replaced by the word
        "Erased"; ``KEEP`` and ``FOLLOWS`` left). A household shared with others is theirs too,
        and kept; the customer, their portal user and the models an addon erases itself
        (``_rs_privacy_erased_elsewhere``) have steps of their own."""
        self.ensure_one()
        erased = self.env._("Erased")
        entries = self._rs_personal_entries()
        skip = {"res.users", *self._rs_privacy_erased_elsewhere()}
        result = []
        for model, records in self._rs_privacy_registered_records().items():
            if model in skip or not records:
                continue
            if model == "rs.household" and records.member_ids - self:
                continue
            values = {}
            for fname, spec in entries[model].fields.items():
                field = records._fields.get(fname)
                if not field or not field.store or (field.readonly and field.compute and not field.inverse):
                    continue
                if spec.erase == CLEAR:
                    values[fname] = False
                elif spec.erase == ERASED:
                    values[fname] = erased
            if values:
                result.append((records, values))
        return result

    @api.model
    def _rs_privacy_erased_elsewhere(self):
        """Registered models whose erasure an addon does itself, in its ``_rs_privacy_erase``."""
        return set()

    def _rs_privacy_erase_outbox(self, messages):
        """Erase the customer's e-mails and text messages, queued or sent: those of the erased
        messages, and those addressed to the customer's partner, address or numbers. Returns
        [(label, count)]."""
        self.ensure_one()
        done = []
        raw = [n for n in (self.phone_sanitized, self.phone, self.mobile) if n]
        numbers = {*raw, *(self._phone_format(number=n) for n in raw)} - {False, None}
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            SQL(
                """
                SELECT m.id FROM mail_mail m
                 WHERE m.mail_message_id = ANY(%(messages)s)
                    OR m.id IN (SELECT rel.mail_mail_id FROM mail_mail_res_partner_rel rel
                                 WHERE rel.res_partner_id = %(partner)s)
                    OR m.email_to ILIKE %(email)s
                """,
                messages=list(messages.ids),
                partner=self.id,
                email=f"%{self.email_normalized}%" if self.email_normalized else None,
            )
        )
        mail_ids = [row[0] for row in cr.fetchall()]
        if mail_ids:
            cr.execute(
                SQL(
                    "UPDATE mail_mail SET body_html = %s, email_to = NULL, email_cc = NULL, headers = NULL,"
                    ' "references" = NULL WHERE id = ANY(%s)',
                    f"<p>{self.env._('Erased')}</p>",
                    mail_ids,
                )
            )
            done.append((self.env["mail.mail"]._name, len(mail_ids)))
        cr.execute(
            SQL(
                """
                UPDATE sms_sms SET body = %(erased)s, number = NULL
                 WHERE partner_id = %(partner)s
                    OR mail_message_id = ANY(%(messages)s)
                    OR number = ANY(%(numbers)s)
                RETURNING id
                """,
                erased=self.env._("Erased"),
                partner=self.id,
                messages=list(messages.ids),
                numbers=list(numbers),
            )
        )
        if sms := cr.fetchall():
            done.append((self.env["sms.sms"]._name, len(sms)))
        cr.execute(
            SQL(
                """
                UPDATE mail_notification SET sms_number = NULL, failure_reason = NULL
                 WHERE (res_partner_id = %(partner)s OR mail_message_id = ANY(%(messages)s))
                   AND (sms_number IS NOT NULL OR failure_reason IS NOT NULL)
                """,
                partner=self.id,
                messages=list(messages.ids),
            )
        )
        self.env["mail.mail"].invalidate_model()
        self.env["sms.sms"].invalidate_model()
        self.env["mail.notification"].invalidate_model()
        return done

    def _rs_privacy_erase_record_names(self):
        """Odoo keeps the name a record had in its activities and rating requests: they take
        the erased record's name, and the customer's rating comments go."""
        records = self._rs_privacy_registered_records()
        records["res.partner"] = self
        cr = self.env.cr
        self.env.flush_all()
        for model, rows in records.items():
            if not rows:
                continue
            names = {row.id: row.display_name for row in rows}
            cr.execute(
                SQL(
                    """
                    UPDATE mail_activity a SET res_name = n.name
                      FROM unnest(%(ids)s::int[], %(names)s::varchar[]) AS n(id, name)
                     WHERE a.res_model = %(model)s AND a.res_id = n.id
                    """,
                    ids=list(names),
                    names=list(names.values()),
                    model=model,
                )
            )
            if "rating_ids" in rows._fields:
                cr.execute(
                    SQL(
                        """
                        UPDATE rating_rating r SET res_name = n.name, feedback = NULL
                          FROM unnest(%(ids)s::int[], %(names)s::varchar[]) AS n(id, name)
                         WHERE r.res_model = %(model)s AND r.res_id = n.id
                        """,
                        ids=list(names),
                        names=list(names.values()),
                        model=model,
                    )
                )
        self.env["mail.activity"].invalidate_model(["res_name"])
        if "rating.rating" in self.env:
            self.env["rating.rating"].invalidate_model(["res_name", "feedback"])

    def _rs_privacy_erase_attachments(self):
        """The files attached to the customer and to every registered record about them
        outside a message (those go with the messages); a household shared with others keeps
        its files. The files leave the filestore at Odoo's next garbage collection. Returns
        [(label, count)]."""
        self.ensure_one()
        domains = [[("res_model", "=", "res.partner"), ("res_id", "=", self.id)]]
        for model, records in self._rs_privacy_registered_records().items():
            if model == "rs.household":
                records = records.filtered(lambda household: not household.member_ids - self)
            if records:
                domains.append([("res_model", "=", model), ("res_id", "in", records.ids)])
        # sudo: the officer removes the files about the customer, whoever attached them
        attachments = self.env["ir.attachment"].sudo().search(expression.OR(domains))
        count = len(attachments)
        attachments.unlink()
        return [(attachments._name, count)] if count else []

    def _rs_privacy_erase_optouts(self):
        """The customer's opt-outs leave Odoo's e-mail and phone blacklists, which show the
        address or number, and are kept as digests that still recognise it
        (``rs.privacy.optout``). The addresses and numbers are those of every registered
        e-mail and phone field about the customer. Returns [(label, count)]."""
        self.ensure_one()
        entries = self._rs_personal_entries()
        emails, numbers = set(), set()
        # sudo: the values are read to find the blacklist rows, never shown
        sources = {"res.partner": self.sudo(), **self._rs_privacy_registered_records()}
        for model, records in sources.items():
            for fname, spec in entries[model].fields.items():
                field = records._fields.get(fname)
                if not records or not field or not field.store or spec.mask not in (EMAIL, PHONE):
                    continue
                for value in records.mapped(fname):
                    if not isinstance(value, str):
                        continue
                    if spec.mask == EMAIL:
                        emails.update(tools.email_normalize_all(value))
                    else:
                        numbers.add(self._phone_format(number=value))
        numbers.discard(False)
        # sudo: the officer removes the blacklist rows that show the customer's address; the
        # opt-out itself stays, as a digest
        mail_rows = self.env["mail.blacklist"].sudo().with_context(active_test=False).browse()
        phone_rows = self.env["phone.blacklist"].sudo().with_context(active_test=False).browse()
        if emails:
            mail_rows = mail_rows.search([("email", "in", sorted(emails))])
        if numbers:
            phone_rows = phone_rows.search([("number", "in", sorted(numbers))])
        if not mail_rows and not phone_rows:
            return []
        Optout = self.env["rs.privacy.optout"]
        kept = Optout._keep(OPTOUT_EMAIL, mail_rows.filtered("active").mapped("email"))
        kept += Optout._keep(OPTOUT_PHONE, phone_rows.filtered("active").mapped("number"))
        mail_rows.unlink()
        phone_rows.unlink()
        return [(Optout._name, kept)]

    def _rs_privacy_restore_optouts(self):
        """An address or number stored on a contact again gets back the opt-out an erased
        customer had given for it (``rs.privacy.optout._restore``)."""
        emails = {partner.email_normalized for partner in self if partner.email_normalized}
        numbers = {
            partner._phone_format(number=number)
            for partner in self
            for number in (partner.phone, partner.mobile)
            if number
        } - {False}
        if emails or numbers:
            self.env["rs.privacy.optout"]._restore(emails, numbers)

    def _rs_privacy_erase_portal_users(self):
        """The customer's portal access ends: the user is archived, and its login and
        signature no longer say who it was. Returns [(label, count)]."""
        self.ensure_one()
        # sudo: the officer ends the access of the customer's own user, whoever may manage users
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", self.id), ("share", "=", True)])
        )
        if users:
            users.write({"active": False})
            users.api_key_ids._remove()
            # in SQL: Odoo mails a login change to the very address being erased
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE res_users SET login = 'erased-' || id || '@erased.invalid', signature = NULL"
                    " WHERE id = ANY(%s)",
                    users.ids,
                )
            )
            users.invalidate_recordset(["login", "signature"])
        return [(users._name, len(users))] if users else []

    def _rs_privacy_keeps_accounting(self):
        self.ensure_one()
        # sudo: whether posted invoices exist decides what the law keeps, whoever asks.
        return bool(
            self.env["account.move"]
            .sudo()
            .search_count(
                [("commercial_partner_id", "=", self.commercial_partner_id.id), ("state", "=", "posted")],
                limit=1,
            )
        )

    def _rs_privacy_erase(self):
        """Erase this customer's personal data by anonymisation; return what was done as
        [(model, count)] without any personal value, and whether accounting data was kept."""
        self.ensure_one()
        ctx = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        done = self._rs_privacy_erase_optouts()  # first: it reads the addresses
        for records, values in self._rs_privacy_erase_records():
            records = records.exists()
            if records:
                records.with_context(**ctx).write(values)
                done.append((records._name, len(records)))
        # messages and their tracked changes, in set-based statements
        # sudo: the privacy officer erases messages whoever wrote them.
        messages = self.env["mail.message"].sudo().search(self._rs_privacy_message_domain())
        if messages:
            erased_body = f"<p>{self.env._('Erased')}</p>"
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_message SET body = %s, subject = NULL, email_from = NULL, reply_to = NULL,"
                    " record_name = %s WHERE id IN %s",
                    erased_body,
                    self.env._("Erased"),
                    tuple(messages.ids),
                )
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_tracking_value SET old_value_char = NULL, new_value_char = NULL,"
                    " old_value_text = NULL, new_value_text = NULL WHERE mail_message_id IN %s",
                    tuple(messages.ids),
                )
            )
            messages.attachment_ids.unlink()
            messages.invalidate_recordset()
            self.env["mail.tracking.value"].invalidate_model()
            done.append((messages._name, len(messages)))
        done += self._rs_privacy_erase_attachments()
        done += self._rs_privacy_erase_outbox(messages)
        done += self._rs_privacy_erase_portal_users()
        keep = self._rs_privacy_keeps_accounting()
        values = dict(
            ERASED_PARTNER_VALUES, rs_erased=True, rs_service_preference_ids=[fields.Command.clear()]
        )
        if not keep:
            values.update(
                name=self.env._("Erased Customer %s", self.id),
                vat=False,
                street=False,
                street2=False,
                city=False,
                zip=False,
                state_id=False,
            )
        self.with_context(**ctx).write(values)
        self._rs_privacy_erase_record_names()
        done.append((self._name, 1))
        return done, keep
