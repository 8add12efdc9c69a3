from .points import *  # noqa: F403
from .expiry import *  # noqa: F403
from .redemption import *  # noqa: F403
from .membership import *  # noqa: F403
from .privacy import *  # noqa: F403
from .overview import *  # noqa: F403
from .journeys import *  # noqa: F403
from .stored_value import *  # noqa: F403
