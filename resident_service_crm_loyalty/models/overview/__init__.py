from . import rs_overview
