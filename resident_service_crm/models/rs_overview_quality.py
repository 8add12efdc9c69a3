from odoo import models


class RsOverview(models.AbstractModel):
    _inherit = "rs.overview"

    def _rs_overview_cards(self):
        """Data quality cards, for the staff who work on every customer's profile."""
        cards = super()._rs_overview_cards()
        if not self.env.user.has_group("resident_service_crm.group_user_all"):
            return cards
        Partner = self.env["res.partner"]
        base = [("is_resident_customer", "=", True), ("company_id", "in", [self.env.company.id, False])]
        context = {"rs_mask_contacts": True}
        for key, sequence, label, domain, help_text in (
            (
                "incomplete_profiles",
                70,
                self.env._("Incomplete Profiles"),
                [*base, ("rs_incomplete", "=", True)],
                self.env._("Customers whose profile scores below the completeness the company asks for."),
            ),
            (
                "duplicate_suspects",
                80,
                self.env._("Duplicate Suspects"),
                [*base, ("rs_duplicate_suspect", "=", True)],
                self.env._("Customers sharing a phone or an e-mail with another customer."),
            ),
        ):
            action = self._rs_action(label, "res.partner", domain, ("list", "form"), context)
            action["views"] = [
                [self.env.ref("resident_service_crm.res_partner_view_list_quality").id, "list"],
                [False, "form"],
            ]
            cards.append(
                self._rs_card(key, sequence, label, Partner.search_count(domain), action, help_text=help_text)
            )
        return cards
