from . import rs_ledger_mixin
