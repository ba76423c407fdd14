# Golden values for carecast's reconciliation of a panel with its total
# (src/system/reconcile/projections.ts, forecastPanel(..., { reconcile })),
# computed independently in R: the LAs of the East Midlands and the region's
# own total (children looked after at 31 March, DfE, as bundled with
# carecast), every node forecast by R's rwf(drift = TRUE) 3 years ahead from
# 2024, reconciled by MinT with the shrinkage covariance of the one-step
# errors, as the rules fixed for issue 12 say:
#
# - nodes: the region (the total), every LA whose data end in 2024 (not
#   Northamptonshire, which ends in 2021), and the unallocated rest
#   u_t = region_t - sum of those LAs with a value in year t, forecast by
#   naive (its 2024 value);
# - one-step errors: rwf's residuals (y_t - y_{t-1} - drift) of each LA and
#   of the region; u's year-on-year changes, missing in 2022, when North and
#   West Northamptonshire start (a change of composition);
# - the years: those in which some LA has an error (2012-2024); a missing
#   error counts as 0, every moment over all those years;
# - W: hts:::shrink.estim (as in mint-golden.R); G = (S' W^-1 S)^-1 S' W^-1.
#
# 2018 is not published for LAs or regions: filled by the straight line
# between 2017 and 2019, as carecast fills it.
#
# Run from the repository root: Rscript test/golden/mint-panel-golden.R
# It writes test/golden/mint-panel.json.
suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

source("test/golden/mint-shrink.R")

# published values 2011-2017 and 2019-2024 (13), with 2018 filled
fill18 <- function(v) {
  stopifnot(length(v) == 13)
  list(years = 2011:2024, y = c(v[1:7], (v[7] + v[8]) / 2, v[8:13]))
}

region <- fill18(c(4430, 4740, 4860, 4950, 5130, 5230, 5400, 5850, 6100, 6400, 6470, 6600, 6570))
las <- list(
  "Derby" = fill18(c(461, 480, 465, 445, 470, 448, 448, 562, 588, 642, 627, 620, 598)),
  "Derbyshire" = fill18(c(660, 700, 664, 628, 603, 585, 630, 801, 862, 899, 912, 996, 1057)),
  "Leicester" = fill18(c(497, 521, 521, 530, 564, 646, 695, 642, 608, 615, 612, 628, 599)),
  "Leicestershire" = fill18(c(352, 373, 435, 456, 472, 469, 509, 583, 654, 706, 696, 681, 726)),
  "Lincolnshire" = fill18(c(489, 500, 583, 606, 631, 627, 690, 611, 622, 680, 736, 728, 754)),
  "North Northamptonshire" = list(years = 2022:2024, y = c(525, 547, 533)),
  "West Northamptonshire" = list(years = 2022:2024, y = c(658, 688, 648)),
  "Nottingham" = fill18(c(519, 541, 561, 583, 578, 594, 616, 628, 656, 684, 722, 719, 674)),
  "Nottinghamshire" = fill18(c(687, 800, 874, 830, 841, 828, 773, 862, 909, 993, 958, 956, 957)),
  "Rutland" = fill18(c(34, 29, 31, 34, 33, 40, 39, 33, 43, 34, 25, 32, 27))
)
h <- 3
grid <- 2011:2024

drift <- function(s) {
  fc <- rwf(ts(s$y, start = s$years[1]), h = h, drift = TRUE)
  e <- rep(NA_real_, length(grid))
  e[match(s$years, grid)] <- as.numeric(residuals(fc))
  list(mean = as.numeric(fc$mean), errors = e)
}

fr <- drift(region)
fl <- lapply(las, drift)

# the unallocated rest and its naive errors (missing where an LA starts)
value_at <- function(s, y) { i <- match(y, s$years); if (is.na(i)) 0 else s$y[i] }
u <- sapply(grid, function(y) value_at(region, y) - sum(sapply(las, value_at, y = y)))
starts <- sapply(las, function(s) s$years[1])
ue <- c(NA, diff(u))
ue[grid %in% starts] <- NA

X <- cbind(fr$errors, sapply(fl, function(f) f$errors), ue)
keep <- apply(!is.na(X[, 2:(ncol(X) - 1), drop = FALSE]), 1, any)
X <- X[keep, ]
X[is.na(X)] <- 0
sh <- shrink.estim(X)
k <- length(las) + 1
S <- rbind(rep(1, k), diag(k))
R <- t(S) %*% solve(sh$W)
G <- solve(R %*% S) %*% R
base <- matrix(c(fr$mean, unlist(lapply(fl, function(f) f$mean)), rep(u[length(u)], h)), ncol = h, byrow = TRUE)
rec <- S %*% G %*% base

out <- list(
  meta = list(
    r_version = R.version.string,
    forecast_version = as.character(packageVersion("forecast")),
    date = as.character(Sys.Date()),
    command = "Rscript test/golden/mint-panel-golden.R",
    notes = c(
      "Nodes: the East Midlands total, the LAs in the order of 'areas', then the unallocated rest.",
      "Every node but the unallocated rest forecast by rwf(drift = TRUE) from 2024; the rest by naive.",
      "errorYears: the years of the residual matrix's rows (a missing error counted as 0)."
    )
  ),
  years = 2025:2027,
  areas = names(las),
  errorYears = grid[keep],
  lambda = sh$lambda,
  unallocated2024 = u[length(u)],
  base = list(total = fr$mean, areas = lapply(fl, function(f) f$mean)),
  reconciled = list(
    total = as.numeric(rec[1, ]),
    areas = setNames(lapply(seq_along(las), function(j) as.numeric(rec[j + 1, ])), names(las)),
    unallocated = as.numeric(rec[k + 1, ])
  )
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/golden/mint-panel.json")
cat("Wrote test/golden/mint-panel.json: lambda", sh$lambda, "\n")
