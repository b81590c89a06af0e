"""The book's data sets (placeholder: being written)."""


def spiral_data(samples, classes, rng=None):
    raise NotImplementedError("spiral_data is being written")
