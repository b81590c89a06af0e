"""NumPy-compatible legacy random stream (placeholder: being written)."""


class RandomState(object):
    def __init__(self, seed=0):
        raise NotImplementedError("RandomState is being written")


def seed(s):
    raise NotImplementedError("seed is being written")


def _default():
    raise NotImplementedError("the default generator is being written")
