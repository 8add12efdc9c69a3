import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from ..journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestComplaintFollowUpJourney(RoleJourneyCase):
    """What staff and customers expect the complaint process to record, each step done by
    the role that does it: recurrence found whenever the customer or category is set, the
    apology's method, who closed and who finished an action, labelled history rows, the
    resident profile on residents only, and the rating offered on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Gao Min", "rs_is_resident_customer": True})
        cls.neighbour = cls.env["res.partner"].create({"name": "Zhou Yi", "rs_is_resident_customer": True})
        cls.quality = cls.env.ref("resident_service_crm.complaint_category_service_quality")
        cls.attitude = cls.env["rs.complaint.category"].create({"name": "Staff attitude"})
        cls.root_cause = cls.env["rs.root.cause"].search([], limit=1)

    def _today(self):
        """Today where the user works (the demo staff are in Shanghai)."""
        return fields.Date.context_today(self.current_user.with_user(self.current_user))

    def _intake(self, subject, days_ago, **values):
        return self.create(
            "rs.complaint",
            {
                "subject": subject,
                "channel": "phone",
                "date": fields.Datetime.to_string(fields.Datetime.now() - timedelta(days=days_ago)),
                **values,
            },
        )

    def test_recurrence_follows_the_customer_and_category_set_later(self):
        self.login_as("service_desk")
        Complaint = self.env["rs.complaint"]
        first = Complaint.browse(
            self._intake("Mop left wet floor", 20, partner_id=self.customer.id, category_id=self.quality.id)
        )
        second = Complaint.browse(self._intake("Streaks on the windows", 5, partner_id=self.customer.id))
        self.assertFalse(second.is_recurrent, "no category yet")

        # the desk sets the category after the call: the complaint repeats the first one
        self.save("rs.complaint", second.id, {"category_id": self.quality.id})
        self.assertTrue(second.is_recurrent)
        self.assertEqual(second.earlier_complaint_ids, first)

        # the first complaint is put in another category: the second no longer repeats it
        self.save("rs.complaint", first.id, {"category_id": self.attitude.id})
        self.assertFalse(second.is_recurrent)
        self.assertFalse(second.earlier_complaint_ids)

        # a complaint taken for the wrong customer is moved to the right one
        third = Complaint.browse(
            self._intake("Rude on the phone", 2, partner_id=self.neighbour.id, category_id=self.attitude.id)
        )
        self.assertFalse(third.is_recurrent)
        self.save("rs.complaint", third.id, {"partner_id": self.customer.id})
        self.assertTrue(third.is_recurrent)
        self.assertEqual(third.earlier_complaint_ids, first)
        self.save("rs.complaint", third.id, {"partner_id": self.neighbour.id})
        self.assertFalse(third.is_recurrent or third.earlier_complaint_ids)

        # a complaint entered late, before an existing one, makes that one recurrent
        late = Complaint.browse(
            self._intake("Forgot the balcony", 10, partner_id=self.neighbour.id, category_id=self.attitude.id)
        )
        self.assertFalse(late.is_recurrent)
        self.assertTrue(third.is_recurrent)
        self.assertEqual(third.earlier_complaint_ids, late)

    def test_apology_actions_and_closing_record_how_who_and_when(self):
        self.login_as("service_desk")
        complaint_id = self._intake("The cleaner broke a vase", 1, partner_id=self.customer.id)
        complaint = self.env["rs.complaint"].browse(complaint_id)

        action = self.button("rs.complaint", complaint_id, "action_record_apology")
        self.assertEqual(action["res_model"], "rs.complaint.apology.wizard")
        wizard_id = self.create(
            "rs.complaint.apology.wizard", {"apology_method": "visit"}, context=action["context"]
        )
        self.button("rs.complaint.apology.wizard", wizard_id, "action_confirm")
        self.assertEqual((complaint.apology_method, complaint.apology_user_id), ("visit", self.current_user))
        self.assertTrue(complaint.apology_date)

        self.save(
            "rs.complaint",
            complaint_id,
            {
                "action_ids": [
                    Command.create({"kind": "corrective", "name": "Replace the vase"}),
                    Command.create({"kind": "preventive", "name": "Training on fragile objects"}),
                ]
            },
        )
        done, still_open = complaint.action_ids.sorted("id")
        self.save("rs.complaint", complaint_id, {"action_ids": [Command.update(done.id, {"is_done": True})]})
        self.assertEqual((done.done_by_id, done.done_date), (self.current_user, self._today()))
        self.assertFalse(still_open.done_by_id)

        self.save(
            "rs.complaint",
            complaint_id,
            {
                "responsible_party": "staff",
                "root_cause_id": self.root_cause.id,
                "resolution": "<p>Vase replaced.</p>",
            },
        )
        self.button("rs.complaint", complaint_id, "action_close")
        self.assertEqual(complaint.closed_by_id, self.current_user)
        self.assertTrue(complaint.closed_date)
        self.button("rs.complaint", complaint_id, "action_reopen")
        self.assertFalse(complaint.closed_by_id or complaint.closed_date)

    def test_every_kind_of_history_row_has_a_label(self):
        rule = self.env["rs.care.rule"].search([("active", "=", True)], limit=1)
        today = fields.Date.today()
        self.env["rs.care.event"].create(
            {
                "partner_id": self.customer.id,
                "rule_id": rule.id,
                "occurrence_date": today,
                "scheduled_date": today,
                "state": "to_do",
            }
        )
        self.env["rs.communication"].create({"partner_id": self.customer.id, "summary": "Asked for a quote"})
        self.env["rs.complaint"].create({"subject": "Late again", "partner_id": self.customer.id})
        service = self.env["rs.service.record"].create(
            {
                "partner_id": self.customer.id,
                "service_type_id": self.env.ref("resident_service_crm.service_type_regular_cleaning").id,
                "scheduled_start": fields.Datetime.now(),
            }
        )
        self.assertTrue(service)

        self.customer.user_id = self.role_users["account_keeper"]
        self.login_as("account_keeper")
        action = self.call("res.partner", "action_rs_view_history", [self.customer.id])
        rows = self.call(
            "rs.customer.history", "web_search_read", action["domain"], specification={"kind": {}}
        )["records"]
        labels = dict(
            self.call("rs.customer.history", "fields_get", ["kind"], attributes=["selection"])["kind"][
                "selection"
            ]
        )
        kinds = {row["kind"] for row in rows}
        self.assertEqual(kinds, {"service", "communication", "care", "complaint"})
        self.assertTrue(all(labels.get(kind) for kind in kinds), labels)

    def test_the_resident_profile_is_for_resident_customers_only(self):
        self.login_as("account_keeper")
        supplier_id = self.create("res.partner", {"name": "Clean Tools Ltd", "is_company": True})
        resident_id = self.create("res.partner", {"name": "Han Mei", "rs_is_resident_customer": True})
        Partner = self.env["res.partner"]
        self.assertFalse(Partner.browse(supplier_id).rs_customer_since)
        self.assertEqual(Partner.browse(resident_id).rs_customer_since, self._today())

        arch = self.call("res.partner", "get_views", [[False, "form"]])["views"]["form"]["arch"]
        page = re.search(r'<page[^>]*name="resident_profile"[^>]*>', arch).group(0)
        self.assertIn('invisible="not rs_is_resident_customer"', page)
        self.assertIn('name="rs_is_resident_customer"', arch.split('name="resident_profile"')[0])

        # the supplier turns out to be a customer too: from now on
        self.save("res.partner", supplier_id, {"rs_is_resident_customer": True})
        self.assertEqual(Partner.browse(supplier_id).rs_customer_since, self._today())

    def test_the_portal_offers_the_rating_once_the_complaint_is_closed(self):
        customer = self.role_users["portal"].partner_id
        complaint = self.env["rs.complaint"].create(
            {
                "subject": "The washing machine still leaks",
                "partner_id": customer.id,
                "responsible_party": "product",
                "root_cause_id": self.root_cause.id,
                "resolution": "<p>Hose replaced.</p>",
            }
        )
        self.login_as("portal")
        url = f"/my/complaints/{complaint.id}"
        self.assertNotIn("/rate/", self.url_open(url).text, "an open complaint offers no rating")

        complaint.action_close()
        page = self.url_open(url).text
        faces = re.findall(r'href="/rate/([^/"]+)/(\d)"', page)
        self.assertEqual([rate for _token, rate in faces], ["5", "3", "1"])
        token = faces[0][0]

        # the customer picks a face, then sends it with Odoo's rating page
        rating_page = self.url_open(f"/rate/{token}/3")
        self.assertEqual(rating_page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', rating_page.text).group(1)
        sent = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"csrf_token": csrf, "rate": "3", "feedback": "Fixed, but it took a week."},
        )
        self.assertEqual(sent.status_code, 200)
        self.assertEqual(complaint.rating_last_value, 3)
        page = self.url_open(url).text
        self.assertNotIn("/rate/", page)
        self.assertIn("rating_3.svg", page)
