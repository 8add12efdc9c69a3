from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.resident_service_crm.tools import server_text

from ...tools import scores
from ..evaluation.survey_survey import PURPOSES

_lt = LazyTranslate(__name__)

NPS_CATEGORIES = [
    (scores.PROMOTER, "Promoter"),
    (scores.PASSIVE, "Passive"),
    (scores.DETRACTOR, "Detractor"),
]
RECOVERY_OUTCOMES = [("recovered", "Recovered"), ("not_recovered", "Not Recovered")]


class RsSurveyResult(models.Model):
    """The scores of one completed satisfaction response, with who and what it is about:
    computed once, when the response is completed, for many responses in one query."""

    _name = "rs.survey.result"
    _description = "Satisfaction Result"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "survey_title"
    _check_company_auto = True

    user_input_id = fields.Many2one(
        "survey.user_input", string="Response", required=True, readonly=True, ondelete="cascade"
    )
    survey_id = fields.Many2one("survey.survey", string="Survey", required=True, readonly=True, index=True)
    survey_title = fields.Char(related="survey_id.title", string="Survey Title")
    purpose = fields.Selection(PURPOSES, readonly=True)
    invitation_id = fields.Many2one(
        "rs.survey.invitation", string="Invitation", readonly=True, index="btree_not_null"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, index=True)
    service_record_id = fields.Many2one(
        "rs.service.record", string="Service", readonly=True, index="btree_not_null"
    )
    complaint_id = fields.Many2one("rs.complaint", string="Complaint", readonly=True, index="btree_not_null")
    user_id = fields.Many2one("res.users", string="Staff Member", readonly=True, index="btree_not_null")
    service_type_id = fields.Many2one(
        "rs.service.type", string="Service Type", readonly=True, index="btree_not_null"
    )
    team_id = fields.Many2one("rs.service.team", string="Service Team", readonly=True, index="btree_not_null")
    line_ids = fields.One2many("rs.survey.result.line", "result_id", string="Dimensions", readonly=True)
    has_csi = fields.Boolean(readonly=True)
    csi = fields.Float(string="CSI", readonly=True, aggregator="avg", help="Satisfaction index, 0-100.")
    has_csat = fields.Boolean(readonly=True)
    csat_value = fields.Integer(string="CSAT Answer", readonly=True)
    is_csat_satisfied = fields.Boolean(string="Satisfied (CSAT 4-5)", readonly=True)
    has_nps = fields.Boolean(readonly=True)
    nps_value = fields.Integer(string="NPS Answer", readonly=True)
    nps_category = fields.Selection(NPS_CATEGORIES, string="NPS Category", readonly=True, index=True)
    has_ces = fields.Boolean(readonly=True)
    ces_value = fields.Integer(
        string="CES (1-7)",
        readonly=True,
        aggregator="avg",
        help="Customer effort score: from 1 (very difficult) to 7 (very easy); higher is easier.",
    )
    has_bottom_dimension = fields.Boolean(
        string="Dimension at Bottom",
        readonly=True,
        help="A dimension was answered at the bottom of its scale.",
    )
    needs_recovery = fields.Boolean(string="Low Score", readonly=True, index=True)
    recovery_reason_message = fields.Json(string="Recovery Reason (as stored)", readonly=True)
    recovery_reason = fields.Char(compute=server_text.compute("recovery_reason_message"))
    recovery_complaint_id = fields.Many2one(
        "rs.complaint", string="Recovery Complaint", readonly=True, index="btree_not_null"
    )
    recovery_of_id = fields.Many2one(
        "rs.survey.result",
        string="Follows Up On",
        readonly=True,
        index="btree_not_null",
        help="The earlier low response of this customer that this one follows.",
    )
    followup_ids = fields.One2many("rs.survey.result", "recovery_of_id", string="Follow-up Responses")
    recovery_outcome = fields.Selection(
        RECOVERY_OUTCOMES,
        readonly=True,
        help="For a response following a detractor's: recovered when now passive or promoter.",
    )

    _sql_constraints = [
        ("one_per_response", "unique(user_input_id)", "A response is scored once."),
    ]

    # ------------------------------------------------------------
    # SCORING (set-based)
    # ------------------------------------------------------------
    @api.model
    def _answers(self, user_inputs):
        """Per response: {dimension_id: (score, count)} and {metric: first answer}, from one
        query over the scale answers of every response given."""
        self.env["survey.user_input.line"].flush_model()
        self.env["survey.question"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH answers AS (
                    SELECT l.user_input_id, q.rs_dimension_id, q.rs_metric, l.value_scale,
                           q.sequence, q.id AS question_id,
                           (l.value_scale - q.scale_min) * 100.0 / (q.scale_max - q.scale_min) AS score
                      FROM survey_user_input_line l
                      JOIN survey_question q ON q.id = l.question_id
                     WHERE l.user_input_id = ANY(%(ids)s)
                       AND q.question_type = 'scale'
                       AND q.rs_metric IS NOT NULL
                       AND l.answer_type = 'scale'
                       AND NOT COALESCE(l.skipped, FALSE)
                       AND q.scale_max > q.scale_min
                )
                SELECT user_input_id, rs_dimension_id, NULL AS metric, AVG(score), COUNT(*)
                  FROM answers
                 WHERE rs_dimension_id IS NOT NULL
                 GROUP BY user_input_id, rs_dimension_id
                 UNION ALL
                SELECT user_input_id, NULL, rs_metric,
                       (ARRAY_AGG(value_scale ORDER BY sequence, question_id))[1], COUNT(*)
                  FROM answers
                 WHERE rs_metric IN ('csat', 'nps', 'ces')
                 GROUP BY user_input_id, rs_metric
                """,
                ids=user_inputs.ids,
            )
        )
        dimensions = defaultdict(dict)
        metrics = defaultdict(dict)
        for user_input_id, dimension_id, metric, value, count in self.env.cr.fetchall():
            if dimension_id:
                dimensions[user_input_id][dimension_id] = (float(value), count)
            else:
                metrics[user_input_id][metric] = int(value)
        return dimensions, metrics

    @api.model
    def _score(self, user_inputs):
        """Results of these completed satisfaction responses (those not scored yet)."""
        user_inputs = user_inputs.filtered(
            lambda answer: answer.survey_id.rs_is_satisfaction and not answer.test_entry
        )
        scored = set(self.search([("user_input_id", "in", user_inputs.ids)]).user_input_id.ids)
        user_inputs = user_inputs.filtered(lambda answer: answer.id not in scored)
        if not user_inputs:
            return self.browse()
        dimensions, metrics = self._answers(user_inputs)
        dimension_ids = {d for per_input in dimensions.values() for d in per_input}
        Dimension = self.env["rs.survey.dimension"].with_context(active_test=False)
        weights = {dimension.id: dimension.weight for dimension in Dimension.browse(dimension_ids)}
        invitations = {
            invitation.user_input_id.id: invitation
            for invitation in self.env["rs.survey.invitation"].search(
                [("user_input_id", "in", user_inputs.ids)]
            )
        }
        vals_list = []
        for answer in user_inputs:
            invitation = invitations.get(answer.id, self.env["rs.survey.invitation"])
            per_dimension = {d: score for d, (score, _count) in dimensions[answer.id].items()}
            index = scores.csi(per_dimension, weights)
            metric = metrics[answer.id]
            service = invitation.service_record_id or invitation.complaint_id.service_record_id
            company = invitation.company_id or self.env.company
            vals_partner = (answer.partner_id or invitation.partner_id).id
            vals_date = answer.end_datetime or fields.Datetime.now()
            vals = {
                "user_input_id": answer.id,
                "survey_id": answer.survey_id.id,
                "purpose": invitation.purpose or answer.survey_id.rs_purpose,
                "invitation_id": invitation.id,
                "partner_id": vals_partner,
                "company_id": company.id,
                "date": vals_date,
                "service_record_id": invitation.service_record_id.id,
                "complaint_id": invitation.complaint_id.id,
                "user_id": invitation.user_id.id,
                "service_type_id": (invitation.service_type_id or service.service_type_id).id,
                "team_id": invitation.team_id.id,
                "has_csi": index is not None,
                "csi": index or 0.0,
                "has_bottom_dimension": any(score == 0 for score in per_dimension.values()),
                "line_ids": [
                    fields.Command.create(
                        {
                            "dimension_id": d,
                            "score": score,
                            "answer_count": count,
                            "weight": weights[d],
                            "partner_id": vals_partner,
                            "date": vals_date,
                            "company_id": company.id,
                        }
                    )
                    for d, (score, count) in dimensions[answer.id].items()
                ],
            }
            if "csat" in metric:
                vals.update(
                    has_csat=True,
                    csat_value=metric["csat"],
                    is_csat_satisfied=scores.is_csat_satisfied(metric["csat"]),
                )
            if "nps" in metric:
                vals.update(
                    has_nps=True, nps_value=metric["nps"], nps_category=scores.nps_category(metric["nps"])
                )
            if "ces" in metric:
                vals.update(has_ces=True, ces_value=metric["ces"])
            bottom = Dimension.browse([d for d, score in per_dimension.items() if score == 0])
            reasons = self._low_reasons(company, index, vals.get("nps_category"), metric.get("nps"), bottom)
            if reasons:
                reason = reasons[0] if len(reasons) == 1 else server_text.listing(reasons)
                vals.update(needs_recovery=True, recovery_reason_message=server_text.message(reason))
            vals_list.append(vals)
        # facts written in bulk: no "created" note or state tracking per response
        quiet = {"mail_create_nolog": True, "mail_create_nosubscribe": True, "tracking_disable": True}
        results = self.browse(self.with_context(**quiet).create(vals_list).ids)
        invitations_done = self.env["rs.survey.invitation"].browse(
            [invitation.id for invitation in invitations.values()]
        )
        invitations_done.with_context(**quiet).write({"state": "done"})
        results._link_followups()
        results.filtered("needs_recovery")._recover()
        return results

    # ------------------------------------------------------------
    # RECOVERY LOOP
    # ------------------------------------------------------------
    def _link_followups(self):
        """Link each new response to the customer's latest earlier low response not followed
        up yet (in the database or earlier in this batch); a detractor answering passive or
        promoter now is recovered. One update for the batch."""
        results = self.filtered("partner_id")
        if not results:
            return
        pending = {}
        for result in self.search(
            [
                ("partner_id", "in", results.partner_id.ids),
                ("needs_recovery", "=", True),
                ("followup_ids", "=", False),
                ("id", "not in", results.ids),
            ],
            order="date desc, id desc",
        ):
            pending.setdefault(result.partner_id.id, result)
        links = []
        for result in results.sorted(lambda r: (r.date, r.id)):
            previous = pending.get(result.partner_id.id)
            if previous and previous.date <= result.date:
                del pending[result.partner_id.id]
                outcome = None
                if previous.nps_category == scores.DETRACTOR and result.has_nps:
                    outcome = "not_recovered" if result.nps_category == scores.DETRACTOR else "recovered"
                links.append((result.id, previous.id, outcome))
            if result.needs_recovery:
                pending[result.partner_id.id] = result
        if not links:
            return
        self.flush_model(["recovery_of_id", "recovery_outcome"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE rs_survey_result r
                   SET recovery_of_id = link.previous_id, recovery_outcome = link.outcome
                  FROM (SELECT unnest(%(ids)s::int[]) AS id, unnest(%(previous)s::int[]) AS previous_id,
                               unnest(%(outcomes)s::varchar[]) AS outcome) link
                 WHERE r.id = link.id
                """,
                ids=[link[0] for link in links],
                previous=[link[1] for link in links],
                outcomes=[link[2] for link in links],
            )
        )
        self.invalidate_model(["recovery_of_id", "recovery_outcome", "followup_ids"])

    @api.model
    def _low_reasons(self, company, csi, nps_category, nps_value, bottom_dimensions):
        """Why a response is under the company's thresholds (empty when it is not)."""
        reasons = []
        if csi is not None and csi < company.rs_survey_recovery_csi:
            reasons.append(
                _lt(
                    "satisfaction index %(csi).1f below %(threshold).1f",
                    csi=csi,
                    threshold=company.rs_survey_recovery_csi,
                )
            )
        if company.rs_survey_recovery_detractor and nps_category == scores.DETRACTOR:
            reasons.append(_lt("NPS detractor (%(value)s)", value=nps_value))
        if company.rs_survey_recovery_bottom and bottom_dimensions:
            reasons.append(
                _lt(
                    "lowest score on %(dimensions)s",
                    dimensions=server_text.listing([server_text.record(d) for d in bottom_dimensions]),
                )
            )
        return reasons

    def _recover(self):
        """Open the recovery work the company chose for these low responses."""
        for action, results in self.grouped(lambda r: r.company_id.rs_survey_recovery_action).items():
            if action == "complaint":
                results._open_recovery_complaints()
            elif action == "activity":
                results._plan_recovery_activities()

    def _recovery_owner(self):
        self.ensure_one()
        return (
            self.team_id.leader_id
            or (self.partner_id.user_id if not self.partner_id.user_id.share else False)
            or self.user_id
        )

    def _open_recovery_complaints(self):
        # sudo: the customer completing a survey in the portal opens the recovery complaint;
        # it is the company's own follow-up, for staff to handle
        Complaint = self.env["rs.complaint"].sudo().with_context(mail_create_nosubscribe=True)
        vals_list = []
        for result in self:
            # written for the staff who handle it: in the language of its owner, else the company's
            owner = result._recovery_owner()
            lang = owner.lang or result.company_id.partner_id.lang or "en_US"
            said = result.with_context(lang=lang)
            vals_list.append(
                {
                    "subject": _lt("Low satisfaction: %(survey)s", survey=said.survey_title)._translate(lang),
                    "partner_id": result.partner_id.id,
                    "channel": "survey",
                    "priority": "2",
                    "company_id": result.company_id.id,
                    "category_id": result.company_id.rs_survey_recovery_category_id.id,
                    "service_record_id": result.service_record_id.id
                    or result.complaint_id.service_record_id.id,
                    "team_id": result.team_id.id,
                    "user_id": owner.id or False,
                    "description": Markup("<p>%s</p>")
                    % _lt("Survey response: %(reason)s.", reason=said.recovery_reason)._translate(lang),
                }
            )
        complaints = Complaint.create(vals_list)
        for result, complaint in zip(self, complaints, strict=True):
            result.recovery_complaint_id = complaint.id

    def _plan_recovery_activities(self):
        for result in self:
            # sudo: the activity is planned for staff even when the customer completed the survey
            owner = result._recovery_owner() or self.env.user
            lang = owner.lang or result.company_id.partner_id.lang or "en_US"
            said = result.with_context(lang=lang)
            # for the owner to read: in the owner's language
            said.sudo().activity_schedule(
                "mail.mail_activity_data_call",
                summary=_lt("Call back: low satisfaction")._translate(lang),
                note=said.recovery_reason,
                user_id=owner.id,
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def action_view_response(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "view_mode": "form",
        }


class RsSurveyResultLine(models.Model):
    _name = "rs.survey.result.line"
    _description = "Satisfaction Result by Dimension"
    _order = "result_id, dimension_id"

    result_id = fields.Many2one("rs.survey.result", required=True, ondelete="cascade", index=True)
    dimension_id = fields.Many2one("rs.survey.dimension", string="Dimension", required=True, index=True)
    score = fields.Float(aggregator="avg", help="Mean of the dimension's answers, normalised to 0-100.")
    answer_count = fields.Integer(string="Answers")
    weight = fields.Float(help="The dimension's weight when the response was scored.")
    # copies of the response's, written with it (results never change), for grouped reads
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
