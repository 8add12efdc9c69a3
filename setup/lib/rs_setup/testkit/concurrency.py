"""Clients working at once on committed data, each in its own cursor, as Odoo's request
handling runs them: a request that meets a concurrent update is run again
(``odoo.service.model.retrying``), and a test counts those runs."""

import logging
from collections import Counter

import odoo
from odoo.service.model import retrying


class RetryCounter(logging.Handler):
    """Counts the runs again that Odoo's ``retrying`` logs, by the database's reason."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.retries = Counter()

    def emit(self, record):
        message = record.getMessage()
        if "tries left" in message:
            self.retries[message.split(",")[0]] += 1


def in_transaction(registry, work, uid=odoo.SUPERUSER_ID):
    """Run ``work(env)`` as ``uid`` in its own cursor, run again after a concurrency error
    as a request is, then commit."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, uid, {})
        return retrying(lambda: work(env), env)
