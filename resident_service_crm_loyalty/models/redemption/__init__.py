from . import account_move_line
from . import account_move
