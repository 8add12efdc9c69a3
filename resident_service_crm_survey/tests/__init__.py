from .evaluation import *  # noqa: F403
from .invitation import *  # noqa: F403
from .result import *  # noqa: F403
from .privacy import *  # noqa: F403
from .overview import *  # noqa: F403
from .journeys import *  # noqa: F403
