"""setup/test's verdict on what Odoo logged: which lines fail a run."""

from rs_setup.odoo_process import LogReport

PREFIX = "2026-11-22 08:34:29,843 7523"


def feed(*lines):
    report = LogReport()
    for line in lines:
        report.feed(f"{PREFIX} {line}\n")
    return report


def test_result_line_gives_the_counts():
    report = feed("INFO db odoo.tests.result: 2 failed, 1 error(s) of 14 tests when loading database 'db'")
    assert (report.saw_result, report.run, report.failed, report.errors) == (True, 14, 2, 1)


def test_a_skipped_tour_is_noticed():
    report = feed(
        "INFO db odoo.addons.resident_service_crm.tests.test_ui: skipped "
        "TestResidentServicesUi.test_open_app_tour : Chrome executable not found"
    )
    assert len(report.skipped) == 1


def test_errors_anywhere_and_warnings_of_ours_are_problems():
    report = feed(
        "ERROR db odoo.addons.mail.models.mail_mail: failed sending mail",
        "CRITICAL db odoo.service.server: Failed to initialize database",
        "WARNING db odoo.addons.resident_service_crm.models.res_partner: stale profile",
        "WARNING db odoo.models: rs.complaint.stage: inconsistent compute_sudo",
        "WARNING db odoo.modules.loading: no access rules in module resident_service_crm",
    )
    assert len(report.problems) == 5


def test_warnings_of_odoo_itself_and_info_lines_pass():
    report = feed(
        "WARNING db odoo.modules.loading: The models ['sale.order.discount'] have no access rules",
        "INFO db odoo.addons.resident_service_crm.tests.test_ui: Starting test",
        "WARNING db odoo.addons.base.models.ir_actions: words about the rs cluster",
    )
    assert report.problems == []
    assert report.skipped == []
    assert not report.saw_result


def test_lines_that_are_not_log_records_are_ignored():
    report = LogReport()
    report.feed("Traceback (most recent call last):\n")
    report.feed("ERROR: not a log record\n")
    assert report.problems == []
