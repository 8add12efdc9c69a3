from odoo import models
from odoo.tools.translate import LazyTranslate

from odoo.addons.resident_service_crm.tools import server_text

from ..tools.expiry import EPSILON

_lt = LazyTranslate(__name__)


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge_loyalty_cards(self, src_partners, dst_partner):
        """Odoo merges a customer's cards by writing their balances, without a history row:
        first move the points through the ledger, so that every card still equals its
        history and the merged points keep their expiry dates. A negative balance (points
        taken back after they were spent) moves too, as a debt of the kept card."""
        # sudo: as Odoo's own card merge, whoever merges the customers.
        Card = self.env["loyalty.card"].sudo()
        History = self.env["loyalty.history"].sudo()
        groups = Card._read_group(
            [
                ("partner_id", "in", src_partners.ids),
                "|",
                ("program_id.applies_on", "=", "both"),
                "&",
                ("program_id.program_type", "in", ("ewallet", "loyalty")),
                ("program_id.applies_on", "=", "future"),
            ],
            ["program_id"],
            ["id:recordset"],
        )
        for program, cards in groups:
            final = Card.search(
                [("partner_id", "=", dst_partner.id), ("program_id", "=", program.id)], limit=1
            )
            final = final or cards[0]
            moving = (cards - final).filtered(lambda card: abs(card.points) >= EPSILON)
            if not moving:
                continue
            lots = History._rs_points_lots(set(moving.ids))
            entries = []
            for card in moving:
                key = {
                    "rs_ledger_source_model": "loyalty.card",
                    "rs_ledger_source_id": card.id,
                    "rs_ledger_cycle": 0,
                }
                if card.points < 0:
                    entries += self._rs_merge_debt_entries(card, final, key)
                    continue
                entries.append(
                    {
                        **key,
                        "card_id": card.id,
                        "rs_ledger_kind": "merge_out",
                        "rs_ledger_source_line_id": final.id,
                        "description": server_text.said_to(
                            final.partner_id, _lt("Merged into card %s", final.code)
                        ),
                        "issued": 0.0,
                        "used": card.points,
                    }
                )
                moved = 0.0
                for lot in lots.get(card.id, []):
                    points = min(lot["remaining"], card.points - moved)
                    if points < EPSILON:
                        break
                    moved += points
                    entries.append(
                        {
                            **key,
                            "card_id": final.id,
                            "rs_ledger_kind": "merge_in",
                            "rs_ledger_source_line_id": lot["id"],
                            "description": server_text.said_to(
                                final.partner_id, _lt("Merged from card %s", card.code)
                            ),
                            "issued": points,
                            "used": 0.0,
                            "rs_points_expiry_date": lot["expiry_date"],
                        }
                    )
                if card.points - moved >= EPSILON:
                    entries.append(
                        {
                            **key,
                            "card_id": final.id,
                            "rs_ledger_kind": "merge_in",
                            "rs_ledger_source_line_id": 0,
                            "description": server_text.said_to(
                                final.partner_id, _lt("Merged from card %s", card.code)
                            ),
                            "issued": card.points - moved,
                            "used": 0.0,
                        }
                    )
            History.create(entries)
        return super()._merge_loyalty_cards(src_partners, dst_partner)

    def _rs_merge_debt_entries(self, card, final, key):
        """The entries that move a card's negative balance to the kept card."""
        debt = -card.points
        return [
            {
                **key,
                "card_id": card.id,
                "rs_ledger_kind": "merge_out",
                "rs_ledger_source_line_id": final.id,
                "description": self._rs_said(final, _lt("Merged into card %s", final.code)),
                "issued": debt,
                "used": 0.0,
                "rs_points_lot": False,
            },
            {
                **key,
                "card_id": final.id,
                "rs_ledger_kind": "merge_in",
                "rs_ledger_source_line_id": 0,
                "description": self._rs_said(final, _lt("Merged from card %s", card.code)),
                "issued": 0.0,
                "used": debt,
            },
        ]

    def _rs_said(self, card, sentence):
        """A line of the merged card's points, in the language of its holder."""
        return server_text.said_to(card.partner_id, sentence)
