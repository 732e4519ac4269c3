#!/usr/bin/env python3
"""Writes content/sample/rights/TAG.json (flat key -> text, one file per
language) and content/sample/rights.json (the page order) from the UDHR
corpus in tests/data/udhr/. Run from anywhere; the output is committed.

Each corpus file is a title heading, then sections (a heading and its
paragraphs): 31 sections are the preamble and articles 1-30, 30 are the
articles only (the Amharic text has no preamble). Paragraphs of a section
are joined with a newline, which the booth lays out as a line break.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "sample")
CORPUS = os.path.join(HERE, "..", "..", "tests", "data", "udhr")
PAGES = ["preamble"] + ["article-%d" % i for i in range(1, 31)]


def sections(path):
    title, secs = None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("# "):
                continue
            if line.startswith("= "):
                if title is None:
                    title = line[2:].strip()
                else:
                    secs.append([line[2:].strip(), []])
            elif secs:
                secs[-1][1].append(line.strip())
    return title, secs


def main():
    for name in sorted(os.listdir(CORPUS)):
        if not name.endswith(".txt"):
            continue
        tag = name[:-4]
        title, secs = sections(os.path.join(CORPUS, name))
        if len(secs) == 31:
            ids = PAGES
        elif len(secs) == 30:
            ids = PAGES[1:]
        else:
            sys.exit("%s: %d sections, expected 30 or 31" % (name, len(secs)))
        out = {"rights.title": title}
        for pid, (heading, paras) in zip(ids, secs):
            out["rights.%s.title" % pid] = heading
            out["rights.%s.body" % pid] = "\n".join(paras)
        with open(os.path.join(SAMPLE, "rights", tag + ".json"), "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=2)
            f.write("\n")
    with open(os.path.join(SAMPLE, "rights.json"), "w", encoding="utf-8") as f:
        json.dump({"pages": PAGES}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
