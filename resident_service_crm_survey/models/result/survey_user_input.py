from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        result = super()._mark_done()
        self._rs_score_results()
        return result

    def _rs_score_results(self):
        """Score the completed satisfaction responses among these (once each)."""
        # sudo: the customer (often a portal or public user) completing the survey cannot
        # write satisfaction results; scoring is the company's bookkeeping
        return self.env["rs.survey.result"].sudo()._score(self.sudo().filtered(lambda a: a.state == "done"))
