from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.masking import MASK, mask_value

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


class ResPartner(models.Model):
    _inherit = "res.partner"

    rs_contact_masked = fields.Boolean(
        string="Contact Details Masked",
        compute="_compute_rs_contact_masked",
        help="Phone, e-mail and street are shown masked to you for this customer; showing them "
        "is an explicit, logged action.",
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
        # One record at a time, so that each record's first row can be masked; the
        # records keep their prefetch set, so the fields are still read in one go.
        lines = []
        toplevel = _is_toplevel_call
        for partner in self:
            rows = super(ResPartner, partner)._export_rows(fields, _is_toplevel_call=toplevel)
            toplevel = False
            if partner.id in masked and rows:
                names = [fields[i][0] for i in positions]
                values = self._rs_masked_values(partner.id, names)
                for i, name in zip(positions, names, strict=True):
                    if rows[0][i]:
                        rows[0][i] = values[name] or ""
            lines += rows
        return lines

    def write(self, vals):
        # A masked value sent back unchanged by a form is not a new value: keep the real one.
        if any(f in vals and isinstance(vals[f], str) and MASK[:3] in vals[f] for f in MASKED_FIELDS):
            masked = self._rs_masked_ids()
            if masked:
                for partner in self.browse(list(masked)):
                    shown = self._rs_masked_values(partner.id, MASKED_FIELDS)
                    if any(f in vals and vals[f] == shown[f] for f in MASKED_FIELDS):
                        vals = {
                            f: v for f, v in vals.items() if not (f in MASKED_FIELDS and v == shown.get(f))
                        }
        return super().write(vals)

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
