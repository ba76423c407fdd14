# Golden reference values for carecast's `theta` method, from R's
# forecast::thetaf (the Theta method of Assimakopoulos & Nikolopoulos, as
# Hyndman & Billah 2003 showed it: simple exponential smoothing plus half the
# least-squares slope as drift).
#
# Run from the repository root:
#   Rscript test/golden/theta-golden.R
# Writes test/golden/theta.json (overwrites it).
#
# Needs: R with packages forecast and jsonlite
#   (Debian: apt-get install -y r-base-core r-cran-forecast r-cran-jsonlite)
#
# Besides recording R's outputs, the script re-derives them from the formulas
# in test/golden/README.md ("Theta method") and stops if any disagree: the
# forecast formula from the stored parameters, and a full independent re-fit
# of ets(y, "ANN", opt.crit = "mse") in pure R (start values, bounds, the
# running-mean MSE objective, optim's Nelder-Mead with maxit = 2000) that must
# reproduce R's parameters and its Nelder-Mead function count.

suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

out_file <- file.path("test", "golden", "theta.json")
if (!dir.exists(dirname(out_file))) {
  stop("Run from the repository root: Rscript test/golden/theta-golden.R")
}

H <- 10L
LEVELS <- c(80, 95)
DATA_DIR <- Sys.getenv("CARECAST_DFE_DIR", file.path("test", "fixtures", "dfe"))  # the DfE folder (raw files or the fixtures cut from them)

# ---------------------------------------------------------------------------
# Series (readers in common.R)
# ---------------------------------------------------------------------------

source(file.path("test", "golden", "common.R"))

sfr_source <- function(code, name) {
  sprintf("sfr_la_cla_2011_2017/la_cla_31_march_YYYY.csv: row geog_c=%s (%s), column CLA_MarYYYY", code, name)
}
national_source <- function(pc, years) {
  sprintf("cla_time_series_1994_2024.csv: geographic_level=National, country_name=England, population_count='%s', column 'number', %d-%d",
          pc, min(years), max(years))
}

derbyshire_given <- c(719, 802, 861, 899, 909, 995, 1057)   # 2018-2024
derbyshire_sfr <- read_sfr("830", "Derbyshire")              # 2011-2017
derbyshire_all <- c(derbyshire_sfr$values, derbyshire_given)  # 2011-2024
stopifnot(identical(derbyshire_sfr$values, c(660, 700, 664, 628, 603, 585, 630)))

series_defs <- list(
  derbyshire_cic = list(years = 2018:2024, values = derbyshire_given,
                        source = "Derbyshire children in care 2018-2024, as given in the task brief"),
  derbyshire_2011_2018 = list(years = 2011:2018, values = derbyshire_all[1:8],
                              source = paste0(sfr_source("830", "Derbyshire"), "; 2018 = 719 as given")),
  derbyshire_2011_2020 = list(years = 2011:2020, values = derbyshire_all[1:10],
                              source = paste0(sfr_source("830", "Derbyshire"), "; 2018-2020 as given")),
  derbyshire_2011_2024 = list(years = 2011:2024, values = derbyshire_all,
                              source = paste0(sfr_source("830", "Derbyshire"), "; 2018-2024 as given")),
  derby_sfr = c(read_sfr("831", "Derby"), source = sfr_source("831", "Derby")),
  birmingham_sfr = c(read_sfr("330", "Birmingham"), source = sfr_source("330", "Birmingham")),
  kent_sfr = c(read_sfr("886", "Kent"), source = sfr_source("886", "Kent")),
  leicester_sfr = c(read_sfr("856", "Leicester"), source = sfr_source("856", "Leicester")),
  rutland_sfr = c(read_sfr("857", "Rutland"), source = sfr_source("857", "Rutland")),
  cornwall_sfr = c(read_sfr("908", "Cornwall"), source = sfr_source("908", "Cornwall")),
  england_cla = c(read_national("Children looked after at 31 March", 1994:2021),
                  source = national_source("Children looked after at 31 March", 1994:2021)),
  england_started = c(read_national("Children starting to be looked after during the year", 1994:2021),
                      source = national_source("Children starting to be looked after during the year", 1994:2021)),
  england_adopted = c(read_national("Children looked after who were adopted during the year", 1994:2021),
                      source = national_source("Children looked after who were adopted during the year", 1994:2021)),
  england_uasc = c(read_national("Children looked after at 31 March who were unaccompanied asylum-seeking children", 2004:2021),
                   source = national_source("Children looked after at 31 March who were unaccompanied asylum-seeking children", 2004:2021)),
  declining = list(years = 2012:2021,
                   values = c(120, 115, 111, 104, 100, 97, 91, 88, 86, 80),
                   source = "synthetic declining series (as in baseline.json)"),
  flat_noise = list(years = 2013:2021,
                    values = c(100, 104, 97, 103, 98, 102, 99, 101, 100),
                    source = "synthetic level series with alternating noise")
)

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

