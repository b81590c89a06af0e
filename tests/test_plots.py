"""The SVG pictures: they parse, hold the expected series, and put every point
where the data says, read back through the plot's own tick marks.

Expected values come from mathematics (the activations and the ReLU pair are
evaluated here with plain ``math``) or from the spiral fixture recorded from
NumPy/nnfs (tests/fixtures/datasets_float64.json).
"""

import io
import json
import math
import os
import xml.etree.ElementTree as ET
from contextlib import redirect_stdout

import pytest
from hypothesis import given, strategies as st

from nnref.cli import plot as _cli_plot

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NS = "{http://www.w3.org/2000/svg}"
KINDS = ["activations", "spiral", "relu-pair", "softmax-regions"]


def classes_of(element):
    return (element.get("class") or "").split()


def parse(text):
    return ET.fromstring(text.encode("utf-8"))


def panels(root):
    return [g for g in root.iter(NS + "g") if "panel" in classes_of(g)]


class Axis(object):
    """The linear map data -> pixel, recovered from a panel's first and last tick."""

    def __init__(self, panel, axis):
        ticks = [g for g in panel.iter(NS + "g") if classes_of(g) == ["tick", axis]]
        assert len(ticks) >= 2, "panel has fewer than two %s ticks" % axis
        attr = "x1" if axis == "x" else "y1"
        pairs = [(float(t.get("data-value")), float(t.find(NS + "line").get(attr)))
                 for t in ticks]
        (v0, p0), (v1, p1) = pairs[0], pairs[-1]
        self.scale = (p1 - p0) / (v1 - v0)
        self.offset = p0 - v0 * self.scale
        # Every tick, not just the two used, must lie on the same line.
        for v, p in pairs:
            assert abs(self.to_pixel(v) - p) < 0.02

    def to_pixel(self, v):
        return self.offset + v * self.scale

    def to_data(self, p):
        return (p - self.offset) / self.scale


def polyline_points(element):
    return [tuple(float(c) for c in pair.split(",")) for pair in element.get("points").split()]


RENDERERS = {"activations": _cli_plot.activations_svg, "spiral": _cli_plot.spiral_svg,
             "relu-pair": _cli_plot.relu_pair_svg,
             "softmax-regions": _cli_plot.softmax_regions_svg}
_RENDERED = {}


def svg_of(kind, *args):
    # Rendering is deterministic (tested below), so each picture is drawn once per run.
    key = (kind,) + args
    if key not in _RENDERED:
        _RENDERED[key] = RENDERERS[kind](*args)
    return _RENDERED[key]


def load_fixture_spiral():
    with open(os.path.join(ROOT, "tests", "fixtures", "datasets_float64.json")) as handle:
        data = json.load(handle)
    for case in data["spiral"]:
        if (case["samples"], case["classes"], case["seed"]) == (100, 3, 0):
            X = [[float.fromhex(a), float.fromhex(b)] for a, b in case["X"]]
            return X, list(case["y"])
    raise LookupError("fixture has no spiral(100, 3, seed 0)")


# ------------------------------------------------------------ every picture

@pytest.mark.parametrize("kind", KINDS)
def test_svg_parses_and_has_size(kind):
    root = parse(svg_of(kind))
    assert root.tag == NS + "svg"
    assert int(root.get("width")) > 100 and int(root.get("height")) > 100
    assert panels(root)
    for panel in panels(root):
        Axis(panel, "x")
        Axis(panel, "y")


