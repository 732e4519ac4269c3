#!/usr/bin/env python3
"""Synthesizes the sample recordings in content/sample/audio/ with Debian's
espeak-ng (16 kHz mono 16-bit PCM WAV), from the sample's own texts:

  audio/TAG/home.wav             title (the home screen's heading)
  audio/TAG/help.wav             site.help
  audio/TAG/rights.article-1.wav the article's title and body (en only)

for each language of the sample that espeak-ng speaks. Synthetic speech is
a stand-in: recordings by native speakers should replace these files. Run
from anywhere (`python3 content/tools/make_audio.py`); the output is
committed, so nothing needs espeak-ng at build or test time.

espeak-ng writes 22050 Hz; this script resamples to 16 kHz itself (linear
interpolation after a 3-tap low-pass) so no other tool is needed."""
import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "sample")
OUT = os.path.join(SAMPLE, "audio")
RATE = 16000
# sample language -> espeak-ng voice
VOICES = {"en": "en-gb", "fr": "fr-fr", "es": "es", "ar": "ar", "fa": "fa", "ur": "ur",
          "am": "am", "my": "my", "bn": "bn", "uk": "uk"}
PAGES = {"home": ["title"], "help": ["site.help"]}
ARTICLE_LANGS = ("en",)


def texts(tag):
    with open(os.path.join(SAMPLE, "strings", tag + ".json"), encoding="utf-8") as f:
        s = json.load(f)
    rights = os.path.join(SAMPLE, "rights", tag + ".json")
    if os.path.exists(rights):
        with open(rights, encoding="utf-8") as f:
            s.update(json.load(f))
    return s


def speak(voice, text):
    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "--stdout", text],
                         check=True, capture_output=True).stdout
    # RIFF header, then chunks; espeak-ng writes fmt then data (size may be 0x7fffffff)
    pos, rate, data = 12, None, None
    while pos + 8 <= len(wav):
        cid, size = wav[pos:pos + 4], struct.unpack("<I", wav[pos + 4:pos + 8])[0]
        body = wav[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt, ch, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            assert fmt == 1 and ch == 1 and bits == 16, (fmt, ch, bits)
        elif cid == b"data":
            data = body
            break
        pos += 8 + size + (size & 1)
    n = len(data) // 2
    return rate, struct.unpack("<%dh" % n, data[:2 * n])


def resample(rate, x):
    # 3-tap low-pass, then linear interpolation onto the 16 kHz grid
    s = [x[0]] + [(x[i - 1] + 2 * x[i] + x[i + 1]) / 4 for i in range(1, len(x) - 1)] + [x[-1]]
    out = []
    n = int(len(s) * RATE / rate)
    for k in range(n):
        t = k * rate / RATE
        i = int(t)
        f = t - i
        a = s[i]
        b = s[i + 1] if i + 1 < len(s) else a
        out.append(max(-32768, min(32767, int(round(a + (b - a) * f)))))
    return out


def trim(x):
    # drop leading and trailing silence, keeping 0.1 s
    loud = [i for i, v in enumerate(x) if abs(v) > 300]
    if not loud:
        return x
    keep = RATE // 10
    return x[max(0, loud[0] - keep):loud[-1] + keep]


def write(path, samples):
    data = struct.pack("<%dh" % len(samples), *samples)
    head = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE"
    head += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
    head += b"data" + struct.pack("<I", len(data))
    with open(path, "wb") as f:
        f.write(head + data)


def main():
    total = 0
    for tag, voice in VOICES.items():
        s = texts(tag)
        pages = dict(PAGES)
        if tag in ARTICLE_LANGS:
            pages["rights.article-1"] = ["rights.article-1.title", "rights.article-1.body"]
        os.makedirs(os.path.join(OUT, tag), exist_ok=True)
        for page, keys in pages.items():
            text = "\n".join(s[k] for k in keys if k in s)
            rate, x = speak(voice, text)
            y = trim(resample(rate, x))
            path = os.path.join(OUT, tag, page + ".wav")
            write(path, y)
            total += os.path.getsize(path)
            print("%s %.1f s" % (os.path.relpath(path, SAMPLE), len(y) / RATE))
    print("total %d bytes" % total, file=sys.stderr)


if __name__ == "__main__":
    main()
