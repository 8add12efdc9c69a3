from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class RsOverview(models.AbstractModel):
    """The Resident Services overview: KPI cards and small charts, each number read from the
    report or list it opens. The bridges add cards and charts by overriding
    ``_overview_cards`` and ``_overview_charts``; the overview works without them."""

    _name = "rs.overview"
    _description = "Resident Services Overview"

    @api.model
    def get_overview(self):
        """What the overview shows, for the current company."""
        cards = sorted(self._overview_cards(), key=lambda card: card["sequence"])
        charts = sorted(self._overview_charts(), key=lambda chart: chart["sequence"])
        return {
            "company": self.env.company.name,
            "currency_id": self.env.company.currency_id.id,
            "cards": cards,
            "charts": charts,
        }

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _card_action(self, name, model, domain, views=("list", "form"), context=None):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": [[False, view] for view in views],
            "context": context or {},
        }

    def _card(self, key, sequence, label, value, action, kind="integer", help_text=""):
        return {
            "key": key,
            "sequence": sequence,
            "label": label,
            "value": value,
            "kind": kind,  # integer, percent, monetary (the company's currency), points or score
            "help": help_text,
            "action": action,
        }

    def _month_start(self):
        return fields.Date.context_today(self).replace(day=1)

    # ------------------------------------------------------------------
    # cards
    # ------------------------------------------------------------------

    def _overview_cards(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        month = self._month_start()
        cards = []

        if self.env["rs.customer.value"].has_access("read"):
            domain = [("company_id", "=", company.id), ("frequency", ">", 0)]
            cards.append(
                self._card(
                    "active_customers",
                    10,
                    self.env._("Active Customers"),
                    self.env["rs.customer.value"].search_count(domain),
                    self._card_action(self.env._("Active Customers"), "rs.customer.value", domain),
                    help_text=self.env._(
                        "Customers with a purchase in the value window, at the last recompute."
                    ),
                )
            )
        if self.env["rs.customer.rate.report"].has_access("read"):
            domain = [("company_id", "=", company.id), ("month", "=", month)]
            # the month's stored figure, written by the nightly job
            stored = self.env["rs.customer.rate.report"].search(domain, limit=1)
            churn_rate = stored.churn_rate
            cards.append(
                self._card(
                    "churn_rate",
                    20,
                    self.env._("Churn Rate This Month"),
                    churn_rate,
                    self._card_action(
                        self.env._("Customer Rates"),
                        "rs.customer.rate.report",
                        domain,
                        ("list", "graph", "pivot"),
                    ),
                    kind="percent",
                    help_text=self.env._(
                        "Customers active at the start of the month and no longer at its end."
                    ),
                )
            )
        Complaint = self.env["rs.complaint"]
        if Complaint.has_access("read"):
            open_domain = [("company_id", "=", company.id), ("is_closed", "=", False)]
            overdue_domain = [*open_domain, ("sla_state", "=", "breached")]
            cards += [
                self._card(
                    "open_complaints",
                    30,
                    self.env._("Open Complaints"),
                    Complaint.search_count(open_domain),
                    self._card_action(
                        self.env._("Open Complaints"), "rs.complaint", open_domain, ("list", "kanban", "form")
                    ),
                ),
                self._card(
                    "overdue_complaints",
                    40,
                    self.env._("Overdue Complaints"),
                    Complaint.search_count(overdue_domain),
                    self._card_action(
                        self.env._("Overdue Complaints"),
                        "rs.complaint",
                        overdue_domain,
                        ("list", "kanban", "form"),
                    ),
                    help_text=self.env._("Open complaints past a service level target."),
                ),
            ]
        Sla = self.env["rs.complaint.sla.report"]
        if Sla.has_access("read"):
            domain = [
                ("company_id", "=", company.id),
                ("month", ">=", month),
                ("month", "<", month + relativedelta(months=1)),
            ]
            total = Sla.search_count(domain)
            met = Sla.search_count([*domain, ("is_met", "=", True)])
            cards.append(
                self._card(
                    "sla_compliance",
                    50,
                    self.env._("SLA Compliance This Month"),
                    100.0 * met / total if total else None,
                    self._card_action(
                        self.env._("SLA Compliance"), "rs.complaint.sla.report", domain, ("pivot", "graph")
                    ),
                    kind="percent",
                    help_text=self.env._("Service level targets met among those finished this month."),
                )
            )
        if self.env["rs.care.event"].has_access("read"):
            domain = [
                ("company_id", "=", company.id),
                ("scheduled_date", "<=", today),
                ("state", "in", ("planned", "to_do")),
            ]
            cards.append(
                self._card(
                    "care_due",
                    60,
                    self.env._("Care Due Today"),
                    self.env["rs.care.event"].search_count(domain),
                    self._card_action(self.env._("Care Due Today"), "rs.care.event", domain),
                    help_text=self.env._("Care events planned for today or earlier and not done yet."),
                )
            )
        return self._quality_overview_cards(cards)

    def _quality_overview_cards(self, cards):
        """Data quality cards, for the staff who work on every customer's profile."""
        if not self.env.user.has_group("resident_service_crm.group_user_all"):
            return cards
        Partner = self.env["res.partner"]
        base = [("rs_is_resident_customer", "=", True), ("company_id", "in", [self.env.company.id, False])]
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
            action = self._card_action(label, "res.partner", domain, ("list", "form"), context)
            action["views"] = [
                [self.env.ref("resident_service_crm.res_partner_view_list_quality").id, "list"],
                [False, "form"],
            ]
            cards.append(
                self._card(key, sequence, label, Partner.search_count(domain), action, help_text=help_text)
            )
        return cards

    # ------------------------------------------------------------------
    # charts
    # ------------------------------------------------------------------

    def _overview_charts(self):
        company = self.env.company
        charts = []
        Value = self.env["rs.customer.value"]
        if Value.has_access("read"):
            domain = [("company_id", "=", company.id)]
            groups = Value._read_group(domain, ["tier_id", "stage_id"], ["__count"])
            tiers = self.env["rs.customer.tier"].search([])
            stages = self.env["rs.lifecycle.stage"].search([])
            counts = {(tier.id, stage.id): count for tier, stage, count in groups}
            charts.append(
                {
                    "key": "tier_stage",
                    "sequence": 10,
                    "title": self.env._("Customers by Tier and Stage"),
                    "type": "matrix",
                    "columns": [{"id": stage.id, "label": stage.name} for stage in stages],
                    "rows": [
                        {
                            "id": tier.id,
                            "label": tier.name,
                            "values": [counts.get((tier.id, stage.id), 0) for stage in stages],
                        }
                        for tier in tiers
                    ],
                    "action": self._card_action(
                        self.env._("Customers by Tier and Stage"), "rs.customer.value", domain
                    ),
                    "row_field": "tier_id",
                    "column_field": "stage_id",
                }
            )
        Complaint = self.env["rs.complaint"]
        if Complaint.has_access("read"):
            since = fields.Date.context_today(self) - relativedelta(months=12)
            domain = [("company_id", "=", company.id), ("date", ">=", since)]
            for key, sequence, title, field in (
                (
                    "complaint_category",
                    20,
                    self.env._("Complaints by Category, Last 12 Months"),
                    "category_id",
                ),
                (
                    "complaint_root_cause",
                    30,
                    self.env._("Complaints by Root Cause, Last 12 Months"),
                    "root_cause_id",
                ),
            ):
                groups = Complaint._read_group(domain, [field], ["__count"], order="__count desc")
                charts.append(
                    {
                        "key": key,
                        "sequence": sequence,
                        "title": title,
                        "type": "bar",
                        "bars": [
                            {
                                "id": record.id or False,
                                "label": record.display_name or self.env._("Not Set"),
                                "value": count,
                            }
                            for record, count in groups
                        ],
                        "action": self._card_action(
                            title, "rs.complaint", domain, ("list", "kanban", "form")
                        ),
                        "field": field,
                    }
                )
        return charts
