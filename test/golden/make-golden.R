# Golden reference values from R's forecast package for carecast's tests.
#
# Run from the repository root:
#   Rscript test/golden/make-golden.R
# Writes test/golden/baseline.json (overwrites it).
#
# Needs: R with packages forecast and jsonlite
#   (Debian: apt-get install -y r-base-core r-cran-forecast r-cran-jsonlite)
#
# Besides recording R's outputs, this script re-derives the key numbers from
# the formulas documented in test/golden/README.md and stops (stopifnot) if
# they do not match, so the README stays honest for the installed version.

suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

out_file <- file.path("test", "golden", "baseline.json")
if (!dir.exists(dirname(out_file))) {
  stop("Run from the repository root: Rscript test/golden/make-golden.R")
}

H <- 10L
LEVELS <- c(80, 95)
DATA_DIR <- Sys.getenv("CARECAST_DFE_DIR", file.path("test", "fixtures", "dfe"))  # the DfE folder (raw files or the fixtures cut from them)

# ---------------------------------------------------------------------------
# Series
# ---------------------------------------------------------------------------

source(file.path("test", "golden", "common.R"))

eng <- read_national("Children looked after at 31 March", 1994:2021)
derby <- read_sfr("831", "Derby")

series_defs <- list(
  derbyshire_cic = list(years = 2018:2024,
                        values = c(719, 802, 861, 899, 909, 995, 1057),
                        source = "given in the task brief (Derbyshire children in care, 2018-2024)"),
  england_cla = list(years = eng$years, values = eng$values,
                     source = "cla_time_series_1994_2024.csv (years 1994-2021): geographic_level=National, country_name=England, population_count='Children looked after at 31 March', column 'number'"),
  derby_sfr = list(years = derby$years, values = derby$values,
                   source = "sfr_la_cla_2011_2017/la_cla_31_march_YYYY.csv: row geog_c=831 (Derby), column CLA_MarYYYY"),
  declining = list(years = 2012:2021,
                   values = c(120, 115, 111, 104, 100, 97, 91, 88, 86, 80),
                   source = "synthetic declining series")
)

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

# Evaluate expr, collecting warnings; errors become list(error = message).
capture <- function(expr) {
  warns <- character(0)
  val <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(list(message = conditionMessage(e)),
                                                  class = "captured_error")),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(value = val, warnings = warns)
}
is_err <- function(x) inherits(x, "captured_error")

num <- function(x) if (is.null(x)) NA_real_ else unname(as.numeric(x))

named_list <- function(x) {
  if (is.null(x)) return(NULL)
  as.list(setNames(as.numeric(x), names(x)))
}

# mean/lower/upper from a forecast object, column chosen by level.
fc_bands <- function(fc) {
  lev <- as.numeric(fc$level)
  lo <- as.matrix(fc$lower); up <- as.matrix(fc$upper)
  col <- function(l) match(l, lev)
  list(mean = num(fc$mean),
       lower80 = num(lo[, col(80)]), upper80 = num(up[, col(80)]),
       lower95 = num(lo[, col(95)]), upper95 = num(up[, col(95)]))
}

with_meta <- function(res, captured) {
  if (length(captured$warnings)) res$warnings <- as.list(captured$warnings)
  res
}

# ---------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------

do_naive <- function(y) {
  cap <- capture(rwf(y, h = H, level = LEVELS))
  if (is_err(cap$value)) return(with_meta(list(error = cap$value$message), cap))
  fc <- cap$value
  res <- fc_bands(fc)
  res$sigma <- sqrt(fc$model$sigma2)
  res$sigma2 <- fc$model$sigma2
  res$fitted <- num(fc$fitted)
  res$residuals <- num(fc$residuals)
  with_meta(res, cap)
}

do_drift <- function(y) {
  cap <- capture(rwf(y, h = H, drift = TRUE, level = LEVELS))
  if (is_err(cap$value)) return(with_meta(list(error = cap$value$message), cap))
  fc <- cap$value
  res <- fc_bands(fc)
  res$drift <- fc$model$par$drift
  res$drift_se <- fc$model$par$drift.se
  res$sigma <- sqrt(fc$model$sigma2)
  res$sigma2 <- fc$model$sigma2
  res$fitted <- num(fc$fitted)
  res$residuals <- num(fc$residuals)
  with_meta(res, cap)
}

