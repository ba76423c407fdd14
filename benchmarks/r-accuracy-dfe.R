# R side of benchmarks/accuracy-dfe.ts: rolling-origin forecasts of the DfE
# panel through R's forecast package, with R's own 80% and 95% intervals, and
# the wall time of each method over the whole panel.
#
# Usage: Rscript benchmarks/r-accuracy-dfe.R input.json output.json
#
# input.json:  { "levels": [80, 95], "methods": ["naive", "ets", ...] (optional: default all),
#                "series": [ { "area": "Derbyshire", "start": 2011, "y": [...],
#                              "origins": [ { "n": 4, "h": 3 }, ... ] }, ... ] }
#   y is the series as carecast fits it: the first to the last year with a
#   value, 2018 (missing in the sources) filled by the straight line between
#   2017 and 2019, exactly as carecast's forecast() fills it. Each origin
#   trains on y[1..n] and forecasts h steps ahead.
# output.json: { "rVersion", "forecastVersion", "nSeries", "nFits",
#                "methods": { name: { "ms": wall ms of the timed run,
#                  "warmupMs", "failures",
#                  "series": [ [ { "mean": [...], "lo80": [...], "hi80": [...],
#                                  "lo95": [...], "hi95": [...] } or { "error": "..." }
#                                per origin ] per series ] } },
#                "peakRssBytes" }
#
# Methods (all, or those listed in the input): ets = forecast(ets(y)) (automatic model choice by AICc);
# arima = forecast(auto.arima(y)); theta = thetaf(y); drift = rwf(y, drift = TRUE);
# naive = naive(y). Each method: a warm-up over the first 5 series, gc(), then
# one timed run (Sys.time()) fitting and forecasting every (series, origin)
# with level = c(80, 95).

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript r-accuracy-dfe.R input.json output.json")
suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

inp <- fromJSON(args[1], simplifyVector = FALSE)
levels <- as.numeric(unlist(inp$levels))
series <- lapply(inp$series, function(s) {
  list(
    area = s$area,
    y = as.numeric(unlist(s$y)),
    start = as.integer(s$start),
    origins = lapply(s$origins, function(o) list(n = as.integer(o$n), h = as.integer(o$h)))
  )
})

methods <- list(
  ets = function(x, h) forecast(ets(x), h = h, level = levels),
  arima = function(x, h) forecast(auto.arima(x), h = h, level = levels),
  theta = function(x, h) thetaf(x, h = h, level = levels),
  drift = function(x, h) rwf(x, h = h, drift = TRUE, level = levels),
  naive = function(x, h) naive(x, h = h, level = levels)
)
if (!is.null(inp$methods)) {
  asked <- as.character(unlist(inp$methods))
  unknown <- setdiff(asked, names(methods))
  if (length(unknown) > 0) stop("unknown R method(s): ", paste(unknown, collapse = ", "))
  methods <- methods[asked]
}

one <- function(f, s, o) {
  x <- ts(s$y[seq_len(o$n)], start = s$start, frequency = 1)
  tryCatch({
    fc <- f(x, o$h)
    list(
      model = as.character(fc$method),
      mean = as.numeric(fc$mean),
      lo80 = as.numeric(fc$lower[, 1]), hi80 = as.numeric(fc$upper[, 1]),
      lo95 = as.numeric(fc$lower[, 2]), hi95 = as.numeric(fc$upper[, 2])
    )
  }, error = function(e) list(error = conditionMessage(e)))
}

run_all <- function(f, ss) lapply(ss, function(s) lapply(s$origins, function(o) one(f, s, o)))

out_methods <- list()
n_fits <- sum(vapply(series, function(s) length(s$origins), integer(1)))
for (m in names(methods)) {
  f <- methods[[m]]
  w0 <- Sys.time()
  invisible(run_all(f, series[seq_len(min(5, length(series)))]))
  warm <- as.numeric(difftime(Sys.time(), w0, units = "secs")) * 1000
  gc(verbose = FALSE)
  t0 <- Sys.time()
  res <- run_all(f, series)
  ms <- as.numeric(difftime(Sys.time(), t0, units = "secs")) * 1000
  failures <- sum(vapply(res, function(r) sum(vapply(r, function(z) !is.null(z$error), logical(1))), integer(1)))
  out_methods[[m]] <- list(ms = ms, warmupMs = warm, failures = failures, series = res)
}

peak <- tryCatch({
  st <- readLines("/proc/self/status")
  hwm <- grep("^VmHWM:", st, value = TRUE)
  as.numeric(gsub("[^0-9]", "", hwm)) * 1024
}, error = function(e) NA)

out <- list(
  rVersion = R.version.string,
  forecastVersion = as.character(packageVersion("forecast")),
  nSeries = length(series),
  nFits = n_fits,
  methods = out_methods,
  peakRssBytes = peak
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null"), args[2])
