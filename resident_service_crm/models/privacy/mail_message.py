from collections import defaultdict

from markupsafe import Markup

from odoo import models

from ...tools.personal_data import masked_derived


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _to_store(self, store, /, **kwargs):
        """In the chatter of a record masked to the user (a customer), the record's own
        contact details are masked in the messages' text too ("Portal Access Granted
        (address)", a note quoting a phone number)."""
        super()._to_store(store, **kwargs)
        if not self.env["res.partner"]._rs_masking_role():
            return
        by_model = defaultdict(set)
        for message in self:
            if message.model in self.env and message.res_id:
                by_model[message.model].add(message.res_id)
        pairs = {}
        for model, res_ids in by_model.items():
            records = self.env[model].browse(sorted(res_ids))
            if records._rs_mask_sources():
                for record in records.browse(sorted(records._rs_masked_row_ids())):
                    pairs[model, record.id] = record._rs_mask_pairs()
        if not pairs:
            return
        stored = store.data.get("mail.message", {})
        for message in self:
            entry = stored.get((message.id,))
            if entry and entry.get("body") and (message.model, message.res_id) in pairs:
                entry["body"] = Markup(
                    masked_derived(str(entry["body"]), pairs[message.model, message.res_id])
                )
