#!/usr/bin/env python3
"""Recount an SSDA903 folder without carecast: a separate, plain re-implementation
of the loader's merge and repair rules (src/data/loaders/ssda903.ts), used to
check the numbers test/data/ssda903.test.ts asserts on test/fixtures/ssda903/.

Rules recounted: a return's year is the 31 March on or after its latest DECOM;
rows with the same CHILD and DECOM are one episode, the later return winning
(different fields: "replaced", same fields: "duplicate"); per child in start
order, an episode open or ending after the next one starts is cut at that start
("open_closed_by_next" / "overlap_truncated"); a child's last episode still open
in a return before the last is kept open ("open_kept", the default), up to the
18th birthday (from the date of birth in the latest header file) when that falls
after the return's 31 March and by the last return's; or, with --close, closed
the day after that return's 31 March ("open_closed"). Children in care on
31 March: episodes with start <= day < end.

On the full synthetic sample (../shared/data/ssda903-synthetic) it prints 820
children; 910 replaced, 40 overlaps, 24 open episodes kept open; 628 in care at
31 March 2017 ... 86 in 2022 (with --close: 24 closed, 62 in 2022), as the
loader does.

Usage: python3 scripts/recount-ssda903.py [--close] test/fixtures/ssda903
"""
import csv
import datetime as dt
import glob
import os
import sys


def date(text):
    text = text.strip()
    return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def birthday(born, years):
    """The day of the birthday; 29 February falls on 1 March in other years."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


def main(folder, close):
    returns = {}
    for f in sorted(glob.glob(os.path.join(folder, "*-episodes.csv"))):
        rows = list(csv.DictReader(open(f, newline="")))
        latest = max(date(r["DECOM"]) for r in rows)
        year = latest.year + (1 if (latest.month, latest.day) > (3, 31) else 0)
        returns[year] = rows
    children = set()
    dob = {}
    for f in sorted(glob.glob(os.path.join(folder, "*-header.csv"))):  # later years last: their DOB wins
        for r in csv.DictReader(open(f, newline="")):
            children.add(r["CHILD"])
            dob[r["CHILD"]] = date(r["DOB"])
    uasc = set()
    for f in glob.glob(os.path.join(folder, "*-uasc.csv")):
        uasc |= {r["CHILD"] for r in csv.DictReader(open(f, newline=""))}

    fields = ["DEC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE"]
    groups = {}
    for year in sorted(returns):
        for r in returns[year]:
            groups.setdefault((r["CHILD"], date(r["DECOM"])), []).append((r, year))
    counts = dict(replaced=0, duplicate=0, overlap_truncated=0, open_closed_by_next=0, open_kept=0, open_closed=0)
    by_child = {}
    for (child, start), rows in groups.items():
        for (a, _), (b, _) in zip(rows, rows[1:]):
            same = all(a[f].strip() == b[f].strip() for f in fields)
            counts["duplicate" if same else "replaced"] += 1
        last_row, year = rows[-1]
        by_child.setdefault(child, []).append((start, date(last_row["DEC"]), year))
    last_year = max(returns)
    episodes = []
    for child, eps in by_child.items():
        eps.sort(key=lambda e: e[0])
        for i, (start, end, year) in enumerate(eps):
            if i + 1 < len(eps):
                nxt = eps[i + 1][0]
                if end is None or end > nxt:
                    counts["open_closed_by_next" if end is None else "overlap_truncated"] += 1
                    end = nxt
            elif end is None and year < last_year:
                if close:
                    counts["open_closed"] += 1
                    end = dt.date(year, 3, 31) + dt.timedelta(days=1)
                else:
                    counts["open_kept"] += 1
                    b = dob.get(child)
                    if b is not None:
                        at18 = birthday(b, 18)
                        if dt.date(year, 3, 31) < at18 <= dt.date(last_year, 3, 31):
                            end = at18
            episodes.append((child, start, end))

    print("returns:", sorted(returns))
    print("children:", len(children), "uasc:", len(uasc & children))
    print("repairs:", counts)
    for year in range(min(returns) - 1, last_year + 1):
        day = dt.date(year, 3, 31)
        print(f"in care 31 March {year}:", sum(1 for _, s, e in episodes if s <= day and (e is None or e > day)))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--close"]
    main(args[0] if args else "test/fixtures/ssda903", "--close" in sys.argv[1:])
