from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from ..common import ResidentServiceCase

START, END = datetime(2033, 1, 1), datetime(2034, 1, 1)


@tagged("post_install", "-at_install")
class TestComplaintReport(ResidentServiceCase):
    """The complaint analysis against a count made here, by hand, over a known set of
    complaints and services of 2033: every group-by the report offers, every figure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["rs.complaint.category"]
        quality, attitude = Category.create([{"name": "Report quality"}, {"name": "Report attitude"}])
        careless, process = cls.env["rs.root.cause"].create(
            [{"name": "Report carelessness"}, {"name": "Report missing step"}]
        )
        cleaning, desk = cls.env["rs.department"].create(
            [{"name": "Report cleaning"}, {"name": "Report desk"}]
        )
        east, west = cls.team, cls.other_team
        own, other = cls.own_customer, cls.other_customer
        rows = [
            # customer, category, team, channel, date, party, department, root cause, cost, rating
            (own, quality, east, "phone", datetime(2033, 3, 3, 10), "staff", cleaning, careless, 100, 5),
            (own, quality, east, "portal", datetime(2033, 3, 20, 10), "process", desk, process, 0, 1),
            (other, attitude, west, "phone", datetime(2033, 3, 25, 10), "staff", cleaning, careless, 30, 0),
            (other, attitude, west, "email", datetime(2033, 4, 10, 10), "none", False, False, 0, 3),
            (own, False, east, "email", datetime(2033, 4, 12, 10), False, False, False, 45.5, 0),
        ]
        cls.complaints = cls.env["rs.complaint"]
        cls.costs, cls.ratings = {}, {}
        for partner, category, team, channel, date, party, department, cause, cost, rate in rows:
            complaint = cls.env["rs.complaint"].create(
                {
                    "subject": f"Report {date:%m-%d}",
                    "partner_id": partner.id,
                    "category_id": category.id if category else False,
                    "team_id": team.id,
                    "channel": channel,
                    "date": date,
                    "responsible_party": party,
                    "responsible_department_id": department.id if department else False,
                    "root_cause_id": cause.id if cause else False,
                }
            )
            if cost:
                complaint.compensation_ids = [
                    Command.create({"compensation_type": "gift", "amount": cost, "state": "done"}),
                    Command.create({"compensation_type": "cash", "amount": 999, "state": "cancelled"}),
                ]
            if rate:
                complaint.rating_apply(rate, token=complaint._rating_get_access_token())
            cls.costs[complaint] = cost
            cls.ratings[complaint] = rate
            cls.complaints |= complaint
        # the second complaint of each customer and category repeats the first
        cls.recurrent = cls.complaints[1] | cls.complaints[3]
        cls.services = cls.env["rs.service.record"]
        for team, month, count in ((east, 3, 4), (west, 3, 2), (east, 4, 3), (west, 4, 1)):
            for day in range(1, count + 1):
                start = datetime(2033, month, day, 9)
                visit = cls._service(own if team == east else other, start, team_id=team.id)
                visit.write({"arrival_time": start, "finish_time": start.replace(hour=10)})
                visit.action_done()
                cls.services |= visit
        # not finished: not counted
        cls._service(own, datetime(2033, 3, 15, 9), team_id=east.id)

    def _hand_count(self, complaint_key, service_key):
        groups = {}
        for complaint in self.complaints:
            groups.setdefault(complaint_key(complaint), ([], []))[0].append(complaint)
        for service in self.services:
            groups.setdefault(service_key(service), ([], []))[1].append(service)
        expected = {}
        for key, (complaints, services) in groups.items():
            count = len(complaints)
            rated = [self.ratings[c] for c in complaints if self.ratings[c]]
            expected[key] = {
                "complaint_count": count,
                "recurrence_rate": 100.0 * len([c for c in complaints if c in self.recurrent]) / count
                if count
                else 0.0,
                "compensation_cost": sum(self.costs[c] for c in complaints),
                "service_count": len(services),
                "complaints_per_100": 100.0 * count / len(services) if services else 0.0,
                "rating": sum(rated) / len(rated) if rated else 0.0,
            }
        return expected

    def test_figures_equal_a_hand_count_for_every_grouping(self):
        self.assertEqual(self.complaints.filtered("is_recurrent"), self.recurrent)
        measures = [
            "complaint_count:sum",
            "recurrence_rate:avg",
            "compensation_cost:sum",
            "service_count:sum",
            "complaints_per_100:sum",
            "rating:avg",
        ]
        Report = self.env["rs.complaint.report"].with_user(self.users["user_all"])
        domain = [("date", ">=", START), ("date", "<", END), ("company_id", "=", self.company.id)]

        def month(value):
            return (value.year, value.month)

        def by_field(name):
            return lambda record: (record[name] or False) if name in record._fields else False

        groupings = {
            "category_id": (by_field("category_id"), lambda s: False),
            "root_cause_id": (by_field("root_cause_id"), lambda s: False),
            "responsible_party": (by_field("responsible_party"), lambda s: False),
            "responsible_department_id": (by_field("responsible_department_id"), lambda s: False),
            "team_id": (by_field("team_id"), by_field("team_id")),
            "channel": (by_field("channel"), lambda s: False),
            "date:month": (lambda c: month(c.date), lambda s: month(s.finish_time)),
        }
        for groupby, (complaint_key, service_key) in groupings.items():
            expected = self._hand_count(complaint_key, service_key)
            got = {}
            for key, *values in Report._read_group(domain, [groupby], measures):
                if groupby == "date:month":
                    key = month(key)
                elif hasattr(key, "_name"):
                    key = key or False
                got[key] = dict(zip([m.split(":")[0] for m in measures], values, strict=True))
            self.assertEqual(set(got), set(expected), groupby)
            for key, figures in expected.items():
                for measure, value in figures.items():
                    self.assertAlmostEqual(got[key][measure], value, 6, f"{groupby} {key} {measure}")

        # the whole period: 5 complaints, 2 recurrent, for 10 finished services
        [totals] = Report._read_group(domain, [], measures)
        self.assertEqual(totals[0], 5)
        self.assertAlmostEqual(totals[1], 40.0)
        self.assertAlmostEqual(totals[2], 175.5)
        self.assertEqual(totals[3], 10)
        self.assertAlmostEqual(totals[4], 50.0)
        self.assertAlmostEqual(totals[5], 3.0)  # (5 + 1 + 3) / 3, the unrated left out
