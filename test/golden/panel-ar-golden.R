# Golden values for panelAR, the pooled dynamic regression on log growths
# (docs/preregistration/issue-12-global-models.md): a small deterministic
# panel, the regression rows built here from the rule's text, and R's lm().
#
# Run from the repository root:
#   Rscript test/golden/panel-ar-golden.R
# Writes test/golden/panel-ar.json.
source(file.path("test", "golden", "common.R"))

years <- 2011:2024
panel <- list()
for (i in 1:12) {
  first <- 2011 + (i %% 3)                       # series start in 2011, 2012 or 2013
  yrs <- first:2024
  v <- round(50 * i * exp(0.02 * i * (yrs - 2011) / 3 + 0.08 * sin(1.7 * i + 0.9 * yrs)))
  v[yrs == 2018] <- NA                           # not published, as in the DfE LA files
  panel[[sprintf("s%02d", i)]] <- list(years = yrs, values = v)
}
# a series with a zero early on: its log growths start after the zero
panel$early0 <- list(years = years, values = c(3, 0, 0, 2, 4, 5, 7, NA, 9, 8, 11, 12, 14, 15))
# a series with a zero among its last 6 years: not eligible, no rows
panel$late0 <- list(years = years, values = c(9, 8, 7, 9, 10, 12, 11, NA, 10, 0, 6, 7, 8, 9))

rows <- NULL
for (k in names(panel)) {
  s <- panel[[k]]
  # gaps filled by straight-line interpolation between the neighbouring years
  used <- approx(s$years[!is.na(s$values)], s$values[!is.na(s$values)], xout = s$years)$y
  n <- length(used)
  last6 <- used[max(1, n - 5):n]
  if (n < 2 || any(last6 < 1)) next            # not eligible
  start <- n
  while (start > 1 && used[start - 1] >= 1) start <- start - 1
  d <- diff(log(used[start:n]))                 # d[j]: growth into the (j+1)-th value of the run
  if (length(d) < 3) next
  for (j in 3:length(d)) {
    rows <- rbind(rows, data.frame(series = k, year = s$years[start + j], d = d[j], d1 = d[j - 1], d2 = d[j - 2], m = mean(d[1:(j - 1)])))
  }
}
full <- lm(d ~ d1 + d2 + m, data = rows)
nom <- lm(d ~ d1 + d2, data = rows)
out <- list(
  meta = list(
    r_version = R.version.string,
    command = "Rscript test/golden/panel-ar-golden.R",
    origin = 2024,
    notes = c("rows: every eligible series (every value of its last 6 years at least 1), every t whose two lagged growths exist, m = mean of the growths up to t-1, growths starting after the last value below 1; 2018 filled by straight-line interpolation",
              "coefficients from lm(d ~ d1 + d2 + m) and lm(d ~ d1 + d2); sigma from sigma(fit)")
  ),
  panel = lapply(panel, function(s) list(years = s$years, values = lapply(s$values, function(v) if (is.na(v)) NULL else v))),
  rows = nrow(rows),
  rowSeries = as.list(table(rows$series)),
  full = list(intercept = unname(coef(full)[1]), b1 = unname(coef(full)["d1"]), b2 = unname(coef(full)["d2"]), c = unname(coef(full)["m"]), sigma = sigma(full)),
  noSeriesEffect = list(intercept = unname(coef(nom)[1]), b1 = unname(coef(nom)["d1"]), b2 = unname(coef(nom)["d2"]), sigma = sigma(nom))
)
write_exact_json(out, file.path("test", "golden", "panel-ar.json"))
cat("Wrote test/golden/panel-ar.json:", nrow(rows), "rows\n")