capture <- function(expr) {
  warns <- character(0)
  val <- withCallingHandlers(expr, warning = function(w) {
    warns <<- c(warns, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = val, warnings = warns)
}
num <- function(x) unname(as.numeric(x))

# ETS(A,N,N) filter exactly as forecast's C code (etscalc / update) runs it:
# f = l; e = y - f; l = q + alpha * (y - q) with q = l; amse[0] as a running mean.
ann_filter <- function(y, alpha, l0) {
  n <- length(y)
  l <- l0
  e <- fits <- numeric(n)
  sse <- 0; amse1 <- 0
  for (i in seq_len(n)) {
    q <- l
    fits[i] <- q
    e[i] <- y[i] - q
    amse1 <- (amse1 * (i - 1) + e[i] * e[i]) / i
    l <- q + alpha * (y[i] - q)
    sse <- sse + e[i] * e[i]
  }
  list(e = e, fits = fits, l = l, sse = sse, amse1 = amse1)
}

# The objective forecast's C++ EtsTargetFunction evaluates for ETS(A,N,N)
# with opt.crit = "mse" and bounds = "both".
ann_objective <- function(p, y) {
  alpha <- p[1]
  if (alpha < 1e-04 || alpha > 0.9999) return(Inf)          # usual bounds
  if (alpha < 1 - 1 / 1 || alpha > 1 + 1 / 1) return(Inf)   # admissible (phi = 1)
  ann_filter(y, alpha, p[2])$amse1
}

ann_fit_independent <- function(y) {
  n <- length(y)
  alpha0 <- 1e-04 + 0.2 * (0.9999 - 1e-04)
  l0 <- mean(y[1:min(10, n)])
  start <- c(alpha0, l0)
  o <- optim(start, ann_objective, y = y, method = "Nelder-Mead",
             control = list(maxit = 2000, reltol = sqrt(.Machine$double.eps),
                            abstol = -Inf, alpha = 1, beta = 0.5, gamma = 2))
  r <- ann_filter(y, o$par[1], o$par[2])
  list(par = unname(o$par), start = start, value = o$value, counts = o$counts,
       sigma2 = r$sse / (n - 2), l = r$l, fits = r$fits)
}

# thetaf's forecast from the stored parameters.
theta_forecast <- function(l, alpha, drift, sigma2, n, h = H, levels = LEVELS) {
  a <- max(1e-10, alpha)
  j <- 0:(h - 1)
  mean <- l + drift * (j + (1 - (1 - a)^n) / a)
  se <- sqrt(sigma2) * sqrt(j * a^2 + 1)
  z <- qnorm(0.5 + levels / 200)
  list(mean = mean, se = se,
       lower80 = mean - z[1] * se, upper80 = mean + z[1] * se,
       lower95 = mean - z[2] * se, upper95 = mean + z[2] * se)
}

near <- function(a, b, tol = 1e-9) {
  isTRUE(all.equal(as.numeric(a), as.numeric(b), tolerance = tol))
}


# ---------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------

series_out <- list()
for (name in names(series_defs)) {
  def <- series_defs[[name]]
  y <- ts(def$values, start = def$years[1], frequency = 1)
  n <- length(y)
  stopifnot(n >= 7)
  cap <- capture(list(theta = thetaf(y, h = H, level = LEVELS), ses = ses(y, h = H, level = LEVELS)))
  th <- cap$value$theta
  model <- cap$value$ses$model      # the ets(y, "ANN", opt.crit = "mse") fit thetaf starts from
  stopifnot(inherits(model, "ets"), identical(names(model$par), c("alpha", "l")))
  lo <- as.matrix(th$lower); up <- as.matrix(th$upper)
  tmp2 <- lsfit(0:(n - 1), as.numeric(y))$coefficients[2] / 2
  e <- model$residuals
  rec <- list(
    years = def$years, values = def$values, n = n, h = H, levels = LEVELS, source = def$source,
    alpha = num(model$par["alpha"]),
    l0 = num(model$par["l"]),
    sigma2 = num(model$sigma2),
    drift = num(th$model$drift),
    last_level = num(model$states[n + 1, "l"]),
    ses_mean = num(cap$value$ses$mean),
    mean = num(th$mean),
    lower80 = num(lo[, 1]), upper80 = num(up[, 1]),
    lower95 = num(lo[, 2]), upper95 = num(up[, 2]),
    fitted = num(th$fitted),
    residuals = num(th$residuals),
    sse = sum(e^2),
    mse = num(model$mse),
    optimizer = list(value = model$fit$value, fail = model$fit$fail, fncount = model$fit$fncount),
    optimizer_start = list(alpha = 1e-04 + 0.2 * (0.9999 - 1e-04), l = mean(as.numeric(y)[1:min(10, n)])),
    method = th$method,
    call = "thetaf(y, h = 10, level = c(80, 95))"
  )
  if (length(cap$warnings)) rec$warnings <- as.list(cap$warnings)

  # --- checks: the README's formulas reproduce R's numbers ---
  f <- theta_forecast(rec$last_level, rec$alpha, rec$drift, rec$sigma2, n)
  check(paste0(name, ": thetaf = ses mean + drift term, se and bounds from the stored parameters"),
        near(f$mean, rec$mean) && near(f$lower80, rec$lower80) && near(f$upper80, rec$upper80) &&
          near(f$lower95, rec$lower95) && near(f$upper95, rec$upper95) &&
          near(rec$ses_mean, rep(rec$last_level, H)))
  check(paste0(name, ": drift = half the OLS slope on t = 0..n-1"),
        near(rec$drift, tmp2) && near(rec$drift, coef(lm(as.numeric(y) ~ seq_len(n)))[2] / 2))
  check(paste0(name, ": sigma2 = SSE / (n - 2), mse = SSE / n"),
        near(rec$sigma2, rec$sse / (n - 2)) && near(rec$mse, rec$sse / n))
  check(paste0(name, ": fitted are the SES one-step forecasts (no drift term), residuals y - fitted"),
        near(rec$fitted, as.numeric(y) - num(e)) && near(rec$residuals, num(e)))
  ind <- ann_fit_independent(as.numeric(y))
  check(paste0(name, ": independent re-fit reproduces parameters, sigma2 and the Nelder-Mead count"),
        near(ind$start, unlist(rec$optimizer_start), 1e-15) &&
          near(ind$par, c(rec$alpha, rec$l0), 1e-12) &&
          near(ind$sigma2, rec$sigma2, 1e-12) &&
          near(ind$value, rec$optimizer$value, 1e-12) &&
          near(ind$fits, rec$fitted, 1e-12) &&
          ind$counts[["function"]] == rec$optimizer$fncount)

  series_out[[name]] <- rec
}

# ---------------------------------------------------------------------------
# Write (numbers round-trip exactly; see README.md)
# ---------------------------------------------------------------------------

meta <- list(
  r_version = R.version.string,
  forecast_version = as.character(packageVersion("forecast")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  date = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
  command = "Rscript test/golden/theta-golden.R   (from the repository root)",
  horizon = H,
  levels = LEVELS,
  notes = list(
    "All numbers are exact doubles (shortest of 15/16/17 significant digits that parses back to the same value).",
    "thetaf(y) = ses(y) = forecast(ets(y, 'ANN', opt.crit = 'mse')) plus drift * ((h - 1) + (1 - (1 - alpha)^n) / alpha), drift = half the OLS slope; se_h = sqrt(sigma2) * sqrt((h - 1) * alpha^2 + 1).",
    "alpha, l0, sigma2 are those of the ets fit (sigma2 = SSE / (n - 2)); thetaf uses max(1e-10, alpha).",
    "fitted/residuals are thetaf's: the SES one-step forecasts (without the drift term) and y minus them.",
    "Every series has n >= 7: for n <= 6 ets falls back to HoltWintersZZ (L-BFGS-B), which carecast does not port.",
    "See test/golden/README.md, section 'Theta method'."
  ),
  checks_passed = names(checks)
)

write_exact_json(list(meta = meta, series = series_out), out_file)
cat("Wrote", out_file, "with", length(series_out), "series and", length(checks), "passing checks\n")