do_linear <- function(y, lambda = NULL) {
  cap <- capture({
    fit <- if (is.null(lambda)) tslm(y ~ trend) else tslm(y ~ trend, lambda = lambda)
    list(fit = fit, fc = forecast(fit, h = H, level = LEVELS))
  })
  if (is_err(cap$value)) return(with_meta(list(error = cap$value$message), cap))
  fit <- cap$value$fit; fc <- cap$value$fc
  s <- summary(fit)
  res <- fc_bands(fc)
  co <- coef(fit)
  res$intercept <- num(co[1])
  res$slope <- num(co[2])
  res$coef_se <- list(intercept = s$coefficients[1, 2], slope = s$coefficients[2, 2])
  res$residual_sd <- s$sigma          # sqrt(RSS / (n - 2)), on the model (log) scale
  res$df_residual <- fit$df.residual
  res$r_squared <- s$r.squared
  res$fitted <- num(fitted(fit))      # back-transformed for lambda = 0
  res$residuals <- num(residuals(fit)) # model (log) scale for lambda = 0
  if (!is.null(lambda)) {
    res$lambda <- lambda
    res$biasadj <- FALSE
    res$scale_note <- "intercept/slope/coef_se/residual_sd/residuals are on the log scale; mean/lower/upper/fitted are exp() of log-scale values (mean is the median, biasadj = FALSE)"
  }
  with_meta(res, cap)
}

# Common extraction for an ets model object and its forecast.
ets_record <- function(model, fc) {
  res <- fc_bands(fc)
  res$method <- model$method
  res$components <- as.list(model$components)
  res$damped_used <- as.logical(model$components[4])
  par <- model$par
  res$alpha <- num(par["alpha"])
  res$beta <- num(par["beta"])
  res$phi <- if (!is.na(par["phi"])) num(par["phi"]) else NA_real_
  res$l0 <- num(model$initstate["l"])
  res$b0 <- num(model$initstate["b"])
  res$par <- named_list(par)
  res$sigma2 <- model$sigma2
  res$loglik <- num(model[["loglik"]])
  res$aic <- num(model[["aic"]])
  res$aicc <- num(model[["aicc"]])
  res$bic <- num(model[["bic"]])
  res$mse <- num(model[["mse"]])
  res$amse <- num(model[["amse"]])
  res$sse <- sum(model$residuals^2)
  res$last_state <- named_list(model$states[nrow(model$states), ])
  res$fitted <- num(model$fitted)
  res$residuals <- num(model$residuals)
  # Forecast variance from forecast:::class1 (the analytic route used for ETS(A,*,N)).
  f1 <- forecast:::class1(H, model$states[length(model$x) + 1, ], model$components[2],
                          model$components[3], as.logical(model$components[4]),
                          model$m, model$sigma2, model$par)
  res$forecast_variance <- num(f1$var)
  opt <- model[["fit"]]   # [[ ]]: `$fit` would partially match `fitted`
  if (!is.null(opt)) {
    res$optimizer <- list(value = opt$value, fail = opt$fail, fncount = opt$fncount)
  }
  if (!is.null(model[["SSE"]])) {
    res$fallback <- "HoltWintersZZ (series too short for ETS estimation: n <= npars + 4)"
  }
  res
}

# Starting values that etsmodel() hands to Nelder-Mead (for debugging ports).
ets_start <- function(y) {
  lower <- c(rep(1e-04, 3), 0.8); upper <- c(rep(0.9999, 3), 0.98)
  p <- forecast:::initparam(NULL, NULL, NULL, NULL, "A", "N", TRUE, lower, upper, 1, "both")
  s <- forecast:::initstate(y, "A", "N")
  named_list(c(p, s))
}

do_holt_damped <- function(y) {
  cap <- capture(holt(y, h = H, damped = TRUE, level = LEVELS))
  if (is_err(cap$value)) return(with_meta(list(error = cap$value$message), cap))
  fc <- cap$value
  res <- ets_record(fc$model, fc)
  res$call <- "holt(y, h=10, damped=TRUE, level=c(80,95))  # = ets(y, 'AAN', damped=TRUE, opt.crit='mse')"
  if (is.null(res$fallback)) res$optimizer_start <- ets_start(y)
  with_meta(res, cap)
}

