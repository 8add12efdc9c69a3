from collections import defaultdict

from markupsafe import Markup

from odoo import models

from ...tools.personal_data import masked_derived

# The texts of a message that may quote a customer's contact details.
MESSAGE_TEXTS = ("body", "preview", "subject")


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _read_format(self, fnames, load="_classic_read"):
        """To a masked user, the text of a message on a record about customers masked to them
        shows their registered contact details masked: the record's own ("Portal Access
        Granted (address)", a household's street) and those of its customers along the
        registry's path (a note on a visit quoting the customer's phone). The mail store
        (chatter, inbox: ``_to_store``) and reads of messages all come here."""
        result = super()._read_format(fnames, load)
        texts = [fname for fname in MESSAGE_TEXTS if fname in fnames]
        if not texts or not result or not self.env["res.partner"]._rs_masking_role():
            return result
        pairs = self.browse([vals["id"] for vals in result])._rs_mask_pairs_by_message()
        for vals in result:
            for fname in texts:
                if pairs.get(vals["id"]) and isinstance(vals.get(fname), str):
                    text = masked_derived(str(vals[fname]), pairs[vals["id"]])
                    vals[fname] = Markup(text) if isinstance(vals[fname], Markup) else text
        return result

    def _rs_mask_pairs_by_message(self):
        """{message id: [(real value, masked value)]} of the messages of ``self`` whose record,
        or a customer it is about, is masked to the current user."""
        Partner = self.env["res.partner"]
        entries = Partner._rs_personal_entries()
        by_model = defaultdict(set)
        # sudo: the message's document decides the masking, whatever the user may read of it
        messages = self.sudo()
        for message in messages:
            if message.model in entries and message.res_id:
                by_model[message.model].add(message.res_id)
        pairs = {}
        for model, res_ids in by_model.items():
            # sudo: the record and its customers decide the masking, whatever the user may read
            records = self.env[model].sudo().browse(sorted(res_ids)).exists()
            own = records._rs_masked_row_ids() if records._rs_mask_sources() else set()
            path = entries[model].customer
            customers = {record.id: record if path == "id" else record.mapped(path) for record in records}
            everyone = Partner.browse(sorted({pid for found in customers.values() for pid in found.ids}))
            masked_customers = {
                pid: Partner.browse(pid)._rs_mask_pairs() for pid in everyone._rs_masked_ids()
            }
            for record in records:
                found = record._rs_mask_pairs() if record.id in own else []
                for pid in customers[record.id].ids:
                    found = [*found, *masked_customers.get(pid, [])]
                if found:
                    pairs[model, record.id] = found
        return {
            message.id: pairs[message.model, message.res_id]
            for message in messages
            if (message.model, message.res_id) in pairs
        }
