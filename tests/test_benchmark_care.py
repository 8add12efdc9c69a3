"""Benchmark: the whole daily care job over many customers, on the eve of the Spring
Festival (every customer is due a greeting) plus that day's birthdays, next to Odoo's own
mass mailing of the same templates to the same customers.

The job runs as its cron runs it: one call plans the day's events and sends a batch, and
the cron calls it again while events remain, until every due greeting is queued (mails in
Odoo's mail queue, SMS in its SMS queue; none leaves the machine). Nine customers in ten
have consented to care by email, one in ten by SMS only. Odoo's mass mailing is the mail
composer in mass mode with the same mail template over the same events, and the SMS
composer in mass mode with the same SMS template over those sent by SMS: what a marketer
would do to send the same greetings by hand, without consents, quiet hours or records of
what was sent.

Small scale (1,000 customers) in every test run; full scale (100,000) on demand:
``./setup/test --benchmark-scale full --file tests/test_benchmark_care.py``.
Targets at full scale: planning under 30 s; the whole job within 1.5x Odoo's mass mailing.
Figures are printed, not asserted.
"""

import os
import time
from datetime import date

from odoo.tools import SQL

TITLE = "Care job: the Spring Festival eve over many customers"
SCALES = {"small": 1_000, "full": 100_000}
FESTIVAL_EVE = date(2027, 2, 5)  # 春节 2027 is February 6
BATCH = 500  # the cron's batch


class RolledBack(Exception):
    """Ends a savepoint whose work is only measured."""


def insert_customers(env, count):
    """Customers straight in SQL (the ORM would spend minutes creating them): a birthday
    spread over the year, an email and a mobile number; consent to care messages by email
    for nine in ten, by SMS for the tenth."""
    env.flush_all()
    company = env.company.id
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, active, type, is_company, autopost_bills,
                                     rs_is_resident_customer, company_id, email, email_normalized,
                                     mobile, phone_sanitized, tz, lang,
                                     rs_birthday, rs_next_birthday, rs_next_solar_birthday, rs_customer_since,
                                     create_date, write_date)
            SELECT 'Bench ' || n, 'Bench ' || n, true, 'contact', false, 'ask', true, %(company)s,
                   'bench' || n || '@example.com', 'bench' || n || '@example.com',
                   '+86139' || lpad(n::text, 8, '0'), '+86139' || lpad(n::text, 8, '0'),
                   'Asia/Shanghai', 'en_US',
                   d.birthday, d.rs_next_birthday, d.rs_next_birthday, DATE '2020-01-01',
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %(count)s) AS n,
                   LATERAL (SELECT DATE '1950-01-01' + mod(n, 365) AS birthday,
                                   DATE '2027-01-01' + mod(n, 365) AS rs_next_birthday) d
            RETURNING id
            """,
            company=company,
            count=count,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        SQL(
            """
            INSERT INTO rs_consent (partner_id, purpose, channel, state, date, source, company_id)
            SELECT id, 'care', CASE WHEN mod(id, 10) = 0 THEN 'sms' ELSE 'email' END, 'given',
                   now() at time zone 'UTC', 'import', %(company)s
              FROM unnest(%(ids)s::int[]) AS id
            """,
            company=company,
            ids=ids,
        )
    )
    env.invalidate_all()
    return ids


def queued(env, partner_ids):
    """Mails and SMS in Odoo's queues to these customers."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """SELECT (SELECT count(*) FROM mail_mail_res_partner_rel WHERE res_partner_id = ANY(%(ids)s)),
                      (SELECT count(*) FROM sms_sms WHERE partner_id = ANY(%(ids)s))""",
            ids=partner_ids,
        )
    )
    return env.cr.fetchone()


def mass_mailing(env, events):
    """Odoo's mass mailing of the job's templates to the same events: the mail composer in
    mass mode per mail template, the SMS composer in mass mode per SMS template, each on
    batches of the job's size."""
    for rule, rule_events in events.grouped("rule_id").items():
        by_email = rule_events.filtered(lambda event: event.channel == "email")
        by_sms = rule_events - by_email
        # in batches of the job's size: a composer's records are a text field, which Odoo
        # reads back as a Python literal of bounded length
        for start in range(0, len(by_email), BATCH):
            composer = env["mail.compose.message"].create(
                {
                    "composition_mode": "mass_mail",
                    "model": "rs.care.event",
                    "res_ids": by_email[start : start + BATCH].ids,
                    "template_id": rule.mail_template_id.id,
                }
            )
            composer._action_send_mail()
        for start in range(0, len(by_sms), BATCH):
            env["sms.composer"].create(
                {
                    "composition_mode": "mass",
                    "res_model": "rs.care.event",
                    "res_ids": by_sms[start : start + BATCH].ids,
                    "template_id": rule.sms_template_id.id,
                    "mass_keep_log": True,
                }
            ).action_send_sms()


