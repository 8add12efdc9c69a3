from odoo import api, fields, models, tools
from odoo.tools import SQL


class RsMembershipTierReport(models.Model):
    """Customers per tier and company (a database view over the company-dependent tier)."""

    _name = "rs.membership.tier.report"
    _description = "Customers per Tier"
    _auto = False
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    tier_id = fields.Many2one("rs.customer.tier", string="Tier", readonly=True)
    locked = fields.Boolean(string="Tier Locked", readonly=True)

    @api.model
    def _query(self):
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY c.id, p.id) AS id, p.id AS partner_id, c.id AS company_id,
                   (p.rs_tier_id ->> c.id::text)::int AS tier_id,
                   COALESCE((p.rs_tier_locked ->> c.id::text)::boolean, false) AS locked
              FROM res_partner p
              JOIN res_company c ON p.rs_tier_id ? c.id::text
             WHERE p.active AND (p.rs_tier_id ->> c.id::text) IS NOT NULL
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
