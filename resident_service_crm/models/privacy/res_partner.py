"""What the suite holds about a person, to hand it over (查阅/导出) or to erase it (删除) by
anonymisation. The bridges add their own sections and erasures by overriding
``_rs_privacy_sections`` and ``_rs_privacy_erase_records``."""

from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, html2plaintext

from ...tools.masking import MASK, mask_value

# Contact details masked for staff who may not see them, and the fields derived from them
# that would otherwise show them again.
MASKED_FIELDS = ("phone", "mobile", "email", "street", "street2")
DERIVED_FIELDS = (
    "email_formatted",
    "email_normalized",
    "phone_sanitized",
    "contact_address",
    "contact_address_complete",
    "display_name",
)
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
    "birthday",
    "is_lunar_birthday",
    "lunar_birth_month",
    "lunar_birth_day",
    "lunar_birth_leap",
    "household_id",
    "preferred_channel",
    "service_preference_ids",
    "service_note",
    "emergency_contact_id",
    "guardian_id",
    "customer_since",
    "referred_by_id",
    "wechat_id",
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
    "birthday": False,
    "is_lunar_birthday": False,
    "lunar_birth_month": 0,
    "lunar_birth_day": 0,
    "lunar_birth_leap": False,
    "service_note": False,
    "emergency_contact_id": False,
    "guardian_id": False,
    "wechat_id": False,
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

    # ------------------------------------------------------------------
    # WHO SEES WHAT
    # ------------------------------------------------------------------

    def _rs_masked_ids(self):
        """Ids of the customers in ``self`` whose contact details the current user sees masked.

        A field technician sees them masked everywhere, except for the customers of a visit
        assigned to them, from the day before its window until its end. A user of their own
        customers sees them masked in the suite's views (context ``rs_mask_contacts``) for
        customers who are not theirs. Wider roles, and the system itself, see everything."""
        ids = {pid for pid in self._ids if isinstance(pid, int)}
        if not ids or self.env.su:
            return set()
        user = self.env.user
        if user.has_group("resident_service_crm.group_user_all"):
            return set()
        if user.has_group("resident_service_crm.group_user_own"):
            if not self.env.context.get("rs_mask_contacts"):
                return set()
            # sudo: which customers are the user's own decides what they may see; the user's
            # own read access must not hide that answer.
            own = set(self.sudo().browse(list(ids)).filtered(lambda p: p.user_id == user)._ids)
        elif user.has_group("resident_service_crm.group_technician"):
            own = set()
        else:
            return set()
        return ids - own - self._rs_visit_window_ids(ids)

    def _rs_visit_window_ids(self, ids):
        """Customers among ``ids`` with a visit assigned to the current user whose window is
        open: from the start of the day before it (in the user's time zone) until its end."""
        now = fields.Datetime.now()
        self.env["rs.service.record"].flush_model(
            ["user_id", "partner_id", "state", "scheduled_start", "scheduled_end"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, scheduled_start, COALESCE(scheduled_end, scheduled_start)
                  FROM rs_service_record
                 WHERE user_id = %(user)s
                   AND partner_id IN %(ids)s
                   AND state != 'cancelled'
                   AND scheduled_start <= %(horizon)s
                   AND COALESCE(scheduled_end, scheduled_start) >= %(now)s
                """,
                user=self.env.uid,
                ids=tuple(ids),
                horizon=now + timedelta(days=2),
                now=now,
            )
        )
        tz = pytz.timezone(self.env.user.tz or "UTC")
        visible = set()
        for partner_id, start, _end in rows:
            local_day = pytz.utc.localize(start).astimezone(tz).date() - timedelta(days=1)
            opens = tz.localize(datetime.combine(local_day, time.min)).astimezone(pytz.utc)
            if opens.replace(tzinfo=None) <= now:
                visible.add(partner_id)
        return visible

    def _rs_masked_values(self, partner_id, fnames):
        """The masked values of ``fnames`` for one customer, from its real values."""
        partner = self.browse(partner_id)
        region = (partner.country_id or self.env.company.country_id).code
        raw = {fname: partner[fname] for fname in MASKED_FIELDS}
        masked = {fname: mask_value(fname, raw[fname], region) for fname in MASKED_FIELDS}
        values = {}
        for fname in fnames:
            if fname in MASKED_FIELDS:
                values[fname] = masked[fname]
            elif fname in ("email_normalized", "phone_sanitized"):
                values[fname] = mask_value(fname, partner[fname], region)
            elif fname in DERIVED_FIELDS:
                text = partner[fname]
                if isinstance(text, str):
                    for source in MASKED_FIELDS:
                        if raw[source] and len(raw[source]) >= 3:
                            text = text.replace(raw[source], masked[source])
                values[fname] = text
        return values

    # ------------------------------------------------------------------
    # READS AND EXPORTS
    # ------------------------------------------------------------------

    def _read_format(self, fnames, load="_classic_read"):
        # read, web_read, search_read and web_search_read all come here.
        result = super()._read_format(fnames, load)
        touched = [f for f in fnames if f in MASKED_FIELDS or f in DERIVED_FIELDS]
        if "display_name" in touched and not (
            self.env.context.get("show_address") or self.env.context.get("show_email")
        ):
            touched.remove("display_name")
        if not touched:
            return result
        masked = self.browse([vals["id"] for vals in result])._rs_masked_ids()
        if masked:
            for vals in result:
                if vals["id"] in masked:
                    vals.update(self._rs_masked_values(vals["id"], touched))
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        positions = [
            i
            for i, path in enumerate(fields)
            if len(path) == 1 and (path[0] in MASKED_FIELDS or path[0] in DERIVED_FIELDS)
        ]
        masked = self._rs_masked_ids() if positions else set()
        if not masked:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        # One call for all the records, as Odoo's export keeps state for the whole call (its
        # cache of properties, the external ids); an extra ".id" column tells each record's
        # own row from the rows of its sub-records, and is dropped before returning.
        rows = super()._export_rows([*fields, [".id"]], _is_toplevel_call=_is_toplevel_call)
        names = [fields[i][0] for i in positions]
        for row in rows:
            record_id = row.pop()
            if record_id and int(record_id) in masked:
                values = self._rs_masked_values(int(record_id), names)
                for i, name in zip(positions, names, strict=True):
                    if row[i]:
                        row[i] = values[name] or ""
        return rows

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
            "rs.household": self.household_id,
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
                    "community_id",
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

    def _rs_privacy_message_domain(self):
        """The messages on this customer and on the suite's records about them."""
        self.ensure_one()
        domains = [[("model", "=", "res.partner"), ("res_id", "=", self.id)]]
        for model, records in self._rs_privacy_records().items():
            if records and "message_ids" in records._fields:
                domains.append([("model", "=", model), ("res_id", "in", records.ids)])
        return expression.OR(domains)

    def _rs_privacy_export(self):
        """Everything the suite holds about this customer: {key: {"title", "rows"}}."""
        self.ensure_one()
        data = {}
        for key, title, records, fnames in self._rs_privacy_sections():
            data[key] = {"title": title, "rows": self._rs_privacy_rows(records, fnames)}
        # sudo: messages of records the officer may read are handed over whoever wrote them.
        messages = self.env["mail.message"].sudo().search(self._rs_privacy_message_domain(), order="date, id")
        data["messages"] = {
            "title": self.env._("Messages"),
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
        """[(records, values)] that erase the personal content of the suite's records
        about this customer, keeping the records themselves (statistics keep their counts)."""
        self.ensure_one()
        records = self._rs_privacy_records()
        erased = self.env._("Erased")
        household = records["rs.household"]
        if household and household.member_ids - self:
            household = household.browse()  # shared with others: theirs too, kept
        return [
            (records["rs.service.record"], {"outcome_note": False, "notes": False}),
            (records["rs.communication"], {"summary": erased, "detail": False, "next_step": False}),
            (
                records["rs.complaint"],
                {
                    "subject": erased,
                    "email_from": False,
                    "description": False,
                    "acknowledgement_note": False,
                    "investigation": False,
                    "resolution": False,
                },
            ),
            (records["rs.complaint.action"], {"name": erased}),
            (records["rs.complaint.compensation"], {"description": False}),
            (records["rs.care.event"], {"reason_detail": False, "result": False}),
            (
                household,
                {
                    "name": erased,
                    "building": False,
                    "unit": False,
                    "room": False,
                    "street": False,
                    "street2": False,
                    "zip": False,
                    "access_note": False,
                },
            ),
        ]

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
        [(label, count)] without any personal value, and whether accounting data was kept."""
        self.ensure_one()
        done = []
        ctx = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        for records, values in self._rs_privacy_erase_records():
            records = records.exists()
            if records:
                records.with_context(**ctx).write(values)
                done.append((records._description, len(records)))
        # messages and their tracked changes, in set-based statements
        # sudo: the privacy officer erases messages whoever wrote them.
        messages = self.env["mail.message"].sudo().search(self._rs_privacy_message_domain())
        if messages:
            erased_body = f"<p>{self.env._('Erased')}</p>"
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_message SET body = %s, subject = NULL, email_from = NULL, reply_to = NULL"
                    " WHERE id IN %s",
                    erased_body,
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
            done.append((messages._description, len(messages)))
        keep = self._rs_privacy_keeps_accounting()
        values = dict(ERASED_PARTNER_VALUES, rs_erased=True, service_preference_ids=[fields.Command.clear()])
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
        done.append((self._description, 1))
        return done, keep
