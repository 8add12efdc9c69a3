from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from ..common import LedgerCommon

ROLES = {
    "points_technician": "resident_service_crm.group_technician",
    "points_user_own": "resident_service_crm.group_user_own",
    "points_user_all": "resident_service_crm.group_user_all",
    "points_privacy": "resident_service_crm.group_privacy_officer",
    "points_manager": "resident_service_crm.group_manager",  # last: deletes the reminder
}


@tagged("post_install", "-at_install")
class TestPointsAccess(LedgerCommon):
    """Allocations and reminders are written by the system only: staff read them, managers
    may delete a reminder, nobody edits them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            login: new_test_user(cls.env, login=login, groups=groups, company_id=cls.env.company.id)
            for login, groups in ROLES.items()
        }

    def _records(self):
        self._invoice([(self.cleaning, 1, 100.0)])
        card = self._card()
        self.env["loyalty.card.update.balance"].create(
            {"card_id": card.id, "new_balance": 60.0, "description": "Spent"}
        ).action_update_card_point()
        allocation = self.env["rs.loyalty.allocation"].sudo().search([("card_id", "=", card.id)])
        reminder = (
            self.env["rs.loyalty.expiry.reminder"]
            .sudo()
            .create({"card_id": card.id, "expiry_date": "2026-12-31", "points": 60.0, "channel": "email"})
        )
        return card, allocation, reminder

    def _check(self, record, login, operation, allowed):
        user = self.users[login]
        as_user = record.with_user(user)
        with self.subTest(model=record._name, login=login, operation=operation):
            if operation == "read":
                call = lambda: as_user.read(["points"])  # noqa: E731
            elif operation == "write":
                call = lambda: as_user.write({"points": 1.0})  # noqa: E731
            elif operation == "create":
                values = record.copy_data()[0]
                if record._name == "rs.loyalty.expiry.reminder":
                    values["expiry_date"] = "2027-01-31"
                call = lambda: as_user.create(values)  # noqa: E731
            else:
                call = as_user.unlink
            if allowed:
                call()
            else:
                with self.assertRaises(AccessError):
                    call()

    def test_roles_on_allocations_and_reminders(self):
        _card, allocation, reminder = self._records()
        self.assertEqual(allocation.points, 40.0)
        readers = {"points_user_own", "points_user_all", "points_manager", "points_privacy"}
        for login in ROLES:
            for record in (allocation, reminder):
                self._check(record, login, "read", login in readers)
                self._check(record, login, "write", False)
                self._check(record, login, "create", False)
        for login in ROLES:
            self._check(allocation, login, "unlink", False)
            self._check(reminder, login, "unlink", login == "points_manager")
        self.assertTrue(allocation.exists())
        self.assertFalse(reminder.exists())

    def test_other_company_allocations_are_hidden(self):
        other = self.setup_other_company()["company"]
        program = self._program("invoice", company_id=other.id)
        card = self.env["loyalty.card"].create({"program_id": program.id, "partner_id": self.customer.id})
        self.env["loyalty.history"].sudo().create({"card_id": card.id, "description": "gift", "issued": 10.0})
        self.env["loyalty.history"].sudo().create({"card_id": card.id, "description": "spent", "used": 4.0})
        manager = self.users["points_manager"]
        Allocation = self.env["rs.loyalty.allocation"]
        self.assertEqual(Allocation.sudo().search_count([("card_id", "=", card.id)]), 1)
        self.assertFalse(Allocation.with_user(manager).search([("card_id", "=", card.id)]))
