#!/usr/bin/env python3
"""Compare predicted and gold publication days of an extraction benchmark.

    python3 scripts/date_days.py BENCH_DIR PRED.jsonl [BASE.jsonl]

Prints the pages whose predicted day is one day off the gold day and says, for each,
whether a time-zone conversion explains it: the predicted instant, read at UTC or at
UTC+7, falls on the gold day while the day the prediction gives (the publisher's own,
at the offset the page printed) does not. A prediction without an offset, or whose
offset is the page's own, is the day the page printed; such a hit means the gold is the
converted day. With BASE, also lists pages whose date was right in BASE and is
wrong in PRED. Uses the scorer's own date parsing (../shared/eval/score_extract.py).
"""
import json
import os
import sys
from datetime import timedelta, timezone

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../shared/eval"))
import score_extract as se  # noqa: E402


def load(path):
    return {json.loads(l)["id"]: json.loads(l) for l in open(path, encoding="utf-8")}


def main():
    bench, pred_path = sys.argv[1], sys.argv[2]
    gt = json.load(open(os.path.join(bench, "ground-truth.json"), encoding="utf-8"))
    pred = load(pred_path)
    base = load(sys.argv[3]) if len(sys.argv) > 3 else None
    off1 = tz = 0
    for i, g in sorted(gt.items()):
        gd = se.parse_date(g.get("date"))
        p = (pred.get(i) or {}).get("date")
        pd = se.parse_date(p)
        if not gd or not pd:
            continue
        if se.date_match(g["date"], p) or not se.date_match(g["date"], p, 1):
            continue
        off1 += 1
        conv = []
        if pd[1] is not None:
            for name, z in (("UTC", timezone.utc), ("UTC+7", timezone(timedelta(hours=7)))):
                if pd[1].astimezone(z).date() == gd[0]:
                    conv.append(name)
        if conv:
            tz += 1
        print(f"one day off: {i}: gold {g['date']} pred {p}"
              + (f"  <- gold = this instant's day at {', '.join(conv)} (a conversion)" if conv else ""))
    print(f"{off1} pages one day off, {tz} of them explained by a time-zone conversion")
    if base:
        for i, g in sorted(gt.items()):
            if not se.parse_date(g.get("date")):
                continue
            b, p = (base.get(i) or {}).get("date"), (pred.get(i) or {}).get("date")
            if se.date_match(g["date"], b) and not se.date_match(g["date"], p):
                print(f"regression: {i}: gold {g['date']} base {b} pred {p}")


if __name__ == "__main__":
    main()