def test_care_job_over_many_customers(odoo_env, benchmark_report):
    scale = os.environ.get("RS_BENCHMARK_SCALE", "small")
    count = SCALES[scale]
    env = odoo_env
    env["rs.care.rule"].search([]).active = False
    # no quiet hours: the benchmark sends whatever the hour of its run
    env.company.write({"rs_quiet_hours_start": 0.0, "rs_quiet_hours_end": 0.0})
    rules = env.ref("resident_service_crm.care_rule_birthday") | env.ref(
        "resident_service_crm.care_rule_spring_festival"
    )
    rules.write({"active": True, "use_email": True, "use_sms": True})
    Event = env["rs.care.event"]

    start = time.perf_counter()
    ids = insert_customers(env, count)
    setup_seconds = time.perf_counter() - start

    env.cr.execute("SELECT COALESCE(max(id), 0) FROM rs_care_event")
    (last_event_before,) = env.cr.fetchone()

    # planning alone, as the first call of the job does it, measured and rolled back
    try:
        with env.cr.savepoint():
            start = time.perf_counter()
            planned = rules._plan_events(FESTIVAL_EVE)
            plan_seconds = time.perf_counter() - start
            raise RolledBack
    except RolledBack:
        env.invalidate_all()

    # the whole job, as the cron runs it: calls until nothing remains
    calls = 0
    start = time.perf_counter()
    while True:
        calls += 1
        remaining = Event._cron_care(batch_size=BATCH, today=FESTIVAL_EVE)
        if not remaining:
            break
    env.flush_all()
    job_seconds = time.perf_counter() - start
    job_mails, job_sms = queued(env, ids)

    # the job's events: the benchmark's customers and the demo's whose day it is too
    events = Event.search([("id", ">", last_event_before)])
    sent = events.filtered(lambda event: event.state == "sent")
    start = time.perf_counter()
    mass_mailing(env, sent)
    env.flush_all()
    mass_seconds = time.perf_counter() - start
    mails, sms = queued(env, ids)
    mass_mails, mass_sms = mails - job_mails, sms - job_sms

    again = rules._plan_events(FESTIVAL_EVE)

    figures = (
        f"\ncare job benchmark ({scale}): {count:,} customers inserted in {setup_seconds:.1f} s; "
        f"planning {planned:,} events in {plan_seconds:.2f} s "
        f"({count / max(plan_seconds, 1e-9):,.0f} customers/s); a second planning added {again}\n"
        f"  the whole job as the cron runs it ({calls} calls of {BATCH}): {job_seconds:.2f} s, "
        f"{len(sent):,} greetings sent ({len(sent) / max(job_seconds, 1e-9):,.0f} a second), of which "
        f"{job_mails:,} mails and {job_sms:,} SMS to the benchmark's customers\n"
        f"  Odoo's mass mailing of the same templates to the same events: {mass_seconds:.2f} s, "
        f"{mass_mails:,} mails and {mass_sms:,} SMS to the benchmark's customers\n"
        f"  ratio {job_seconds / max(mass_seconds, 1e-9):.2f}x (target at most 1.5x)"
    )
    benchmark_report(figures)
    # every customer gets the festival greeting, a few also their birthday: each exactly once,
    # by the channel they consented to
    festival = env.ref("resident_service_crm.care_rule_spring_festival")
    ours = events.filtered(lambda event: event.partner_id.id in set(ids))
    assert len(ours.filtered(lambda event: event.rule_id == festival)) == count
    assert len(events) == planned and again == 0
    assert set(ours.mapped("state")) == {"sent"}
    by_sms = ours.filtered(lambda event: event.channel == "sms")
    assert set(by_sms.partner_id.ids) == {i for i in ids if i % 10 == 0}
    assert (job_mails, job_sms) == (len(ours) - len(by_sms), len(by_sms))
    assert (mass_mails, mass_sms) == (job_mails, job_sms), "the same greetings, sent the other way"
