#!/usr/bin/env python3
"""Builds an N-article JSON Lines corpus for scale benchmarks (see scale-corpus.sh).

Streams the real articles of ../shared/corpus/dev.jsonl.gz then train-60k.jsonl.gz
(80,000), over and over. Pass 0 is the real articles as they are; every later pass
is a light variant of each: sentences dropped, swapped with sentences of recent
other articles or moved within their paragraph, some numbers redrawn, the title's
words sometimes reordered. Every article gets a distinct id and URL and a date
spread uniformly over 1995-01-01 .. 2026-11-30 (Vietnam time). One random
generator per article, seeded from (seed, n): the output depends only on N and the
seed, and memory stays constant whatever N.

Also writes OUT.stats.json: articles, input bytes, text bytes (title, kicker, lead,
body, author, category, source).
"""

import argparse
import gzip
import json
import os
import random
import re
import sys
import time

TEXT_FIELDS = ("title", "kicker", "lead", "body", "author", "category", "source")
START = 788893200  # 1995-01-01T00:00:00+07:00
END = 1796058000  # 2026-12-01T00:00:00+07:00
SENTENCE = re.compile(r"(?<=[.!?…])\s+")
NUMBER = re.compile(r"\d+")
POOL = 8192  # recent sentences, shared between articles


def sources(shared):
    names = ["dev.jsonl.gz", "train-60k.jsonl.gz"]
    paths = [os.path.join(shared, "corpus", n) for n in names]
    for p in paths:
        if not os.path.isfile(p):
            sys.exit(f"scale-corpus: {p} is absent")
    copy = 0
    while True:
        i = 0
        for p in paths:
            with gzip.open(p, "rt", encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        yield copy, i, json.loads(line)
                        i += 1
        if i == 0:
            sys.exit("scale-corpus: the source corpora hold no articles")
        copy += 1


def redraw_numbers(rng, text, p):
    def one(m):
        s = m.group(0)
        if rng.random() >= p or (len(s) == 4 and s[:2] in ("19", "20")):  # years stay
            return s
        first = str(rng.randint(1, 9)) if len(s) > 1 else str(rng.randint(0, 9))
        return first + "".join(str(rng.randint(0, 9)) for _ in range(len(s) - 1))

    return NUMBER.sub(one, text)


def vary_body(rng, body, pool, pos):
    out = []
    for para in body.split("\n"):
        sents = [s for s in SENTENCE.split(para) if s]
        kept = []
        for s in sents:
            r = rng.random()
            if len(sents) > 1 and r < 0.08:
                continue  # dropped
            if r < 0.20 and pool[0]:
                s = pool[1][rng.randrange(len(pool[1]))]  # from another article
            kept.append(s)
        for s in sents:  # feed the pool with this article's sentences
            if len(pool[1]) < POOL:
                pool[1].append(s)
            else:
                pool[1][pos[0] % POOL] = s
            pos[0] += 1
        pool[0] = True
        if sents and not kept:
            kept.append(sents[0])  # a paragraph keeps at least one sentence
        if len(kept) > 2 and rng.random() < 0.5:
            i = rng.randrange(len(kept) - 1)
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
        out.append(" ".join(kept))
    return "\n".join(out)


def vary_title(rng, title):
    words = title.split()
    if len(words) > 3 and rng.random() < 0.5:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def slug(n, a):
    host = a.get("source") or f"{a.get('dataset') or 'archive'}.example.vn"
    if not re.fullmatch(r"[A-Za-z0-9.-]+", host):
        host = "archive.example.vn"
    return f"https://{host}/scale/{n}.html"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("out", help="output file (.jsonl)")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    if args.n <= 0:
        sys.exit("scale-corpus: N must be positive")
    base_ids = []  # the first pass's ids (the two corpora share a few)
    seen = set()
    pool = [False, []]
    pos = [0]
    in_bytes = 0
    text_bytes = 0
    t0 = time.time()
    tmp = args.out + ".part"
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        for n, (copy, i, a) in enumerate(sources(args.shared)):
            if n >= args.n:
                break
            rng = random.Random(args.seed * 1_000_003 + n)
            if copy == 0:
                aid = str(a.get("id") or f"scale-{i}")
                while aid in seen:
                    aid += "~dup"
                seen.add(aid)
                base_ids.append(aid)
                a["id"] = aid
            else:
                seen = None
            a["date"] = time.strftime(
                "%Y-%m-%dT%H:%M:%S+07:00", time.gmtime(rng.randrange(START, END) + 7 * 3600)
            )
            if copy > 0:
                a["id"] = f"{base_ids[i]}~{copy}"
                if a.get("title"):
                    a["title"] = redraw_numbers(rng, vary_title(rng, a["title"]), 0.3)
                if a.get("lead"):
                    a["lead"] = redraw_numbers(rng, a["lead"], 0.3)
                a["body"] = redraw_numbers(rng, vary_body(rng, a.get("body") or "", pool, pos), 0.3)
            a["url"] = slug(n, a)
            line = json.dumps(a, ensure_ascii=False) + "\n"
            out.write(line)
            in_bytes += len(line.encode("utf-8"))
            text_bytes += sum(len(a[f].encode("utf-8")) for f in TEXT_FIELDS if isinstance(a.get(f), str))
            if (n + 1) % 100_000 == 0:
                print(f"scale-corpus: {n + 1} articles, {time.time() - t0:.0f} s", file=sys.stderr)
    os.replace(tmp, args.out)
    stats = {"articles": min(n + 1, args.n), "input_bytes": in_bytes,
             "text_bytes": text_bytes, "seed": args.seed}
    with open(args.out + ".stats.json", "w") as f:
        json.dump(stats, f)
        f.write("\n")
    print(f"scale-corpus: {args.out}: {json.dumps(stats)} in {time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
