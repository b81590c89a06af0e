"""A tiny SVG writer for nnref's plots: panels with axes, ticks, labels and a legend.

SVG is text, so the standard library is enough.  A ``Figure`` holds
``Panel``s; each panel maps data coordinates to pixels with one linear
transform per axis, draws its frame, ticks and labels, and collects
elements (polylines, circles, rectangles, markers).  ``Figure.to_svg()``
returns the document as a string.

Output is deterministic: every coordinate is written with two decimals
(``_num``), elements are written in the order they were added, and nothing
depends on the clock, the platform or dict order.

Tick marks are the plot's own axis: each is a ``<g class="tick x">`` (or
``y``) with a ``data-value`` attribute and a line at the tick's pixel
position, so a reader (or a test) can recover the transform from the
picture itself.

>>> fig = Figure(200, 120)
>>> panel = fig.panel(40, 10, 150, 80, (0, 1), (0, 1), title="demo")
>>> panel.px(0.5), panel.py(0.5)
(115.0, 50.0)
>>> panel.polyline([(0, 0), (1, 1)], "series demo", "#000000")
>>> "<polyline" in fig.to_svg()
True
"""

import math


def _num(v):
    # Two decimals, no "-0", no trailing zeros: stable across platforms.
    text = "%.2f" % v
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def escape(text):
    """``text`` with ``& < > "`` escaped for XML."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def nice_ticks(low, high, target=5):
    """About ``target`` round tick values (1, 2 or 5 times a power of ten) within [low, high].

    >>> nice_ticks(-4, 4)
    [-4.0, -2.0, 0.0, 2.0, 4.0]
    >>> nice_ticks(0, 1)
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    """
    span = float(high - low)
    if span <= 0:
        return [float(low)]
    raw = span / target
    power = 10.0 ** math.floor(math.log10(raw))
    step = power
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * power >= raw:
            step = factor * power
            break
    first = math.ceil(low / step - 1e-9)
    ticks = []
    k = first
    while k * step <= high + step * 1e-9:
        # round() removes the float noise of k * step (0.6000000000000001).
        ticks.append(round(k * step, 12) + 0.0)
        k += 1
    return ticks


def tick_label(v):
    """A short label for a tick value: ``2``, ``0.5``, ``-1.2``."""
    text = "%.6g" % v
    return "0" if text == "-0" else text


class Panel(object):
    """One plot area: a data window ``xlim`` x ``ylim`` drawn in the pixel box (left, top, width, height)."""

    def __init__(self, left, top, width, height, xlim, ylim, title=None,
                 xlabel=None, ylabel=None, xticks=None, yticks=None):
        self.left, self.top, self.width, self.height = left, top, width, height
        self.xlim = (float(xlim[0]), float(xlim[1]))
        self.ylim = (float(ylim[0]), float(ylim[1]))
        self.title, self.xlabel, self.ylabel = title, xlabel, ylabel
        self.xticks = nice_ticks(*self.xlim) if xticks is None else list(xticks)
        self.yticks = nice_ticks(*self.ylim) if yticks is None else list(yticks)
        self.items = []
        self.legend_entries = []

    def px(self, x):
        """The pixel x of data x."""
        x0, x1 = self.xlim
        return self.left + (x - x0) / (x1 - x0) * self.width

    def py(self, y):
        """The pixel y of data y (SVG's y axis points down)."""
        y0, y1 = self.ylim
        return self.top + (y1 - y) / (y1 - y0) * self.height

    def polyline(self, points, css_class, colour, width=2, dashed=False):
        """A line through the data points ``[(x, y), ...]``."""
        coords = " ".join("%s,%s" % (_num(self.px(x)), _num(self.py(y))) for x, y in points)
        dash = ' stroke-dasharray="5,4"' if dashed else ""
        self.items.append('<polyline class="%s" points="%s" fill="none" stroke="%s" '
                          'stroke-width="%s"%s/>' % (escape(css_class), coords, colour,
                                                      _num(width), dash))

    def circle(self, x, y, r, css_class, fill, stroke="none", extra=""):
        """A dot of radius ``r`` pixels at data (x, y)."""
        self.items.append('<circle class="%s" cx="%s" cy="%s" r="%s" fill="%s" stroke="%s"%s/>'
                          % (escape(css_class), _num(self.px(x)), _num(self.py(y)), _num(r),
                             fill, stroke, extra))

    def rect(self, x0, y0, x1, y1, css_class, fill):
        """A filled rectangle with data corners (x0, y0) and (x1, y1)."""
        left, right = sorted((self.px(x0), self.px(x1)))
        top, bottom = sorted((self.py(y0), self.py(y1)))
        self.items.append('<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"/>'
                          % (escape(css_class), _num(left), _num(top), _num(right - left),
                             _num(bottom - top), fill))

    def vline(self, x, css_class, colour):
        """A dashed vertical line across the panel at data x."""
        self.items.append('<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" '
                          'stroke-width="1" stroke-dasharray="4,3"/>'
                          % (escape(css_class), _num(self.px(x)), _num(self.top), _num(self.px(x)),
                             _num(self.top + self.height), colour))

    def text(self, x, y, label, css_class="note", anchor="start", dx=0, dy=0):
        """A text label at data (x, y), offset by (dx, dy) pixels."""
        self.items.append('<text class="%s" x="%s" y="%s" text-anchor="%s">%s</text>'
                          % (escape(css_class), _num(self.px(x) + dx), _num(self.py(y) + dy),
                             anchor, escape(label)))

    def legend(self, label, colour, kind="line"):
        """Add a legend entry (``kind`` "line" or "dot")."""
        self.legend_entries.append((label, colour, kind))

    def _zero_lines(self):
        # Zero lines help read the activations; drawn under the data, only inside the window.
        out = []
        l, t, w, h = self.left, self.top, self.width, self.height
        if self.xlim[0] < 0 < self.xlim[1]:
            out.append('<line class="zero" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#cccccc"/>'
                       % (_num(self.px(0)), _num(t), _num(self.px(0)), _num(t + h)))
        if self.ylim[0] < 0 < self.ylim[1]:
            out.append('<line class="zero" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#cccccc"/>'
                       % (_num(l), _num(self.py(0)), _num(l + w), _num(self.py(0))))
        return out

    def _frame(self):
        out = []
        l, t, w, h = self.left, self.top, self.width, self.height
        out.append('<rect class="frame" x="%s" y="%s" width="%s" height="%s" fill="none" '
                   'stroke="#444444" stroke-width="1"/>' % (_num(l), _num(t), _num(w), _num(h)))
        for v in self.xticks:
            x = _num(self.px(v))
            out.append('<g class="tick x" data-value="%s"><line x1="%s" y1="%s" x2="%s" y2="%s" '
                       'stroke="#444444"/><text x="%s" y="%s" text-anchor="middle">%s</text></g>'
                       % (tick_label(v), x, _num(t + h), x, _num(t + h + 5), x, _num(t + h + 18),
                          tick_label(v)))
        for v in self.yticks:
            y = _num(self.py(v))
            out.append('<g class="tick y" data-value="%s"><line x1="%s" y1="%s" x2="%s" y2="%s" '
                       'stroke="#444444"/><text x="%s" y="%s" text-anchor="end">%s</text></g>'
                       % (tick_label(v), _num(l - 5), y, _num(l), y, _num(l - 8), _num(float(y) + 4),
                          tick_label(v)))
        if self.title:
            out.append('<text class="title" x="%s" y="%s" text-anchor="middle" font-weight="bold">'
                       '%s</text>' % (_num(l + w / 2.0), _num(t - 8), escape(self.title)))
        if self.xlabel:
            out.append('<text class="xlabel" x="%s" y="%s" text-anchor="middle">%s</text>'
                       % (_num(l + w / 2.0), _num(t + h + 36), escape(self.xlabel)))
        if self.ylabel:
            cx, cy = l - 40, t + h / 2.0
            out.append('<text class="ylabel" x="%s" y="%s" text-anchor="middle" '
                       'transform="rotate(-90 %s %s)">%s</text>'
                       % (_num(cx), _num(cy), _num(cx), _num(cy), escape(self.ylabel)))
        return out

    def _legend(self):
        if not self.legend_entries:
            return []
        row_height = 18
        box_w = 14 + 8 + 8 * max(len(label) for label, _, _ in self.legend_entries) + 8
        box_h = row_height * len(self.legend_entries) + 8
        x0 = self.left + self.width - box_w - 6
        y0 = self.top + 6
        out = ['<g class="legend">',
               '<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff" fill-opacity="0.85" '
               'stroke="#999999"/>' % (_num(x0), _num(y0), _num(box_w), _num(box_h))]
        for i, (label, colour, kind) in enumerate(self.legend_entries):
            cy = y0 + 4 + row_height * i + row_height / 2.0
            if kind == "dot":
                out.append('<circle cx="%s" cy="%s" r="4" fill="%s"/>'
                           % (_num(x0 + 12), _num(cy), colour))
            else:
                out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"/>'
                           % (_num(x0 + 5), _num(cy), _num(x0 + 19), _num(cy), colour))
            out.append('<text x="%s" y="%s">%s</text>' % (_num(x0 + 24), _num(cy + 4), escape(label)))
        out.append("</g>")
        return out

    def render(self, panel_id):
        """The panel as a list of SVG lines (a ``<g class="panel">`` group)."""
        # The clip path keeps the data inside the frame; ticks and labels stay outside it.
        clip = "clip-%s" % panel_id
        out = ['<g class="panel" id="%s">' % escape(panel_id),
               '<clipPath id="%s"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath>'
               % (clip, _num(self.left), _num(self.top), _num(self.width), _num(self.height)),
               '<g class="data" clip-path="url(#%s)">' % clip]
        out.extend(self._zero_lines())
        out.extend(self.items)
        out.append("</g>")
        out.extend(self._frame())
        out.extend(self._legend())
        out.append("</g>")
        return out


class Figure(object):
    """An SVG document of ``width`` x ``height`` pixels holding panels."""

    def __init__(self, width, height, title=None):
        self.width, self.height, self.title = width, height, title
        self.panels = []

    def panel(self, left, top, width, height, xlim, ylim, **options):
        """Add and return a ``Panel`` in the given pixel box."""
        p = Panel(left, top, width, height, xlim, ylim, **options)
        self.panels.append(p)
        return p

    def to_svg(self):
        """The whole document as a string (ends with a newline)."""
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
                 'viewBox="0 0 %d %d" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">'
                 % (self.width, self.height, self.width, self.height)]
        if self.title:
            lines.append("<title>%s</title>" % escape(self.title))
        lines.append('<rect class="background" x="0" y="0" width="%d" height="%d" fill="#ffffff"/>'
                     % (self.width, self.height))
        for i, p in enumerate(self.panels):
            lines.extend(p.render("panel-%d" % i))
        lines.append("</svg>")
        return "\n".join(lines) + "\n"
