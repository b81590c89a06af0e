# Type stubs for nnref's public API.  The package itself carries no
# annotations, so that it runs on CPython 3.6 and MicroPython; the types live
# here and in the other .pyi files beside the modules (PEP 561, see py.typed).
from typing import Optional, TextIO

from . import datasets as datasets
from . import exact as exact  # absent at run time where decimal is (MicroPython)
from . import matrix as matrix
from . import testing as testing
from .activations import linear as linear
from .activations import relu as relu
from .activations import sigmoid as sigmoid
from .activations import softmax as softmax
from .activations import step as step
from .layers import Dense as Dense
from .layers import Linear as Linear
from .layers import ReLU as ReLU
from .layers import Sigmoid as Sigmoid
from .layers import Softmax as Softmax
from .layers import Step as Step
from .layers import dense as dense
from .gradients import dense_backward as dense_backward
from .gradients import relu_backward as relu_backward
from .gradients import sigmoid_backward as sigmoid_backward
from .gradients import softmax_backward as softmax_backward
from .rng import RandomState as RandomState
from .rng import seed as seed
from . import losses as losses
from .losses import CategoricalCrossentropy as CategoricalCrossentropy
from .losses import SoftmaxCategoricalCrossentropy as SoftmaxCategoricalCrossentropy
from .losses import accuracy as accuracy
from .losses import categorical_crossentropy as categorical_crossentropy
from .losses import categorical_crossentropy_backward as categorical_crossentropy_backward
from .losses import softmax_crossentropy_backward as softmax_crossentropy_backward

__version__: str
__all__ = [
    "step", "linear", "sigmoid", "relu", "softmax", "dense",
    "Dense", "Step", "Linear", "Sigmoid", "ReLU", "Softmax",
    "matrix", "RandomState", "seed", "datasets", "testing", "selfcheck",
]
__all__ += ["relu_backward", "sigmoid_backward", "softmax_backward", "dense_backward"]
__all__ += ["categorical_crossentropy", "categorical_crossentropy_backward", "softmax_crossentropy_backward",
            "accuracy", "CategoricalCrossentropy", "SoftmaxCategoricalCrossentropy"]

# Runs the known-answer checks; returns the number that failed.
def selfcheck(verbose: bool = ..., file: Optional[TextIO] = ...) -> int: ...
