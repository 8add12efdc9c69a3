from . import settings
from . import evaluation
from . import invitation
from . import result
from . import privacy
from . import overview