do_ets_damped <- function(y) {
  cap <- capture({
    m <- ets(y, model = "AAN", damped = TRUE)
    list(model = m, fc = forecast(m, h = H, level = LEVELS))
  })
  if (is_err(cap$value)) return(with_meta(list(error = cap$value$message), cap))
  res <- ets_record(cap$value$model, cap$value$fc)
  res$call <- "ets(y, model='AAN', damped=TRUE); forecast(fit, h=10, level=c(80,95))"
  if (is.null(res$fallback)) res$optimizer_start <- ets_start(y)
  with_meta(res, cap)
}

# ---------------------------------------------------------------------------
# Independent re-derivations (the README's formulas), used as checks
# ---------------------------------------------------------------------------

# ETS(A,Ad,N) filter exactly as forecast's C code (etscalc) does it.
aadn_filter <- function(y, alpha, beta, phi, l0, b0) {
  n <- length(y)
  l <- l0; b <- b0
  e <- fits <- numeric(n)
  sse <- 0; amse1 <- 0
  for (i in seq_len(n)) {
    oldl <- l; oldb <- b
    f <- oldl + phi * oldb            # one-step forecast
    fits[i] <- f
    e[i] <- y[i] - f
    amse1 <- (amse1 * (i - 1) + e[i] * e[i]) / i   # running mean, as in C
    phib <- phi * oldb
    q <- oldl + phib
    l <- q + alpha * (y[i] - q)
    r <- l - oldl
    b <- phib + (beta / alpha) * (r - phib)
    sse <- sse + e[i] * e[i]
  }
  list(e = e, fits = fits, l = l, b = b, sse = sse, lik = n * log(sse), amse1 = amse1)
}

# Objective that forecast's C++ EtsTargetFunction evaluates for ETS(A,Ad,N)
# with the default bounds = "both".
aadn_objective <- function(p, y, opt.crit) {
  alpha <- p[1]; beta <- p[2]; phi <- p[3]
  lower <- c(1e-04, 1e-04, 1e-04, 0.8); upper <- c(0.9999, 0.9999, 0.9999, 0.98)
  # "usual" bounds
  if (alpha < lower[1] || alpha > upper[1]) return(Inf)
  if (beta < lower[2] || beta > alpha || beta > upper[2]) return(Inf)
  if (phi < lower[4] || phi > upper[4]) return(Inf)
  # "admissible" bounds (non-seasonal)
  if (phi < 0 || phi > 1 + 1e-8) return(Inf)
  if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return(Inf)
  if (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha)) return(Inf)
  r <- aadn_filter(y, alpha, beta, phi, p[4], p[5])
  lik <- r$lik
  if (lik < -1e10) lik <- -1e10
  if (is.nan(lik)) lik <- Inf
  if (opt.crit == "lik") lik else r$amse1
}

aadn_fit_independent <- function(y, opt.crit) {
  n <- length(y)
  alpha0 <- 1e-04 + 0.2 * (0.9999 - 1e-04)
  beta0 <- 1e-04 + 0.1 * (min(0.9999, alpha0) - 1e-04)
  phi0 <- 0.8 + 0.99 * (0.98 - 0.8)
  maxn <- min(10, n)
  ls <- lsfit(1:maxn, as.numeric(y)[1:maxn])$coefficients
  start <- c(alpha0, beta0, phi0, ls[1], ls[2])
  o <- optim(start, aadn_objective, y = as.numeric(y), opt.crit = opt.crit,
             method = "Nelder-Mead",
             control = list(maxit = 2000, reltol = sqrt(.Machine$double.eps),
                            abstol = -Inf, alpha = 1, beta = 0.5, gamma = 2))
  p <- o$par
  r <- aadn_filter(as.numeric(y), p[1], p[2], p[3], p[4], p[5])
  np <- 6  # alpha, beta, phi, l0, b0 + sigma
  list(par = unname(p), start = unname(start), value = o$value, counts = o$counts,
       sigma2 = r$sse / (n - 5), loglik = -0.5 * r$lik,
       aic = r$lik + 2 * np, aicc = r$lik + 2 * np + 2 * np * (np + 1) / (n - np - 1),
       bic = r$lik + log(n) * np, l = r$l, b = r$b, fits = r$fits)
}

