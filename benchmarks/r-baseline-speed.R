# R side of benchmarks/baseline-speed.ts: times R's forecast package on the
# same series carecast projects, and returns the damped-trend forecasts for
# comparison.
#
# Usage: Rscript benchmarks/r-baseline-speed.R input.json output.json
#
# input.json:  { "h": 3, "runs": 5, "series": [ { "area": "Derbyshire", "start": 2011, "y": [660, ...] }, ... ] }
# output.json: { "rVersion", "forecastVersion", "h", "runs", "nSeries",
#                "times": { method: { "medianMs", "runsMs": [...] } },
#                "dampedTrend": [ { "area", "point": [h values], "alpha", "beta", "phi", "l0", "b0", "sse", "loglik", "method" } ],
#                "peakRssBytes" }
#
# Each timed run fits and forecasts every series once (80 and 95% intervals,
# R's defaults, as carecast's forecast() computes). One warm-up run first;
# gc() before each timed run; the median of the timed runs is reported.
# Methods: naive = naive(y); drift = rwf(y, drift = TRUE);
# linear = forecast(tslm(y ~ trend)); loglinear = forecast(tslm(y ~ trend, lambda = 0));
# dampedTrend = forecast(ets(y, model = "AAN", damped = TRUE)); theta = thetaf(y).
# (ets refuses the damped five-parameter model for n <= 9; the series here
# have 11 points.)

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript r-baseline-speed.R input.json output.json")
suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

inp <- fromJSON(args[1], simplifyVector = FALSE)
h <- as.integer(inp$h)
runs <- as.integer(inp$runs)
areas <- vapply(inp$series, function(s) s$area, character(1))
ys <- lapply(inp$series, function(s) ts(as.numeric(unlist(s$y)), start = s$start, frequency = 1))

methods <- list(
  naive = function(y) naive(y, h = h),
  drift = function(y) rwf(y, drift = TRUE, h = h),
  linear = function(y) forecast(tslm(y ~ trend), h = h),
  loglinear = function(y) forecast(tslm(y ~ trend, lambda = 0), h = h),
  dampedTrend = function(y) forecast(ets(y, model = "AAN", damped = TRUE), h = h),
  theta = function(y) thetaf(y, h = h)
)

time_run <- function(f) {
  gc(verbose = FALSE)
  t0 <- Sys.time()
  for (y in ys) f(y)
  as.numeric(difftime(Sys.time(), t0, units = "secs")) * 1000
}

times <- list()
for (m in names(methods)) {
  f <- methods[[m]]
  invisible(time_run(f)) # warm-up
  r <- vapply(seq_len(runs), function(i) time_run(f), numeric(1))
  times[[m]] <- list(medianMs = median(r), runsMs = as.list(r))
}

damped <- lapply(seq_along(ys), function(i) {
  y <- ys[[i]]
  res <- tryCatch({
    fit <- ets(y, model = "AAN", damped = TRUE)
    fc <- forecast(fit, h = h)
    par <- fit$par
    list(
      area = areas[i],
      point = as.list(as.numeric(fc$mean)),
      alpha = unname(par["alpha"]),
      beta = unname(par["beta"]),
      phi = unname(par["phi"]),
      l0 = unname(par["l"]),
      b0 = unname(par["b"]),
      sse = sum(residuals(fit)^2),
      loglik = fit$loglik,
      method = fit$method
    )
  }, error = function(e) list(area = areas[i], error = conditionMessage(e)))
  res
})

peak <- tryCatch({
  st <- readLines("/proc/self/status")
  hwm <- grep("^VmHWM:", st, value = TRUE)
  as.numeric(gsub("[^0-9]", "", hwm)) * 1024
}, error = function(e) NA)

out <- list(
  rVersion = R.version.string,
  forecastVersion = as.character(packageVersion("forecast")),
  h = h,
  runs = runs,
  nSeries = length(ys),
  times = times,
  dampedTrend = damped,
  peakRssBytes = peak
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null"), args[2])