@pytest.mark.parametrize("kind", KINDS)
def test_output_is_deterministic(kind):
    assert RENDERERS[kind]() == svg_of(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_committed_svg_is_up_to_date(kind, tmp_path):
    # Regenerate through the command line, exactly as the docs were made.
    out = tmp_path / (kind + ".svg")
    with redirect_stdout(io.StringIO()):
        assert _cli_plot.main(["plot", kind, "--out", str(out)]) == 0
    with open(os.path.join(ROOT, "docs", kind + ".svg"), "rb") as handle:
        committed = handle.read()
    assert out.read_bytes() == committed, (
        "docs/%s.svg is stale; regenerate: python -m nnref plot %s --out docs/%s.svg"
        % (kind, kind, kind))


# ------------------------------------------------------------ activations

def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


EXPECTED_ACTIVATIONS = {
    "step": lambda x: 1.0 if x > 0 else 0.0,
    "linear": lambda x: x,
    "sigmoid": _sigmoid,
    "relu": lambda x: x if x > 0 else 0.0,
}


def test_activations_has_four_labelled_panels():
    root = parse(svg_of("activations"))
    ps = panels(root)
    assert len(ps) == 4
    titles = [t.text for p in ps for t in p.iter(NS + "text") if "title" in classes_of(t)]
    assert titles == ["Step", "Linear", "Sigmoid", "ReLU"]


@pytest.mark.parametrize("name", sorted(EXPECTED_ACTIVATIONS))
def test_activation_curve_matches_function(name):
    root = parse(svg_of("activations"))
    function = EXPECTED_ACTIVATIONS[name]
    found = False
    for panel in panels(root):
        lines = [e for e in panel.iter(NS + "polyline") if classes_of(e) == ["series", name]]
        if not lines:
            continue
        found = True
        xaxis, yaxis = Axis(panel, "x"), Axis(panel, "y")
        xs = []
        for line in lines:
            points = polyline_points(line)
            for i, (px, py) in enumerate(points):
                x = xaxis.to_data(px)
                xs.append(x)
                expected = [function(x)]
                # At a piece's ends the curve may show the one-sided limit
                # (the step's jump at 0).
                if i == 0:
                    expected.append(function(x + 1e-6))
                if i == len(points) - 1:
                    expected.append(function(x - 1e-6))
                # Pixels are written with two decimals: allow 0.02 px.
                assert min(abs(yaxis.to_pixel(v) - py) for v in expected) < 0.02, (name, x)
        assert min(xs) == pytest.approx(-4.0, abs=1e-3)
        assert max(xs) == pytest.approx(4.0, abs=1e-3)
        assert len(xs) >= 100
    assert found, "no series %s" % name


def test_step_marks_the_value_at_zero():
    root = parse(svg_of("activations"))
    panel = panels(root)[0]
    xaxis, yaxis = Axis(panel, "x"), Axis(panel, "y")
    marks = {tuple(classes_of(c)): (xaxis.to_data(float(c.get("cx"))),
                                    yaxis.to_data(float(c.get("cy"))))
             for c in panel.iter(NS + "circle") if "marker" in classes_of(c)}
    closed = marks[("marker", "closed")]
    opened = marks[("marker", "open")]
    assert closed[0] == pytest.approx(0.0, abs=1e-3) and closed[1] == pytest.approx(0.0, abs=1e-3)
    assert opened[0] == pytest.approx(0.0, abs=1e-3) and opened[1] == pytest.approx(1.0, abs=1e-3)


# ------------------------------------------------------------ spiral

def test_spiral_points_match_recorded_data():
    X, y = load_fixture_spiral()
    root = parse(svg_of("spiral"))
    (panel,) = panels(root)
    xaxis, yaxis = Axis(panel, "x"), Axis(panel, "y")
    circles = [c for c in panel.iter(NS + "circle") if "point" in classes_of(c)]
    assert len(circles) == len(X) == 300
    for circle, (x0, x1), label in zip(circles, X, y):
        assert classes_of(circle) == ["point", "class-%d" % label]
        # Circles and ticks are each written to 0.005 px: together within 0.012 px.
        assert abs(float(circle.get("cx")) - xaxis.to_pixel(x0)) <= 0.012
        assert abs(float(circle.get("cy")) - yaxis.to_pixel(x1)) <= 0.012


def test_spiral_colours_are_one_per_class():
    root = parse(svg_of("spiral", 20, 5, 3))
    colours = {}
    for circle in root.iter(NS + "circle"):
        cls = classes_of(circle)
        if "point" in cls:
            colours.setdefault(cls[1], set()).add(circle.get("fill"))
    assert sorted(colours) == ["class-%d" % c for c in range(5)]
    assert all(len(fills) == 1 for fills in colours.values())
    assert len(set.union(*colours.values())) == 5
    legend = [t.text for g in root.iter(NS + "g") if "legend" in classes_of(g)
              for t in g.iter(NS + "text")]
    assert legend == ["class %d" % c for c in range(5)]


def test_spiral_arguments_change_the_picture():
    root = parse(svg_of("spiral", 7, 2, 1))
    circles = [c for c in root.iter(NS + "circle") if "point" in classes_of(c)]
    assert len(circles) == 14


# ------------------------------------------------------------ relu pair

def relu_pair_math(x, w1, b1, w2, b2):
    h = max(0.0, w1 * x + b1)
    return max(0.0, w2 * h + b2)


def test_relu_pair_default_marks_the_chapter_points():
    root = parse(svg_of("relu-pair"))
    (panel,) = panels(root)
    xaxis, yaxis = Axis(panel, "x"), Axis(panel, "y")
    marks = {}
    for c in panel.iter(NS + "circle"):
        cls = classes_of(c)
        if cls[0] == "marker":
            marks[cls[1]] = (xaxis.to_data(float(c.get("cx"))), yaxis.to_data(float(c.get("cy"))))
    assert marks["activation"][0] == pytest.approx(0.0, abs=1e-3)
    assert marks["activation"][1] == pytest.approx(0.0, abs=1e-3)
    assert marks["deactivation"][0] == pytest.approx(0.5, abs=1e-3)
    assert marks["deactivation"][1] == pytest.approx(1.0, abs=1e-3)
    labels = sorted(t.text for t in panel.iter(NS + "text") if "label" in classes_of(t))
    assert labels == ["activation point x = 0", "deactivation point x = 0.5"]


@pytest.mark.parametrize("weights", [(-1.0, 0.5, -2.0, 1.0), (1.0, 0.0, 1.0, 0.0),
                                     (2.0, -1.0, -1.0, 3.0), (0.0, 1.0, 1.0, 0.0)])
def test_relu_pair_curve_matches_function(weights):
    root = parse(svg_of("relu-pair", *weights))
    (panel,) = panels(root)
    xaxis, yaxis = Axis(panel, "x"), Axis(panel, "y")
    (line,) = [e for e in panel.iter(NS + "polyline") if classes_of(e) == ["series", "output"]]
    points = polyline_points(line)
    for px, py in points:
        x = xaxis.to_data(px)
        assert abs(yaxis.to_pixel(relu_pair_math(x, *weights)) - py) < 0.05
    # The line is drawn straight between vertices: check the midpoints too,
    # so a missing corner would show.
    for (pa, qa), (pb, qb) in zip(points, points[1:]):
        x = xaxis.to_data((pa + pb) / 2)
        assert abs(yaxis.to_pixel(relu_pair_math(x, *weights)) - (qa + qb) / 2) < 0.05


@given(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3))
def test_relu_pair_points_bound_where_the_output_varies(w1, b1, w2, b2):
    activation, deactivation = _cli_plot.relu_pair_points(w1, b1, w2, b2)
    low = -math.inf if activation is None else activation
    high = math.inf if deactivation is None else deactivation

    def both_active(x):
        h = w1 * x + b1
        return h > 0 and w2 * h + b2 > 0

    probes = [k / 4.0 for k in range(-40, 41)]
    if activation is None and deactivation is None:
        # Either active everywhere, or nowhere: no points to mark.
        states = set(both_active(x) for x in probes)
        assert len(states) == 1
        return
    for x in probes:
        inside = low < x < high
        assert both_active(x) == inside, (x, low, high)


