"""CRPS golden values for test/evaluate/crps.test.ts, by numerical integration in SciPy.

Each case is scored straight from the definition, CRPS(F, y) = integral of (F(x) - 1{x >= y})^2 dx,
with the distribution's cdf from scipy.stats and scipy.integrate.quad, independently of the closed
forms carecast uses. Censored cases score max(lower, X): its cdf is 0 below `lower` and F above.

Run from the repository root: python3 test/golden/crps-golden.py  (writes test/golden/crps.json)
"""
import json
import math
import sys

import numpy as np
import scipy
from scipy import integrate, stats


def crps_cdf(cdf, y, lower=-math.inf, breaks=()):
    """Integral of (F(x) - 1{x >= y})^2 over the real line, F censored below at `lower`."""

    def f(x):
        F = 0.0 if x < lower else cdf(x)
        return (F - (1.0 if x >= y else 0.0)) ** 2

    pts = sorted({y, *(b for b in breaks if math.isfinite(b))} | ({lower} if math.isfinite(lower) else set()))
    total = 0.0
    edges = [-math.inf, *pts, math.inf]
    for a, b in zip(edges[:-1], edges[1:]):
        if a == b:
            continue
        v, err = integrate.quad(f, a, b, limit=500, epsabs=1e-13, epsrel=1e-12)
        total += v
    return total


cases = []


def add(kind, params, y, lower, cdf, breaks=()):
    v = crps_cdf(cdf, y, lower, breaks)
    cases.append({"kind": kind, **params, "y": y, "lower": (None if not math.isfinite(lower) else lower), "crps": v})


for (m, s, y) in [(0, 1, 0), (0, 1, 1.5), (100, 10, 87), (5, 2, 0), (1, 2, 0), (1, 2, 3), (1, 2, -0.5)]:
    for lower in (-math.inf, 0.0):
        d = stats.norm(m, s)
        add("normal", {"mean": m, "sd": s}, y, lower, d.cdf, (m,))
for (m, s, df, y) in [(0, 1, 5, 0), (0, 1, 3, 2), (50, 8, 2.5, 40), (1, 2, 3, 0), (1, 2, 3, 1), (1, 2, 3, -0.5), (2, 3, 1.5, 0.5)]:
    for lower in (-math.inf, 0.0):
        d = stats.t(df, m, s)
        add("studentT", {"mean": m, "scale": s, "df": df}, y, lower, d.cdf, (m,))
for (ml, sl, y, lower) in [(math.log(100), 0.1, 100, -math.inf), (math.log(100), 0.3, 130, -math.inf), (0, 1, 0.2, -math.inf),
                           (0, 1, 0.5, 0.3), (0, 1, 0.1, 0.3), (2, 0.5, -1, -math.inf)]:
    d = stats.lognorm(sl, scale=math.exp(ml))
    add("lognormal", {"meanlog": ml, "sdlog": sl}, y, lower, lambda x, d=d: d.cdf(x) if x > 0 else 0.0, (0.0, math.exp(ml)))

out = {
    "meta": {
        "command": "python3 test/golden/crps-golden.py",
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "method": "scipy.integrate.quad of (F(x) - 1{x >= y})^2, F from scipy.stats (censored below at lower when given)",
    },
    "cases": cases,
}
with open("test/golden/crps.json", "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print(f"wrote test/golden/crps.json with {len(cases)} cases")
