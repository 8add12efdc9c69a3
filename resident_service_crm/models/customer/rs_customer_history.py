from odoo import api, fields, models, tools
from odoo.tools import SQL


class RsCustomerHistory(models.Model):
    """One chronological line per event of a customer's relationship, read from the
    documents themselves (a database view): services, communications, care events and
    complaints here, and whatever later parts of the suite add through ``_history_queries``
    (with a label of their own in ``kind``)."""

    _name = "rs.customer.history"
    _description = "Customer History"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "summary"

    date = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    kind = fields.Selection(
        [
            ("service", "Service"),
            ("communication", "Communication"),
            ("care", "Care"),
            ("complaint", "Complaint"),
        ],
        readonly=True,
    )
    service_type_id = fields.Many2one("rs.service.type", string="Service Type", readonly=True)
    care_rule_id = fields.Many2one("rs.care.rule", string="Care Rule", readonly=True)
    summary = fields.Char(readonly=True)
    detail = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", string="Staff", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(model_field="res_model", readonly=True)

    @api.model
    def _history_queries(self):
        """SELECTs of (id, date, partner_id, kind, service_type_id, care_rule_id, summary, detail, user_id,
        company_id, res_model, res_id); ids are spread by a factor so that each source keeps
        its own (here 1 to 4 of 10)."""
        return [
            SQL(
                """
                SELECT r.id * 10 + 1 AS id, COALESCE(r.arrival_time, r.scheduled_start) AS date,
                       r.partner_id, 'service' AS kind, r.service_type_id, NULL::int AS care_rule_id,
                       r.name AS summary,
                       r.state::varchar AS detail, r.user_id, r.company_id,
                       'rs.service.record'::varchar AS res_model, r.id AS res_id
                  FROM rs_service_record r
                """
            ),
            SQL(
                """
                SELECT c.id * 10 + 2, c.date, c.partner_id, 'communication', NULL, NULL, c.summary,
                       c.channel::varchar, c.user_id, c.company_id,
                       'rs.communication'::varchar, c.id
                  FROM rs_communication c
                """
            ),
            SQL(
                """
                SELECT e.id * 10 + 3, e.occurrence_date::timestamp, e.partner_id, 'care', NULL, e.rule_id,
                       NULL, e.state::varchar, e.user_id, e.company_id, 'rs.care.event'::varchar, e.id
                  FROM rs_care_event e
                 WHERE e.state IN ('sent', 'to_do', 'done')
                """
            ),
            SQL(
                """
                SELECT k.id * 10 + 4, k.date, k.partner_id, 'complaint', NULL, NULL,
                       k.name || ' ' || k.subject, k.channel::varchar, k.user_id, k.company_id,
                       'rs.complaint'::varchar, k.id
                  FROM rs_complaint k
                 WHERE k.partner_id IS NOT NULL
                """
            ),
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                SQL(" UNION ALL ").join(self._history_queries()),
            )
        )

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