def test_relu_pair_without_points_has_no_markers():
    root = parse(svg_of("relu-pair", 0.0, -1.0, 1.0, 0.0))     # never active
    assert not [c for c in root.iter(NS + "circle") if "marker" in classes_of(c)]


# ------------------------------------------------------------ softmax regions

def test_softmax_regions_cells_show_the_winning_class():
    X, y, forward = _cli_plot.chapter_network(0, 100)
    root = parse(svg_of("softmax-regions", 0, 100, 12))
    (panel,) = panels(root)
    xaxis, yaxis = Axis(panel, "x"), Axis(panel, "y")
    cells = [r for r in panel.iter(NS + "rect") if "cell" in classes_of(r)]
    assert len(cells) == 144
    centres = []
    for r in cells:
        cx = xaxis.to_data(float(r.get("x")) + float(r.get("width")) / 2)
        cy = yaxis.to_data(float(r.get("y")) + float(r.get("height")) / 2)
        centres.append([cx, cy])
    probs = forward(centres)
    winners = []
    for r, p in zip(cells, probs):
        best = p.index(max(p))
        winners.append(best)
        assert classes_of(r) == ["cell", "class-%d" % best]
    assert len(set(winners)) >= 2    # the picture is not one flat colour
    # The cells tile the window [-1.1, 1.1]^2.
    assert min(c[0] for c in centres) == pytest.approx(-1.1 + 2.2 / 24, abs=1e-3)
    assert max(c[1] for c in centres) == pytest.approx(1.1 - 2.2 / 24, abs=1e-3)


def test_softmax_regions_shading_follows_confidence():
    X, y, forward = _cli_plot.chapter_network(0, 100)
    cells = _cli_plot.region_cells(forward, 12)
    confidences = [c[3] for c in cells]
    low, high = min(confidences), max(confidences)
    # An untrained network is near 1/3 everywhere, hence the relative shading.
    assert 1 / 3.0 - 1e-9 <= low < high < 0.34
    assert _cli_plot.shade(low, low, high) == 0.25
    assert _cli_plot.shade(high, low, high) == 1.0
    root = parse(svg_of("softmax-regions", 0, 100, 12))
    rects = [r for r in root.iter(NS + "rect") if "cell" in classes_of(r)]
    darkest = min(rects, key=lambda r: sum(int(r.get("fill")[i:i + 2], 16) for i in (1, 3, 5)))
    lightest = max(rects, key=lambda r: sum(int(r.get("fill")[i:i + 2], 16) for i in (1, 3, 5)))
    assert darkest.get("fill") in [c.lower() for c in _cli_plot.PALETTE[:3]]
    assert rects.index(darkest) == confidences.index(high)
    assert rects.index(lightest) == confidences.index(low)


