from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests.common import TransactionCase, new_test_user
from odoo.tools import mute_logger

ROLES = ("technician", "user_own", "user_all", "manager", "privacy_officer")
ADDONS = ("resident_service_crm", "resident_service_crm_loyalty", "resident_service_crm_survey")

# what an access matrix expects of a role on (read, write, unlink)
ALLOWED, DENIED = True, False
FULL = (ALLOWED, ALLOWED, ALLOWED)
READ = (ALLOWED, DENIED, DENIED)
NOTHING = (DENIED, DENIED, DENIED)


def load_chinese(env):
    """Chinese active, with the terms of the suite's installed addons loaded (labels, menus,
    selections), as ``--load-language zh_CN`` gives a database."""
    env["res.lang"]._activate_lang("zh_CN")
    installed = env["ir.module.module"].search([("name", "in", ADDONS), ("state", "=", "installed")])
    env["ir.module.module"]._load_module_terms(installed.mapped("name"), ["zh_CN"], overwrite=True)


class ResidentServiceCase(TransactionCase):
    """Staff of every role, two customers (one of them the own-user's), a team and a
    service type; records created without tracking noise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"rs_case_{role}",
                name=f"RS {role}",
                groups=f"base.group_user,resident_service_crm.group_{role}",
            )
            for role in ROLES
        }
        cls.colleague = new_test_user(
            cls.env, login="rs_case_colleague", groups="base.group_user,resident_service_crm.group_user_own"
        )
        cls.team = cls.env["rs.service.team"].create(
            {
                "name": "East Team",
                "leader_id": cls.users["user_all"].id,
                "member_ids": [cls.users["user_own"].id],
            }
        )
        cls.other_team = cls.env["rs.service.team"].create(
            {"name": "West Team", "leader_id": cls.colleague.id}
        )
        cls.service_type = cls.env.ref("resident_service_crm.service_type_regular_cleaning")
        cls.repair_type = cls.env.ref("resident_service_crm.service_type_plumbing")
        cls.own_customer = cls.env["res.partner"].create(
            {"name": "Wang Fang", "rs_is_resident_customer": True, "user_id": cls.users["user_own"].id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Alice Brown", "rs_is_resident_customer": True, "user_id": cls.colleague.id}
        )

    @classmethod
    def _office_calendar(cls):
        """The team's working hours: Asia/Shanghai, 9-12 and 13-18, Monday to Friday."""
        return cls.env["resource.calendar"].create(
            {
                "name": "Shanghai office",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    Command.create({"name": f"{d} {p}", "dayofweek": str(d), "hour_from": f, "hour_to": t})
                    for d in range(5)
                    for p, f, t in (("am", 9, 12), ("pm", 13, 18))
                ],
            }
        )

    @classmethod
    def _service(cls, partner, start=datetime(2026, 3, 2, 9, 0), **values):
        return cls.env["rs.service.record"].create(
            {
                "partner_id": partner.id,
                "service_type_id": cls.service_type.id,
                "scheduled_start": start,
                "scheduled_end": start.replace(hour=start.hour + 2),
                "user_id": False,
                **values,
            }
        )

    # ------------------------------------------------------------------
    # access matrices: each role against read, write, create and unlink
    # ------------------------------------------------------------------
    def _can(self, role, operation, records):
        """Whether the role may read, write or delete these records (access rights and
        record rules, as the ORM checks them before doing it)."""
        records = records.with_user(self.users[role])
        try:
            with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"), self.cr.savepoint():
                records.check_access(operation)
                if operation == "read":
                    records.read(["display_name"])
        except AccessError:
            return DENIED
        return ALLOWED

    def _can_create(self, role, model, values):
        """Whether the role may create a record of ``model`` with ``values`` (rolled back)."""
        try:
            with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"), self.cr.savepoint():
                self.env[model].with_user(self.users[role]).create(values)
        except AccessError:
            return DENIED
        return ALLOWED

    def _assert_matrix(self, records, matrix):
        """``matrix``: ``{role: (read, write, unlink)}``, each ALLOWED or DENIED."""
        for role, expected in matrix.items():
            for operation, allowed in zip(("read", "write", "unlink"), expected, strict=True):
                self.assertEqual(
                    self._can(role, operation, records),
                    allowed,
                    f"{role} {operation} {records}: expected {'allowed' if allowed else 'denied'}",
                )
