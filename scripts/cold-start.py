#!/usr/bin/env python3
"""Cold first answer of `tintuc search`, one or more binaries alternated (issue #13).

    scripts/cold-start.py INDEX BIN[,BIN2...] QUERY [QUERY...] [--runs N]

For each run, each binary and each query: drop the index's pages from the page cache
(posix_fadvise DONTNEED on every file under INDEX), start `BIN --index INDEX search QUERY
--json` and time its first byte of output. Prints the median [min-max] in ms per query and
binary. Linux only; the binaries themselves stay cached.
"""
import os
import statistics
import subprocess
import sys
import time


def evict(d):
    for root, _, files in os.walk(d):
        for f in files:
            fd = os.open(os.path.join(root, f), os.O_RDONLY)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.close(fd)


def first_answer(binary, index, query):
    t = time.perf_counter()
    p = subprocess.Popen([binary, "--index", index, "search", query, "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.read(1)
    ms = (time.perf_counter() - t) * 1000
    p.stdout.read()
    p.wait()
    return ms


def main(argv):
    runs = 5
    if "--runs" in argv:
        i = argv.index("--runs")
        runs = int(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) < 3:
        sys.exit(__doc__)
    index, bins, queries = argv[0], argv[1].split(","), argv[2:]
    res = {(b, q): [] for b in bins for q in queries}
    for _ in range(runs):
        for b in bins:
            for q in queries:
                evict(index)
                res[(b, q)].append(first_answer(b, index, q))
    for q in queries:
        cells = []
        for b in bins:
            v = res[(b, q)]
            cells.append(f"{os.path.basename(b)} {statistics.median(v):6.1f} [{min(v):.0f}-{max(v):.0f}]")
        print(f"{q[:48]:<48} " + "  ".join(cells))


if __name__ == "__main__":
    main(sys.argv[1:])
