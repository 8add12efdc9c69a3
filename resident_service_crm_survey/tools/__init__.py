from . import evaluation
from . import scores
