# Golden values for carecast's accuracy measures and rolling-origin errors,
# from R's forecast package (accuracy(), tsCV()).
#
# Run from the repository root:
#   Rscript test/golden/accuracy-golden.R
# Writes test/golden/accuracy.json (overwrites it).
# Needs R with forecast and jsonlite (Debian: r-cran-forecast r-cran-jsonlite).
#
# Conventions checked by test/evaluate/metrics.test.ts against this file:
#   carecast bias = -ME (carecast error = forecast - actual; R's = actual - forecast)
#   carecast mae/rmse/mape = R's MAE/RMSE/MAPE on the test set
#   carecast mase(actual, forecast, training) = R's test-set MASE (scale: mean(abs(diff(training))))
#   backtest error = -tsCV error (tsCV gives actual - forecast)
# R's accuracy() has no sMAPE, coverage or Winkler score; those are computed
# here from their definitions on R's own intervals, as an independent check.

suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})
out_file <- file.path("test", "golden", "accuracy.json")
if (!dir.exists(dirname(out_file))) stop("Run from the repository root: Rscript test/golden/accuracy-golden.R")

smape <- function(y, f) mean(200 * abs(f - y) / (abs(y) + abs(f)))
winkler <- function(y, lo, hi, level) {
  a <- 1 - level / 100
  (hi - lo) + (2 / a) * (lo - y) * (y < lo) + (2 / a) * (y - hi) * (y > hi)
}

cases <- list(
  list(name = "hand_naive", train = c(1, 3, 2, 5, 4), test = c(6, 3), method = "naive"),
  list(name = "derbyshire_naive", train = c(719, 802, 861, 899), test = c(909, 995, 1057), method = "naive"),
  list(name = "derbyshire_drift", train = c(719, 802, 861, 899), test = c(909, 995, 1057), method = "drift"),
  list(name = "derby_sfr_drift", train = c(461, 480, 465, 445, 470), test = c(448, 448), method = "drift")
)

out_cases <- list()
for (cs in cases) {
  x <- ts(cs$train, start = 1)
  h <- length(cs$test)
  fc <- rwf(x, h = h, drift = (cs$method == "drift"), level = c(80, 95))
  acc <- accuracy(fc, cs$test)
  f <- as.numeric(fc$mean)
  lo80 <- as.numeric(fc$lower[, 1]); hi80 <- as.numeric(fc$upper[, 1])
  lo95 <- as.numeric(fc$lower[, 2]); hi95 <- as.numeric(fc$upper[, 2])
  out_cases[[cs$name]] <- list(
    train = cs$train, test = cs$test, method = cs$method,
    mean = f, lower80 = lo80, upper80 = hi80, lower95 = lo95, upper95 = hi95,
    ME = acc["Test set", "ME"], RMSE = acc["Test set", "RMSE"], MAE = acc["Test set", "MAE"],
    MAPE = acc["Test set", "MAPE"], MASE = acc["Test set", "MASE"],
    scale = mean(abs(diff(cs$train))),
    smape = smape(cs$test, f),
    coverage80 = mean(cs$test >= lo80 & cs$test <= hi80),
    coverage95 = mean(cs$test >= lo95 & cs$test <= hi95),
    winkler80 = mean(winkler(cs$test, lo80, hi80, 80)),
    winkler95 = mean(winkler(cs$test, lo95, hi95, 95))
  )
  stopifnot(abs(out_cases[[cs$name]]$MASE - out_cases[[cs$name]]$MAE / out_cases[[cs$name]]$scale) < 1e-12)
}

# tsCV: row t = origin after t observations, column h = actual[t+h] - forecast
y <- ts(c(719, 802, 861, 899, 909, 995, 1057), start = 2018)
tscv <- list(
  years = as.numeric(time(y)), values = as.numeric(y), h = 3L,
  naive = unname(tsCV(y, rwf, h = 3)),
  drift = unname(tsCV(y, rwf, drift = TRUE, h = 3))
)
# JSON null for NA
na_null <- function(m) lapply(seq_len(nrow(m)), function(i) lapply(m[i, ], function(v) if (is.na(v)) NULL else v))
tscv$naive <- na_null(tscv$naive)
tscv$drift <- na_null(tscv$drift)

meta <- list(
  r_version = R.version.string,
  forecast_version = as.character(packageVersion("forecast")),
  command = "Rscript test/golden/accuracy-golden.R",
  note = "accuracy(rwf(ts(train), h, drift), test) test-set row; tsCV(y, rwf, h = 3) errors are actual - forecast"
)
json <- toJSON(list(meta = meta, cases = out_cases, tsCV = tscv), auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null")
writeLines(json, out_file)
cat("Wrote", out_file, "\n")
