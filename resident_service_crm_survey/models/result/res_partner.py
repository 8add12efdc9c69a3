from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ...tools import scores
from .rs_survey_result import NPS_CATEGORIES

_lt = LazyTranslate(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"

    rs_csi_latest = fields.Float(
        string="Latest CSI",
        compute="_compute_rs_satisfaction",
        help="Satisfaction index of the latest response.",
    )
    rs_csi_12m = fields.Float(
        string="CSI (12 Months)",
        compute="_compute_rs_satisfaction",
        help="Mean satisfaction index of the responses of the last 12 months.",
    )
    rs_nps_latest = fields.Selection(
        NPS_CATEGORIES, string="Latest NPS Category", compute="_compute_rs_satisfaction"
    )
    rs_survey_result_count = fields.Integer(string="Survey Responses", compute="_compute_rs_satisfaction")
    rs_service_quality_index = fields.Float(
        string="Service Quality Index",
        compute="_compute_rs_evaluation",
        digits=(16, 1),
        help="The customer's score under the service quality evaluation model, 0-100.",
    )
    rs_satisfaction_index = fields.Float(
        string="Satisfaction Evaluation",
        compute="_compute_rs_evaluation",
        digits=(16, 1),
        help="The customer's score under the satisfaction evaluation model, 0-100.",
    )
    rs_loyalty_index = fields.Float(
        string="Loyalty Index",
        compute="_compute_rs_evaluation",
        digits=(16, 1),
        help="The customer's score under the loyalty evaluation model (repeat purchases, referrals, "
        "tenure, NPS), 0-100.",
    )

    def _compute_rs_satisfaction(self):
        """Two grouped reads and one ordered search for the whole set."""
        Result = self.env["rs.survey.result"]
        since = fields.Datetime.now() - relativedelta(months=12)
        counts = dict(Result._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        rolling = dict(
            Result._read_group(
                [("partner_id", "in", self.ids), ("has_csi", "=", True), ("date", ">=", since)],
                ["partner_id"],
                ["csi:avg"],
            )
        )
        latest_csi, latest_nps = {}, {}
        for result in Result.search_fetch(
            [("partner_id", "in", self.ids), "|", ("has_csi", "=", True), ("has_nps", "=", True)],
            ["partner_id", "has_csi", "csi", "nps_category"],
            order="date desc, id desc",
        ):
            if result.has_csi:
                latest_csi.setdefault(result.partner_id.id, result.csi)
            if result.nps_category:
                latest_nps.setdefault(result.partner_id.id, result.nps_category)
        for partner in self:
            partner.rs_survey_result_count = counts.get(partner, 0)
            partner.rs_csi_12m = rolling.get(partner) or 0.0
            partner.rs_csi_latest = latest_csi.get(partner.id, 0.0)
            partner.rs_nps_latest = latest_nps.get(partner.id, False)

    def _compute_rs_evaluation(self):
        """The company's evaluation model of each kind, for the whole set at once."""
        Model = self.env["rs.evaluation.model"]
        for kind, field in (
            ("service_quality", "rs_service_quality_index"),
            ("satisfaction", "rs_satisfaction_index"),
            ("loyalty", "rs_loyalty_index"),
        ):
            model = Model._model_for(kind, self.env.company)
            scores_by_partner = model._customer_index(self) if model and self.ids else {}
            for partner in self:
                partner[field] = scores_by_partner.get(partner.id) or 0.0

    def action_rs_invite_periodic(self):
        """Invite these customers to the company's periodic relationship survey (now, through
        the invitation job); customers with an unanswered invitation to it are left alone."""
        survey = self.env["survey.survey"]._rs_survey_for(self.env.company, "periodic")
        if not survey:
            raise UserError(self.env._("No active periodic satisfaction survey: create one first."))
        Invitation = self.env["rs.survey.invitation"]
        waiting = set(
            Invitation.search(
                [
                    ("partner_id", "in", self.ids),
                    ("survey_id", "=", survey.id),
                    ("state", "in", ("planned", "sent")),
                ]
            ).partner_id.ids
        )
        invitations = Invitation.create(
            [
                {
                    "survey_id": survey.id,
                    "purpose": "periodic",
                    "partner_id": partner.id,
                    "user_id": partner.user_id.id if partner.user_id and not partner.user_id.share else False,
                    "company_id": self.env.company.id,
                }
                for partner in self
                if partner.id not in waiting
            ]
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s customer(s) invited to %(survey)s.",
                    count=len(invitations),
                    survey=survey.title,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_rs_view_survey_results(self):
        return self._rs_action("resident_service_crm_survey.rs_survey_result_action")

    # ------------------------------------------------------------
    # LIFECYCLE AND VALUE SIGNALS
    # ------------------------------------------------------------
    def _rs_value_signals(self, company, today):
        """Satisfaction: a satisfaction index that fell by the company's drop from the previous
        response is a decline signal; a latest NPS answer of a detractor adds churn risk.
        Responses of the last 12 months, two per customer at most, in one query."""
        signals = super()._rs_value_signals(company, today)
        if not self:
            return signals
        self.env["rs.survey.result"].flush_model()
        end = fields.Datetime.to_datetime(today) + timedelta(days=1)
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, has_csi, csi, nps_category
                  FROM (
                        SELECT partner_id, has_csi, csi, nps_category,
                               ROW_NUMBER() OVER (PARTITION BY partner_id ORDER BY date DESC, id DESC) AS n
                          FROM rs_survey_result
                         WHERE company_id = %(company)s
                           AND partner_id = ANY(%(partners)s)
                           AND date >= %(since)s AND date < %(end)s
                           AND (has_csi OR nps_category IS NOT NULL)
                       ) ranked
                 WHERE n <= 2
                 ORDER BY partner_id, n
                """,
                company=company.id,
                partners=self.ids,
                since=end - relativedelta(months=12),
                end=end,
            )
        )
        rows = {}
        for partner_id, has_csi, csi, category in self.env.cr.fetchall():
            rows.setdefault(partner_id, []).append((csi if has_csi else None, category))
        drop_size = company.rs_survey_csi_drop
        risk = company.rs_survey_detractor_risk
        for partner_id, responses in rows.items():
            latest_csi, latest_category = responses[0]
            previous_csi = responses[1][0] if len(responses) > 1 else None
            drop = scores.csi_drop(latest_csi, previous_csi)
            if drop_size > 0 and drop >= drop_size:
                self._rs_add_signal(
                    signals,
                    partner_id,
                    decline=True,
                    reason=_lt(
                        "Satisfaction index fell %(drop).0f points (from %(before).0f to %(after).0f)",
                        drop=drop,
                        before=previous_csi,
                        after=latest_csi,
                    ),
                )
            if risk and latest_category == scores.DETRACTOR:
                self._rs_add_signal(
                    signals,
                    partner_id,
                    risk=risk,
                    reason=_lt("Latest NPS answer is a detractor's: +%(points)s", points=risk),
                )
        return signals
