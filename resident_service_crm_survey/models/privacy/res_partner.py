from odoo import api, models
from odoo.tools import SQL

from odoo.addons.resident_service_crm.tools.personal_data import CLEAR, KEEP, PersonalField, PersonalModel

# Survey answers: the respondent's name, e-mail and free text are erased, the scores kept so
# that the statistics keep their counts.
PERSONAL_DATA = [
    PersonalModel(
        "survey.user_input",
        "partner_id",
        {"email": PersonalField(erase=CLEAR), "nickname": PersonalField(erase=CLEAR)},
    ),
    PersonalModel(
        "survey.user_input.line",
        "user_input_id.partner_id",
        {"value_char_box": PersonalField(erase=CLEAR), "value_text_box": PersonalField(erase=CLEAR)},
    ),
    PersonalModel("rs.survey.invitation", "partner_id", {"reason_message": PersonalField(erase=KEEP)}),
    PersonalModel("rs.survey.result", "partner_id", {"recovery_reason_message": PersonalField(erase=KEEP)}),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _rs_personal_data(self):
        return super()._rs_personal_data() + PERSONAL_DATA

    def _rs_privacy_survey_inputs(self):
        # sudo: survey answers are handed over and erased by the privacy officer, whoever
        # may read them in the Survey app.
        return (
            self.env["survey.user_input"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", self.id)])
        )

    def _rs_privacy_sections(self):
        """Survey invitations, answers and their scores are handed over with the rest."""
        sections = super()._rs_privacy_sections()
        inputs = self._rs_privacy_survey_inputs()
        # sudo: as above.
        invitations = self.env["rs.survey.invitation"].sudo().search([("partner_id", "=", self.id)])
        results = self.env["rs.survey.result"].sudo().search([("partner_id", "=", self.id)])
        sections += [
            (
                "survey_invitations",
                self.env._("Survey Invitations"),
                invitations,
                ["survey_title", "purpose", "scheduled_date", "state", "channel", "sent_date"],
            ),
            (
                "survey_answers",
                self.env._("Survey Answers"),
                inputs.user_input_line_ids,
                [
                    "survey_id",
                    "question_id",
                    "answer_type",
                    "value_scale",
                    "value_char_box",
                    "value_text_box",
                    "value_numerical_box",
                    "value_date",
                    "suggested_answer_id",
                    "create_date",
                ],
            ),
            (
                "survey_results",
                self.env._("Satisfaction Scores"),
                results,
                ["survey_title", "date", "csi", "nps_category", "ces_value"],
            ),
        ]
        return sections

    @api.model
    def _rs_privacy_erased_elsewhere(self):
        """Survey answers are erased in SQL below: their constraints refuse an answered line
        without its value, which erasure leaves."""
        return super()._rs_privacy_erased_elsewhere() | {"survey.user_input", "survey.user_input.line"}

    def _rs_privacy_erase(self):
        """Free-text answers and the respondent's name and e-mail on the survey responses go;
        the scores stay, so that the statistics keep their counts."""
        inputs = self._rs_privacy_survey_inputs()
        done, kept = super()._rs_privacy_erase()
        if inputs:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE survey_user_input_line SET value_char_box = NULL, value_text_box = NULL"
                    " WHERE user_input_id IN %s",
                    tuple(inputs.ids),
                )
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE survey_user_input SET email = NULL, nickname = NULL WHERE id IN %s",
                    tuple(inputs.ids),
                )
            )
            self.env["survey.user_input.line"].invalidate_model(["value_char_box", "value_text_box"])
            inputs.invalidate_recordset(["email", "nickname"])
            done.append((inputs._name, len(inputs)))
        return done, kept

    def _rs_merge_into(self, dst_partner):
        """One invitation per customer and service or complaint: where both customers were
        invited for the same one, the invitation with an answer stays."""
        # sudo: the merge carries every invitation whoever merges the customers.
        Invitation = self.env["rs.survey.invitation"].sudo()
        kept = Invitation.search([("partner_id", "=", dst_partner.id)])
        by_key = {}
        for invitation in kept:
            for field in ("service_record_id", "complaint_id"):
                if invitation[field]:
                    by_key[(field, invitation[field].id)] = invitation
        drop = Invitation.browse()
        for invitation in Invitation.search([("partner_id", "in", self.ids)]):
            for field in ("service_record_id", "complaint_id"):
                other = invitation[field] and by_key.get((field, invitation[field].id))
                if other:
                    if invitation.user_input_id and not other.user_input_id:
                        drop |= other
                        by_key[(field, invitation[field].id)] = invitation
                    else:
                        drop |= invitation
                elif invitation[field]:
                    by_key[(field, invitation[field].id)] = invitation
        drop.unlink()
        return super()._rs_merge_into(dst_partner)
