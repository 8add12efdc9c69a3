from lxml import etree

from odoo.tests import tagged

from ..journey_common import Refused, RoleJourneyCase

STAGES = ("new", "acknowledged", "investigating", "resolving", "resolved", "closed")


@tagged("post_install", "-at_install")
class TestComplaintNextStep(RoleJourneyCase):
    """The service desk works a complaint with the highlighted button of its form: each
    press moves it one stage on, in working order, until Close is what is left."""

    def test_the_highlighted_step_walks_the_stages_in_order(self):
        stage = {name: self.env.ref(f"resident_service_crm.complaint_stage_{name}") for name in STAGES}
        customer = self.env["res.partner"].create({"name": "Fang Qin", "rs_is_resident_customer": True})
        self.login_as("service_desk")
        complaint_id = self.create(
            "rs.complaint", {"subject": "Scratched floor", "partner_id": customer.id, "channel": "phone"}
        )

        def read():
            [values] = self.call(
                "rs.complaint",
                "web_read",
                [complaint_id],
                specification={"stage_id": {}, "next_stage_id": {"fields": {"display_name": {}}}},
            )
            return values["stage_id"], values["next_stage_id"]

        walked = []
        current, following = read()
        while following:
            walked.append(following["display_name"])
            self.button("rs.complaint", complaint_id, "action_next_stage")
            current, after = read()
            self.assertEqual(current, following["id"], "the button moves to the step it shows")
            following = after
        self.assertEqual(walked, ["Acknowledged", "Investigating", "Resolving", "Resolved"])
        self.assertEqual(current, stage["resolved"].id)
        complaint = self.env["rs.complaint"].browse(complaint_id)
        self.assertTrue(complaint.acknowledged_date, "moving on to Acknowledged acknowledges it")

        # nothing follows Resolved but closing: Close is the step, pressed as the desk
        with self.assertRaises(Refused):
            self.button("rs.complaint", complaint_id, "action_next_stage")
        self.assertEqual(complaint.stage_id, stage["resolved"])
        self.save(
            "rs.complaint",
            complaint_id,
            {
                "responsible_party": "process",
                "root_cause_id": self.env["rs.root.cause"].search([], limit=1).id,
                "resolution": "<p>Floor repaired.</p>",
            },
        )
        self.button("rs.complaint", complaint_id, "action_close")
        self.assertEqual(read(), (stage["closed"].id, False))

    def test_the_form_highlights_one_step(self):
        """Of the header's buttons, the next step is primary while there is one; Close is
        primary only when closing is what remains."""
        self.login_as("service_desk")
        arch = self.call("rs.complaint", "get_views", [[False, "form"]])["views"]["form"]["arch"]
        buttons = [
            (button.get("name"), button.get("class"), button.get("invisible"))
            for button in etree.fromstring(arch).xpath("//header/button")
        ]
        primary = {(name, invisible) for name, css, invisible in buttons if "btn-primary" in (css or "")}
        self.assertEqual(
            primary,
            {("action_next_stage", "not next_stage_id"), ("action_close", "is_closed or next_stage_id")},
        )
        self.assertIn(("action_close", "btn-secondary", "is_closed or not next_stage_id"), buttons)
