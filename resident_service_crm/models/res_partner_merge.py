from odoo import models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _rs_merge_into(self, dst_partner):
        """Prepare the suite's rows of the customers in ``self`` for Odoo's partner merge into
        ``dst_partner``. Odoo moves every row to the kept customer, and deletes a row whose
        move would break a unique key: here such rows are merged first, so nothing is lost.
        The bridges add their own rows (loyalty cards, survey invitations)."""
        self._rs_merge_consents(dst_partner)
        self._rs_merge_care_events(dst_partner)
        self._rs_merge_duplicate_dismissals(dst_partner)

    def _rs_merge_consents(self, dst_partner):
        """One consent per company, purpose and channel: the latest answer of the person to
        that company wins, and the history of both records is kept on the consent that stays;
        answers given to different companies all stay."""
        # sudo: Odoo's merge moves every row of the customers whoever merges them (it updates
        # the foreign keys in SQL); the rows it would delete are merged here the same way.
        Consent = self.env["rs.consent"].sudo()
        kept = {
            (c.purpose, c.channel, c.company_id.id): c
            for c in Consent.search([("partner_id", "=", dst_partner.id)])
        }
        for consent in Consent.search([("partner_id", "in", self.ids)], order="date, id"):
            key = (consent.purpose, consent.channel, consent.company_id.id)
            target = kept.get(key)
            if not target:
                kept[key] = consent  # moved by the merge; a later source row merges into it
                continue
            newer = consent if consent.date > target.date else target
            self.env.flush_all()
            # The history moves as it is: these rows were written when each answer was given.
            self.env.cr.execute(
                SQL(
                    "UPDATE rs_consent_event SET consent_id = %s WHERE consent_id = %s",
                    target.id,
                    consent.id,
                )
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE rs_consent SET state = %s, date = %s, source = %s, text_version = %s,"
                    " user_id = %s WHERE id = %s",
                    newer.state,
                    newer.date,
                    newer.source,
                    newer.text_version or None,
                    newer.user_id.id or None,
                    target.id,
                )
            )
            self.env["rs.consent.event"].invalidate_model(["consent_id"])
            target.invalidate_recordset()
            consent.unlink()

    def _rs_merge_care_events(self, dst_partner):
        """One care event per rule and occasion: the one that went furthest stays, with the
        other's result added to its own."""
        # sudo: as for consents, the merge carries every care event whoever merges.
        Event = self.env["rs.care.event"].sudo()
        rank = {"done": 5, "sent": 4, "to_do": 3, "failed": 2, "skipped": 1, "planned": 0}
        kept = {
            (e.rule_id.id, e.occurrence_date): e for e in Event.search([("partner_id", "=", dst_partner.id)])
        }
        for event in Event.search([("partner_id", "in", self.ids)]):
            key = (event.rule_id.id, event.occurrence_date)
            target = kept.get(key)
            if not target:
                kept[key] = event
                continue
            values = {}
            if rank.get(event.state, 0) > rank.get(target.state, 0):
                values.update(state=event.state, channel=event.channel, user_id=event.user_id.id)
            results = [r for r in (target.result, event.result) if r]
            if len(results) == 2:
                values["result"] = "\n".join(results)
            elif results:
                values["result"] = results[0]
            if values:
                target.with_context(tracking_disable=True).write(values)
            event.unlink()

    def _rs_merge_duplicate_dismissals(self, dst_partner):
        """A customer checked as different from a merged one is different from the kept one
        too; the pairs between the merged customers themselves go."""
        # sudo: as for consents, the merge carries these rows whoever merges.
        Dismissal = self.env["rs.duplicate.dismissal"].sudo()
        merged = self | dst_partner
        dismissals = Dismissal.search(
            ["|", ("partner_id", "in", self.ids), ("other_partner_id", "in", self.ids)]
        )
        kept = {
            frozenset((d.partner_id.id, d.other_partner_id.id))
            for d in Dismissal.search(
                ["|", ("partner_id", "=", dst_partner.id), ("other_partner_id", "=", dst_partner.id)]
            )
        }
        values = []
        for dismissal in dismissals:
            other = dismissal.other_partner_id if dismissal.partner_id in self else dismissal.partner_id
            pair = frozenset((dst_partner.id, other.id))
            if other not in merged and pair not in kept:
                kept.add(pair)
                values.append(
                    {
                        "partner_id": dst_partner.id,
                        "other_partner_id": other.id,
                        "user_id": dismissal.user_id.id,
                        "note": dismissal.note,
                    }
                )
        dismissals.unlink()
        Dismissal.create(values)


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        src_partners._rs_merge_into(dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)
