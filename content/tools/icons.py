#!/usr/bin/env python3
"""Draws the category pictograms in content/sample/icons/ (96x96 RGBA PNG:
a white symbol on a coloured rounded square, big and plain enough to read
at a glance). Pure Python (zlib); run from anywhere; the output is
committed."""
import math
import os
import struct
import zlib

SIZE, SS = 96, 4  # pixels, supersamples per axis
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sample", "icons")


def circle(cx, cy, r):
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def rect(x0, y0, x1, y1):
    return lambda x, y: x0 <= x <= x1 and y0 <= y <= y1


def poly(*pts):
    def inside(x, y):
        n, c = len(pts), False
        for i in range(n):
            (x1, y1), (x2, y2) = pts[i], pts[(i + 1) % n]
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                c = not c
        return c
    return inside


def segment(x1, y1, x2, y2, w):
    def inside(x, y):
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        px, py = x1 + t * dx, y1 + t * dy
        return (x - px) ** 2 + (y - py) ** 2 <= (w / 2) ** 2
    return inside


def half_disc(cx, cy, r):  # the lower half
    c = circle(cx, cy, r)
    return lambda x, y: y >= cy and c(x, y)


def minus(a, b):
    return lambda x, y: a(x, y) and not b(x, y)


def rounded_square(x, y, r=18):
    lo, hi = r, SIZE - r
    cx, cy = min(max(x, lo), hi), min(max(y, lo), hi)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


ICONS = {
    "health": ((0xC6, 0x28, 0x28), [rect(40, 18, 56, 78), rect(18, 40, 78, 56)]),
    "shelter": ((0x2E, 0x5E, 0xAA), [poly((48, 14), (84, 46), (12, 46)),
                                     minus(rect(22, 44, 74, 80), rect(41, 56, 55, 80))]),
    "food": ((0xE0, 0x7B, 0x00), [half_disc(48, 50, 32), rect(16, 48, 80, 52),
                                  segment(36, 20, 36, 38, 6), segment(48, 16, 48, 38, 6),
                                  segment(60, 20, 60, 38, 6)]),
    "legal": ((0x5E, 0x35, 0xB1), [rect(45, 18, 51, 76), rect(30, 74, 66, 80),
                                   segment(18, 26, 78, 26, 6), segment(24, 26, 16, 50, 3),
                                   segment(24, 26, 32, 50, 3), segment(72, 26, 64, 50, 3),
                                   segment(72, 26, 80, 50, 3), half_disc(24, 50, 11),
                                   half_disc(72, 50, 11)]),
    "family": ((0x00, 0x89, 0x7B), [circle(30, 26, 9), circle(66, 26, 9), circle(48, 50, 7),
                                    segment(30, 44, 30, 78, 16), segment(66, 44, 66, 78, 16),
                                    segment(48, 64, 48, 80, 12)]),
    "safety": ((0x37, 0x47, 0x4F), [poly((48, 12), (80, 24), (78, 50), (48, 86), (18, 50),
                                         (16, 24))]),
    "essentials": ((0x02, 0x88, 0xD1), [circle(48, 58, 22), poly((48, 12), (68, 48), (28, 48))]),
}


def png(path, rows):
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + bytes(r) for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def draw(colour, shapes):
    rows = []
    for py in range(SIZE):
        row = []
        for px in range(SIZE):
            bg = fg = 0
            for sy in range(SS):
                for sx in range(SS):
                    x, y = px + (sx + 0.5) / SS, py + (sy + 0.5) / SS
                    if rounded_square(x, y):
                        bg += 1
                        fg += any(s(x, y) for s in shapes)
            n = SS * SS
            a = bg / n
            w = fg / bg if bg else 0
            rgb = [round(c * (1 - w) + 255 * w) for c in colour]
            row += rgb + [round(255 * a)]
        rows.append(row)
    return rows


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (colour, shapes) in ICONS.items():
        png(os.path.join(OUT, name + ".png"), draw(colour, shapes))


if __name__ == "__main__":
    main()
