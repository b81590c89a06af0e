"""Check a browser's PNG rendering of one of nnref's SVG plots (standard library only).

Usage: python3 tools/check_render.py PLOT.svg PLOT.png

The PNG must be the SVG rendered at 1:1 (``--window-size`` equal to the SVG's
width and height, device scale factor 1), as tools/ci/30-render.sh does with
headless Chromium.  The check:

* the PNG has the SVG's size and is not blank (enough non-white pixels, more
  than a handful of colours);
* known points have the expected colours, taken from the SVG itself: the
  centre of each data circle (spiral points, markers) has its fill colour,
  the centre of each softmax-region cell its fill colour, the midpoint of
  each solid series segment its stroke colour (anti-aliasing is allowed for
  by looking one pixel around the point), and the corner is the white
  background.  Points that a later element covers (another circle, the
  legend, a grid line) are left out.

Exit status 0 if every probe matches, 1 otherwise, with a report.
"""

import struct
import sys
import xml.etree.ElementTree as ET
import zlib

NS = "{http://www.w3.org/2000/svg}"


def read_png(path):
    """(width, height, rows) with rows[y][x] = (r, g, b); 8-bit RGB or RGBA, not interlaced."""
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s is not a PNG" % path)
    pos = 8
    idat = []
    header = None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError("unsupported PNG: depth %d, colour type %d, interlace %d"
                         % (depth, colour_type, interlace))
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows = []
    previous = bytearray(stride)
    pos = 0
    for _ in range(height):
        kind = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 255
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        elif kind != 0:
            raise ValueError("bad PNG filter type %d" % kind)
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def hex_colour(text):
    text = text.strip().lstrip("#")
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


def classes(element):
    return (element.get("class") or "").split()


def probes(svg_path):
    """[(x, y, expected rgb, tolerance, what)] read from the SVG, plus its size."""
    root = ET.parse(svg_path).getroot()
    width, height = int(root.get("width")), int(root.get("height"))
    elements = list(root.iter())
    circles = [(i, float(e.get("cx")), float(e.get("cy")), float(e.get("r")))
               for i, e in enumerate(elements) if e.tag == NS + "circle"]
    legends = []
    for g in root.iter(NS + "g"):
        if "legend" in classes(g):
            r = g.find(NS + "rect")
            legends.append((float(r.get("x")), float(r.get("y")),
                            float(r.get("x")) + float(r.get("width")),
                            float(r.get("y")) + float(r.get("height"))))
    guides = []   # x or y of straight lines drawn over the data (zero lines, guides)
    for i, e in enumerate(elements):
        if e.tag == NS + "line" and (set(classes(e)) & {"zero", "guide"}):
            guides.append((i, float(e.get("x1")), float(e.get("y1")),
                           float(e.get("x2")), float(e.get("y2"))))

    def covered(index, x, y, margin):
        for j, cx, cy, r in circles:
            if j > index and (cx - x) ** 2 + (cy - y) ** 2 <= (r + margin) ** 2:
                return True
        for x0, y0, x1, y1 in legends:
            if x0 - margin <= x <= x1 + margin and y0 - margin <= y <= y1 + margin:
                return True
        for j, x0, y0, x1, y1 in guides:
            if j < index:
                continue
            if x0 == x1 and abs(x - x0) <= margin + 1 and min(y0, y1) <= y <= max(y0, y1):
                return True
            if y0 == y1 and abs(y - y0) <= margin + 1 and min(x0, x1) <= x <= max(x0, x1):
                return True
        return False

    out = [(2, 2, (255, 255, 255), 0, "background")]
    for index, e in enumerate(elements):
        kind = classes(e)
        if e.tag == NS + "circle" and kind and kind[0] in ("point", "marker"):
            if e.get("fill") in (None, "none", "#ffffff"):
                continue
            x, y = float(e.get("cx")), float(e.get("cy"))
            if not covered(index, x, y, 1.5):
                out.append((x, y, hex_colour(e.get("fill")), 40, " ".join(kind)))
        elif e.tag == NS + "rect" and kind[:1] == ["cell"]:
            x = float(e.get("x")) + float(e.get("width")) / 2
            y = float(e.get("y")) + float(e.get("height")) / 2
            if not covered(index, x, y, 3):
                out.append((x, y, hex_colour(e.get("fill")), 6, " ".join(kind)))
        elif e.tag == NS + "polyline" and kind[:1] == ["series"] and not e.get("stroke-dasharray"):
            points = [tuple(float(v) for v in p.split(",")) for p in e.get("points").split()]
            segments = list(zip(points, points[1:]))
            for (x0, y0), (x1, y1) in segments[::max(1, len(segments) // 20)]:
                x, y = (x0 + x1) / 2, (y0 + y1) / 2
                if not covered(index, x, y, 3):
                    out.append((x, y, hex_colour(e.get("stroke")), 90, " ".join(kind)))
    return width, height, out


def distance(a, b):
    return max(abs(p - q) for p, q in zip(a, b))


def check(svg_path, png_path):
    width, height, expected = probes(svg_path)
    png_width, png_height, rows = read_png(png_path)
    problems = []
    if (png_width, png_height) != (width, height):
        problems.append("PNG is %dx%d, the SVG %dx%d" % (png_width, png_height, width, height))
        return problems, 0
    white = sum(1 for row in rows for p in row if p == (255, 255, 255))
    colours = set(p for row in rows[::4] for p in row[::4])
    if white > 0.99 * width * height or len(colours) < 4:
        problems.append("the picture is blank: %d white pixels of %d, %d colours"
                        % (white, width * height, len(colours)))
    for x, y, rgb, tolerance, what in expected:
        px, py = int(x), int(y)
        # Anti-aliasing: accept the best pixel within one pixel of the point.
        nearby = [rows[j][i] for j in range(py - 1, py + 2) for i in range(px - 1, px + 2)
                  if 0 <= i < width and 0 <= j < height]
        best = min(nearby, key=lambda p: distance(p, rgb))
        if distance(best, rgb) > tolerance:
            problems.append("%s at (%.1f, %.1f): expected #%02x%02x%02x, got #%02x%02x%02x"
                            % ((what, x, y) + rgb + best))
    return problems, len(expected)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    problems, count = check(argv[1], argv[2])
    for line in problems[:20]:
        print("  " + line)
    print("%s: %d probes, %d problems" % (argv[2], count, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