# Forecast mean and variance for ETS(A,Ad,N) (class 1, Hyndman et al. 2008).
aadn_forecast <- function(l, b, alpha, beta, phi, sigma2, h, levels = LEVELS) {
  j <- seq_len(h)
  phisum <- cumsum(phi^j)                    # phi + phi^2 + ... + phi^j
  mean <- l + phisum * b
  cj <- alpha + beta * phisum                # c_j, j = 1..h-1 used
  v <- sigma2 * c(1, 1 + cumsum(cj[seq_len(h - 1)]^2))[j]
  z <- qnorm(0.5 + levels / 200)
  list(mean = mean, var = v,
       lower80 = mean - z[1] * sqrt(v), upper80 = mean + z[1] * sqrt(v),
       lower95 = mean - z[2] * sqrt(v), upper95 = mean + z[2] * sqrt(v))
}

near <- function(a, b, tol = 1e-9) {
  isTRUE(all.equal(as.numeric(a), as.numeric(b), tolerance = tol, scale = NULL)) ||
    isTRUE(all.equal(as.numeric(a), as.numeric(b), tolerance = tol))
}


# ---------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------

series_out <- list()
for (name in names(series_defs)) {
  def <- series_defs[[name]]
  y <- ts(def$values, start = def$years[1], frequency = 1)
  stopifnot(identical(as.integer(round(time(y))), as.integer(def$years)))
  methods <- list(
    naive = do_naive(y),
    drift = do_drift(y),
    linear = do_linear(y),
    loglinear = do_linear(y, lambda = 0),
    dampedTrend = list(
      holt = do_holt_damped(y),
      ets = do_ets_damped(y)
    )
  )
  series_out[[name]] <- list(years = def$years, values = def$values,
                             n = length(def$values), h = H, levels = LEVELS,
                             source = def$source, methods = methods)
}

# ---------------------------------------------------------------------------
# Checks: README formulas reproduce R's numbers
# ---------------------------------------------------------------------------

z <- qnorm(0.5 + LEVELS / 200)

