import secrets

from odoo import api, fields, models
from odoo.tools import SQL

from ...tools.personal_data import OPTOUT_EMAIL, OPTOUT_PHONE, optout_digest

KEY_PARAM = "resident_service_crm.optout_key"


class RsPrivacyOptout(models.Model):
    """An opt-out of an erased customer, kept as a keyed digest of the address or number.

    Erasing a customer removes their rows from Odoo's e-mail and phone blacklists, which show
    the address, and keeps here a digest that recognises it without showing it. When the
    address or number is stored on a contact again, the opt-out goes back to Odoo's blacklist
    (where the address is known anyway) and its digest leaves this table. Written by the
    server only; the privacy officer sees how many are kept, never an address."""

    _name = "rs.privacy.optout"
    _description = "Opt-out of an Erased Customer"
    _order = "id desc"
    _rec_name = "kind"

    kind = fields.Selection([(OPTOUT_EMAIL, "E-mail"), (OPTOUT_PHONE, "Phone")], required=True, readonly=True)
    digest = fields.Char(required=True, readonly=True)
    create_date = fields.Datetime(string="Kept Since", readonly=True)

    _sql_constraints = [
        ("digest_unique", "unique(kind, digest)", "This opt-out is already kept."),
    ]

    def init(self):
        # the digests' key: made once per database and kept apart from database.secret,
        # which a copy of the database renews (the digests would stop matching)
        self.env.cr.execute(
            SQL(
                "INSERT INTO ir_config_parameter (key, value, create_date, write_date)"
                " VALUES (%s, %s, now() at time zone 'UTC', now() at time zone 'UTC')"
                " ON CONFLICT (key) DO NOTHING",
                KEY_PARAM,
                secrets.token_hex(32),
            )
        )

    @api.model
    def _digests(self, kind, values):
        """{digest: value} of the non-empty ``values``."""
        # sudo: the key never leaves the server; it only keys the digests
        key = self.env["ir.config_parameter"].sudo().get_param(KEY_PARAM)
        return {optout_digest(key, kind, value): value for value in values if value}

    @api.model
    def _keep(self, kind, values):
        """Keep the digests of ``values`` (normalised addresses or E.164 numbers); returns how
        many were new. Safe under concurrent erasures (one row per digest)."""
        digests = list(self._digests(kind, values))
        if not digests:
            return 0
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO rs_privacy_optout (kind, digest, create_uid, create_date, write_uid, write_date)
                SELECT %(kind)s, d, %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM unnest(%(digests)s::varchar[]) d
                ON CONFLICT (kind, digest) DO NOTHING
                """,
                kind=kind,
                digests=digests,
                uid=self.env.uid,
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _restore(self, emails, numbers):
        """Put back on Odoo's blacklists the opt-outs kept for these normalised ``emails`` and
        E.164 ``numbers``, now stored on a contact again; their digests leave this table.
        One query when nothing matches."""
        wanted = {
            (kind, digest): value
            for kind, values in ((OPTOUT_EMAIL, emails), (OPTOUT_PHONE, numbers))
            for digest, value in self._digests(kind, set(values)).items()
        }
        if not wanted:
            return self.browse()
        # sudo: the opt-outs are the server's; a user who stores an address only triggers
        # the check, and learns nothing of the table
        kept = self.sudo().search([("digest", "in", [digest for _kind, digest in wanted])])
        kept = kept.filtered(lambda optout: (optout.kind, optout.digest) in wanted)
        if not kept:
            return self.browse()
        message = self.env._(
            "Opt-out kept from an erased customer, restored when the address was stored again."
        )
        for optout in kept:
            value = wanted[optout.kind, optout.digest]
            # sudo: the blacklist is written by the server on the customer's earlier wish
            if optout.kind == OPTOUT_EMAIL:
                self.env["mail.blacklist"].sudo()._add(value, message=message)
            else:
                self.env["phone.blacklist"].sudo()._add([value], message=message)
        kept.unlink()
        return kept
