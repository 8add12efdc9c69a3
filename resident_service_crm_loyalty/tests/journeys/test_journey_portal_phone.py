import json

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged
from odoo.tools.misc import format_date

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase

# Checks run in the page, in Chromium at the size of a phone; each failure is reported with
# what was found.
CHECK = """
(async () => {
    const failures = [];
    const check = (ok, what) => { if (!ok) { failures.push(what); } };
    const visible = (el) => el.offsetParent !== null;
    const text = (el) => el.textContent.replace(/\\s+/g, " ").trim();
    %(checks)s
    if (failures.length) {
        console.error(failures.join("; "));
    } else {
        console.log("test successful");
    }
})();
"""

TILES = """
    for (const [href, expected] of Object.entries(%(expected)s)) {
        const badge = document.querySelector(`.o_portal_index_card a[href='${href}'] .o_rs_tile_count`);
        check(badge && visible(badge), `no count on the tile of ${href}`);
        check(badge && text(badge) === expected,
            `tile ${href} counts ${badge && text(badge)}, not ${expected}`);
    }
    const icons = [...document.querySelectorAll(".o_portal_index_card a[href^='/my/'] .o_portal_icon img")]
        .filter((img) => img.closest("a").querySelector(".o_rs_tile_count"))
        .map((img) => img.getAttribute("src"));
    check(new Set(icons).size === icons.length, `tiles share an icon: ${icons.join(", ")}`);
"""

COMPLAINTS = """
    const statuses = [...document.querySelectorAll(".o_rs_complaint_status")].filter(visible);
    check(statuses.length === %(count)s, `${statuses.length} complaint statuses shown, not %(count)s`);
    for (const status of statuses) {
        const right = status.getBoundingClientRect().right;
        check(right <= window.innerWidth,
            `status "${text(status)}" ends at ${right} px of ${window.innerWidth}`);
    }
"""

POINTS = """
    const wrap = document.querySelector(".o_rs_points_history_wrap");
    check(wrap, "no points history");
    check(wrap && wrap.scrollWidth <= wrap.clientWidth,
        `the points history scrolls sideways: ${wrap && wrap.scrollWidth} px in ${wrap && wrap.clientWidth}`);
    check(document.documentElement.scrollWidth <= window.innerWidth, "the page scrolls sideways");
"""

BALANCE = """
    const balances = [...document.querySelectorAll(".o_rs_points_balance")].map(text);
    check(balances.length && balances.every((b) => b === %(balance)s),
        `balances read ${balances.join(", ")}`);
"""

MEMBERSHIP = """
    const bar = document.querySelector(".o_rs_tier_progress");
    check(bar && visible(bar) && bar.getAttribute("aria-valuenow") === %(progress)s,
        `progress ${bar && bar.getAttribute("aria-valuenow")}`);
    const next = document.querySelector(".o_rs_next_tier");
    check(next && text(next) === %(next)s, `next tier reads "${next && text(next)}"`);
    const deadline = document.querySelector(".o_rs_keep_deadline");
    check(deadline && visible(deadline) && text(deadline) === %(deadline)s,
        `deadline reads "${deadline && text(deadline)}"`);
"""


@tagged("post_install", "-at_install")
class TestPortalOnAPhone(RoleJourneyCase):
    """The portal customer on a phone (390 x 844): the home tiles count what their pages
    hold, the status of each complaint shows without scrolling sideways, the points history
    fits the screen, the balance reads the same everywhere, and the membership page shows
    the progress to the next tier and the day by which the tier must be kept (保级)."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.role_users["portal"].partner_id
        cls.env["rs.complaint"].create(
            [
                {
                    "subject": subject,
                    "description": "<p>Since the last visit.</p>",
                    "partner_id": cls.customer.id,
                    "channel": "portal",
                }
                for subject in ("The washing machine still leaks after the repair", "Late again")
            ]
        )
        # the membership points policy, with two tiers of known thresholds
        cls.env["rs.customer.tier"].search([]).active = False
        Tier = cls.env["rs.customer.tier"]
        Tier.create({"name": "Gold", "sequence": 1, "points_to_reach": 1000, "points_to_keep": 600})
        Tier.create({"name": "Silver", "sequence": 2, "points_to_reach": 300, "points_to_keep": 200})
        program = cls.env.ref("resident_service_crm_loyalty.program_anju_members")
        cls.env.company.write(
            {
                "rs_tier_policy": "points",
                "rs_member_program_id": program.id,
                "rs_tier_review_mode": "anniversary",
            }
        )
        cls.card = cls.env["loyalty.card"].create({"program_id": program.id, "partner_id": cls.customer.id})
        cls.env["loyalty.history"].sudo().create(
            {
                "card_id": cls.card.id,
                "description": "Points of the spring cleaning invoice",
                "issued": 680.0,
                "rs_ledger_kind": "earn",
                "rs_ledger_source_model": "account.move",
                "rs_ledger_source_id": 1,
                "rs_ledger_cycle": 0,
            }
        )
        cls.card.points = 680.0

    def _check(self, url, *checks):
        code = CHECK.replace("%(checks)s", "\n".join(checks))
        self.browser_js(url, code, login=self.role_users["portal"].login, timeout=60)

    def test_portal_on_a_phone(self):
        self.assertEqual(self.customer.with_company(self.env.company).rs_tier_id.name, "Silver")
        # counted by hand: the two complaints above, no consent given, no personal data
        # request, the balance of the one card, the tier
        expected = {
            "/my/complaints": "2",
            "/my/consents": "0",
            "/my/privacy": "0",
            "/my/points": "680",
            "/my/membership": "Silver",
        }
        if "rs.survey.invitation" in self.env:
            expected["/my/surveys"] = "0"
        self._check("/my", TILES.replace("%(expected)s", json.dumps(expected)))
        self._check("/my/complaints", COMPLAINTS.replace("%(count)s", "2"))
        balance = BALANCE.replace("%(balance)s", json.dumps("680"))
        self._check("/my/points", POINTS, balance)
        review = self.card.rs_member_since + relativedelta(years=1)
        membership = (
            MEMBERSHIP.replace("%(progress)s", json.dumps("68"))
            .replace("%(next)s", json.dumps("320 more to reach Gold."))
            .replace("%(deadline)s", json.dumps(f"Keep your tier by: {format_date(self.env, review)}"))
        )
        self._check("/my/membership", membership, balance)
