"""nnref.book._printing.shortest_digits at powers of two, where the gap below
a value is half the gap above it (the "tight below" case), against Python's
own shortest repr (float64) and a float32 round trip through ``array``."""

from nnref.book._printing import shortest_digits

from support import f32


def _from(digits, exp10):
    return float("%s.%se%d" % (digits[0], digits[1:], exp10))


def test_float64_powers_of_two_match_repr():
    for e in list(range(-1074, -1000, 7)) + list(range(-1022, 1024, 13)) + [-1022, -1021, 0, 1, 1023]:
        x = 2.0 ** e
        digits, exp10 = shortest_digits(x)
        assert _from(digits, exp10) == x
        assert float(repr(x)) == x
        want = repr(x).replace(".", "").split("e")[0].lstrip("0").rstrip("0") or "0"
        assert digits == want.rstrip("0"), (e, digits, repr(x))


def test_float32_powers_of_two_read_back():
    for e in range(-149, 128, 3):
        x = f32(2.0 ** e)
        digits, exp10 = shortest_digits(x, "float32")
        assert f32(_from(digits, exp10)) == x, (e, digits, exp10)