def test_softmax_regions_points_are_drawn_on_top():
    root = parse(svg_of("softmax-regions", 0, 100, 6))
    order = [classes_of(e)[0] for e in root.iter() if classes_of(e)[:1] in (["cell"], ["point"])]
    assert order.index("point") > len(order) - 301
    assert order.count("point") == 300 and order.count("cell") == 36
    assert "point" not in order[:36]


# ------------------------------------------------------------ command line

def test_cli_default_out_is_a_named_file_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert _cli_plot.main(["plot", "relu-pair"]) == 0
    path = buffer.getvalue().strip()
    assert path == str(tmp_path / "nnref-relu-pair.svg")
    parse((tmp_path / "nnref-relu-pair.svg").read_text(encoding="utf-8"))


def test_cli_flags_reach_the_picture(tmp_path):
    out = tmp_path / "s.svg"
    with redirect_stdout(io.StringIO()):
        assert _cli_plot.main(["plot", "spiral", "--samples", "4", "--classes", "2",
                               "--seed", "9", "--out", str(out)]) == 0
    root = parse(out.read_text(encoding="utf-8"))
    assert len([c for c in root.iter(NS + "circle") if "point" in classes_of(c)]) == 8


def test_cli_through_the_package_dispatcher(tmp_path):
    from nnref.cli import main
    out = tmp_path / "a.svg"
    with redirect_stdout(io.StringIO()):
        assert main(["plot", "activations", "--out", str(out)]) == 0
    assert out.read_bytes() == svg_of("activations").encode("utf-8")


def test_cli_rejects_bad_arguments(tmp_path):
    with pytest.raises(SystemExit):
        _cli_plot.main(["plot", "nothing"])
    with pytest.raises(SystemExit):
        _cli_plot.main(["plot", "spiral", "--samples", "many"])
    assert _cli_plot.main(["plot", "spiral", "--samples", "-1",
                           "--out", str(tmp_path / "x.svg")]) == 2
    assert not (tmp_path / "x.svg").exists()


# ------------------------------------------------------------ the CI render checker (tools/check_render.py)

def load_render_checker():
    import importlib.util
    path = os.path.join(ROOT, "tools", "check_render.py")
    spec = importlib.util.spec_from_file_location("check_render", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def encode_png(pixels, alpha=False, filtered=True):
    """A PNG of rows of (r, g, b) pixels, row y filtered with filter type y % 5 (or none)."""
    import struct
    import zlib
    bpp = 4 if alpha else 3
    raw = bytearray()
    previous = bytearray(len(pixels[0]) * bpp)
    for y, row in enumerate(pixels):
        line = bytearray()
        for p in row:
            line.extend(p + ((255,) if alpha else ()))
        if not filtered:
            raw.append(0)
            raw.extend(line)
            continue
        kind = y % 5
        out = bytearray(len(line))
        for i in range(len(line)):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 0:
                pred = 0
            elif kind == 1:
                pred = a
            elif kind == 2:
                pred = b
            elif kind == 3:
                pred = (a + b) >> 1
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out[i] = (line[i] - pred) & 255
        raw.append(kind)
        raw.extend(out)
        previous = line

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", len(pixels[0]), len(pixels), 8, 6 if alpha else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


@pytest.mark.parametrize("alpha", [False, True])
def test_render_checker_reads_every_png_filter(tmp_path, alpha):
    checker = load_render_checker()
    pixels = [[((x * 37 + y * 11) % 256, (x * y) % 256, (200 - 3 * x + y) % 256) for x in range(13)]
              for y in range(11)]
    path = tmp_path / "p.png"
    path.write_bytes(encode_png(pixels, alpha))
    width, height, rows = checker.read_png(str(path))
    assert (width, height) == (13, 11)
    assert rows == pixels


@pytest.mark.parametrize("kind", KINDS)
def test_render_checker_probes_every_picture(kind, tmp_path):
    checker = load_render_checker()
    svg = os.path.join(ROOT, "docs", kind + ".svg")
    width, height, probes = checker.probes(svg)
    assert len(probes) >= 5
    # A blank white picture of the right size must fail the check.
    path = tmp_path / "blank.png"
    path.write_bytes(encode_png([[(255, 255, 255)] * width for _ in range(height)], filtered=False))
    problems, count = checker.check(svg, str(path))
    assert count == len(probes)
    assert any("blank" in p for p in problems)
    assert len(problems) >= len(probes)    # every coloured probe fails, plus "blank"
