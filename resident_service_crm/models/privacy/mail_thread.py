from odoo import models

from ...tools.masking import mask_email


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_add_suggested_recipient(self, result, partner=None, email=None, lang=None, reason=""):
        """The chatter's suggested recipients show a masked customer's e-mail masked; the
        message still goes to the real address, which the server reads from the partner."""
        count = len(result)
        result = super()._message_add_suggested_recipient(
            result, partner=partner, email=email, lang=lang, reason=reason
        )
        for recipient in result[count:]:
            partner_id = recipient.get("partner_id")
            if (
                partner_id
                and recipient.get("email")
                and self.env["res.partner"].browse(partner_id)._rs_masked_ids()
            ):
                recipient["email"] = mask_email(recipient["email"])
        return result

    def _track_filter_for_display(self, tracking_values):
        """Changes of masked fields (an e-mail, a street) are left out of the chatter of a
        record masked to the user, old and new values alike."""
        tracking_values = super()._track_filter_for_display(tracking_values)
        plan = self._rs_mask_plan()
        if len(self) == 1 and tracking_values and plan and self._rs_masked_row_ids():
            tracking_values = tracking_values.filtered(lambda t: t.field_id.name not in plan)
        return tracking_values