for (name in names(series_out)) {
  s <- series_out[[name]]
  y <- s$values; n <- length(y); h <- seq_len(H)
  m <- s$methods

  # naive: sigma2 = mean of squared one-step differences, se_h = sigma*sqrt(h)
  d <- diff(y)
  sig2 <- sum(d^2) / (n - 1)
  check(paste0(name, ": naive interval"),
        near(m$naive$mean, rep(y[n], H)) &&
          near(m$naive$upper95, y[n] + z[2] * sqrt(sig2 * h)) &&
          near(m$naive$lower80, y[n] - z[1] * sqrt(sig2 * h)))

  # drift: b = mean(diff), se(b) = sd(diff)/sqrt(n-1), sigma2 = var(diff),
  # se_h = sqrt(sigma2*h + (h*se(b))^2)
  b <- mean(d); bse <- sd(d) / sqrt(n - 1)
  se <- sqrt(var(d) * h + (h * bse)^2)
  check(paste0(name, ": drift interval"),
        near(m$drift$drift, b) && near(m$drift$drift_se, bse) &&
          near(m$drift$sigma2, var(d)) &&
          near(m$drift$mean, y[n] + h * b) &&
          near(m$drift$upper95, y[n] + h * b + z[2] * se) &&
          near(m$drift$lower80, y[n] + h * b - z[1] * se))

  # linear / loglinear: OLS on t = 1..n, prediction interval with t(n-2) quantile
  for (meth in c("linear", "loglinear")) {
    yy <- if (meth == "linear") y else log(y)
    t <- seq_len(n); tbar <- mean(t)
    sxx <- sum((t - tbar)^2)
    slope <- sum((t - tbar) * (yy - mean(yy))) / sxx
    icpt <- mean(yy) - slope * tbar
    s2 <- sum((yy - icpt - slope * t)^2) / (n - 2)
    tn <- n + h
    pm <- icpt + slope * tn
    pse <- sqrt(s2 * (1 + 1 / n + (tn - tbar)^2 / sxx))
    q <- qt(0.5 + LEVELS / 200, df = n - 2)
    tr <- if (meth == "linear") identity else exp
    r <- m[[meth]]
    check(paste0(name, ": ", meth, " interval"),
          near(r$slope, slope) && near(r$intercept, icpt) &&
            near(r$residual_sd, sqrt(s2)) &&
            near(r$mean, tr(pm)) &&
            near(r$upper95, tr(pm + q[2] * pse)) &&
            near(r$lower80, tr(pm - q[1] * pse)))
  }

  # Damped trend: interval formula from the stored parameters / final state.
  for (which in c("holt", "ets")) {
    r <- m$dampedTrend[[which]]
    if (!is.null(r$error)) next
    phi <- if (isTRUE(r$damped_used)) r$phi else 1
    f <- aadn_forecast(r$last_state$l, r$last_state$b, r$alpha, r$beta, phi,
                       r$sigma2, H)
    check(paste0(name, ": ", which, " interval from stored parameters"),
          near(f$mean, r$mean) && near(f$var, r$forecast_variance) &&
            near(f$lower80, r$lower80) && near(f$upper80, r$upper80) &&
            near(f$lower95, r$lower95) && near(f$upper95, r$upper95))
    if (is.null(r$fallback)) {
      # sigma2 = SSE / (n - 5); loglik = -0.5 * n * log(SSE); AIC = n*log(SSE) + 2*6
      check(paste0(name, ": ", which, " sigma2/loglik/aic"),
            near(r$sigma2, r$sse / (n - 5)) &&
              near(r$loglik, -0.5 * n * log(r$sse)) &&
              near(r$aic, n * log(r$sse) + 12) &&
              near(r$aicc, n * log(r$sse) + 12 + 2 * 6 * 7 / (n - 7)))
      # Full independent re-fit (start values, filter, bounds, Nelder-Mead).
      crit <- if (which == "holt") "mse" else "lik"
      ind <- aadn_fit_independent(y, crit)
      check(paste0(name, ": ", which, " independent re-fit reproduces parameters"),
            near(ind$start, unlist(r$optimizer_start), 1e-12) &&
              near(ind$par, unlist(r$par[c("alpha", "beta", "phi", "l", "b")]), 1e-10) &&
              near(ind$sigma2, r$sigma2, 1e-10) && near(ind$aic, r$aic, 1e-10) &&
              near(ind$fits, r$fitted, 1e-10) &&
              ind$counts[["function"]] == r$optimizer$fncount)
    } else {
      # HoltWintersZZ fallback: sigma2 = mean(res^2) (denominator n), no damping,
      # l0 = y1, b0 = y2 - y1, classical Holt recursions with HW beta.
      hw <- r$alpha; hb <- r$beta
      l <- y[2 - 1]; bb <- y[2] - y[1]; fits <- numeric(n)
      for (i in seq_len(n)) {
        fits[i] <- l + bb
        lnew <- hw * y[i] + (1 - hw) * (l + bb)
        bb <- hb * (lnew - l) + (1 - hb) * bb
        l <- lnew
      }
      check(paste0(name, ": ", which, " HoltWintersZZ fallback"),
            near(r$l0, y[1]) && near(r$b0, y[2] - y[1]) &&
              near(fits, r$fitted) &&
              near(r$sigma2, mean((y - fits)^2)) &&
              near(c(r$last_state$l, r$last_state$b), c(l, bb)))
    }
  }
}

# ---------------------------------------------------------------------------
# Write
# ---------------------------------------------------------------------------

meta <- list(
  r_version = R.version.string,
  forecast_version = as.character(packageVersion("forecast")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  date = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
  command = "Rscript test/golden/make-golden.R   (from the repository root)",
  horizon = H,
  levels = LEVELS,
  notes = list(
    "All numbers are exact doubles: each is printed with the fewest of 15/16/17 significant digits that parses back to the identical IEEE value (jsonlite digits = NA alone would keep only 15).",
    "null means NA in R (e.g. phi of a model without damping).",
    "dampedTrend.holt is holt(damped=TRUE), which fits ets(y,'AAN',damped=TRUE,opt.crit='mse'); dampedTrend.ets is ets(y,'AAN',damped=TRUE) with the default opt.crit='lik'.",
    "For n <= 9 ets() cannot fit ETS(A,Ad,N) (n <= npars + 4 with npars = 5) and silently falls back to HoltWintersZZ: an UNDAMPED Holt model fitted by L-BFGS-B on the SSE, with warning 'Not enough data to use damping'. Such entries carry a 'fallback' field and damped_used = false.",
    "See test/golden/README.md for the exact algorithms."
  ),
  checks_passed = names(checks)
)

write_exact_json(list(meta = meta, series = series_out), out_file)
cat("Wrote", out_file, "with", length(checks), "passing checks\n")
