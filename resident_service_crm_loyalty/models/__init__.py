from . import points
from . import expiry
from . import redemption
from . import membership
from . import complaint
from . import care
from . import privacy
from . import overview
