"""Odoo registries of throwaway databases, for the tests that commit in their own cursors
(concurrency, benchmarks)."""

from contextlib import contextmanager

import odoo
from odoo.modules.registry import Registry


@contextmanager
def throwaway_registry(name):
    """The registry of the throwaway database, loaded without running any module's tests
    (pytest-odoo enables Odoo's test mode in this process). Odoo keeps one registry per
    process with this configuration: the test database's registry is put back afterwards,
    so that the tests that follow still find it."""
    previous = [(db_name, Registry.registries[db_name]) for db_name in list(Registry.registries)]
    test_enable = odoo.tools.config["test_enable"]
    odoo.tools.config["test_enable"] = False
    try:
        registry = Registry(name)
    finally:
        odoo.tools.config["test_enable"] = test_enable
    try:
        yield registry
    finally:
        Registry.delete(name)
        odoo.sql_db.close_db(name)
        for db_name, other in previous:
            Registry.registries[db_name] = other
