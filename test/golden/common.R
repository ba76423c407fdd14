# Shared by the golden scripts (make-golden.R, theta-golden.R): reading the DfE
# series, recording checks that stop the script when they fail, and writing
# JSON whose numbers are exact doubles.
#
# Use (from the repository root, after setting DATA_DIR):
#   source(file.path("test", "golden", "common.R"))

# ---------------------------------------------------------------------------
# DfE series (DATA_DIR: the DfE folder, by default the fixtures cut from the
# raw files, test/fixtures/dfe: sfr_la_cla_2011_2017/ and ees_2024/)
# ---------------------------------------------------------------------------

# The national time series (the 2024 publication: 1994-2024; its 1994-2021
# figures equal the 2021 publication's, so the golden values are unchanged).
NATIONAL_FILE <- file.path("ees_2024", "cla_time_series_1994_2024.csv")

# England totals of one `population_count` row of the national time series, for `years`.
read_national <- function(population_count, years) {
  d <- read.csv(file.path(DATA_DIR, NATIONAL_FILE),
                fileEncoding = "UTF-8-BOM", stringsAsFactors = FALSE,
                check.names = FALSE)
  d <- d[d$geographic_level == "National" &
           d$country_name == "England" &
           d$population_count == population_count, ]
  d <- d[order(d$time_period), ]
  d <- d[d$time_period %in% years, ]
  stopifnot(identical(as.integer(d$time_period), as.integer(years)))
  vals <- suppressWarnings(as.numeric(d$number))
  stopifnot(all(is.finite(vals)))
  list(years = as.integer(years), values = vals)
}

# One LA's children in care at 31 March 2011-2017 from the SFR tables (row geog_c = code, checked against name).
read_sfr <- function(code, name) {
  yrs <- 2011:2017
  vals <- vapply(yrs, function(yr) {
    f <- file.path(DATA_DIR, "sfr_la_cla_2011_2017",
                   sprintf("la_cla_31_march_%d.csv", yr))
    s <- read.csv(f, stringsAsFactors = FALSE, check.names = FALSE,
                  strip.white = TRUE)
    row <- s[trimws(as.character(s$geog_c)) == code, ]
    stopifnot(nrow(row) == 1, trimws(row$geog_n) == name)
    as.numeric(row[[paste0("CLA_Mar", yr)]])
  }, numeric(1))
  stopifnot(all(is.finite(vals)))
  list(years = yrs, values = vals)
}

# ---------------------------------------------------------------------------
# Checks: each is recorded by name; a failing one stops the script
# ---------------------------------------------------------------------------

checks <- list()
check <- function(name, ok) {
  checks[[name]] <<- isTRUE(ok)
  if (!isTRUE(ok)) stop("Check failed: ", name)
  invisible(TRUE)
}

# ---------------------------------------------------------------------------
# Exact JSON
# ---------------------------------------------------------------------------

# jsonlite's digits = NA prints only 15 significant digits, which does not
# round-trip every double. Format each double with the shortest of %.15g,
# %.16g, %.17g that parses back to the identical value, and hand it to
# jsonlite as verbatim JSON. Length-1 vectors become scalars (auto_unbox);
# NA / non-finite become null.
fmt_double <- function(v) {
  vapply(v, function(x) {
    if (!is.finite(x)) return("null")
    for (d in 15:17) {
      s <- sprintf(paste0("%.", d, "g"), x)
      if (as.numeric(s) == x) return(s)
    }
    s
  }, character(1))
}
exact_numbers <- function(x) {
  if (is.list(x)) {
    nm <- names(x)
    x <- lapply(x, exact_numbers)
    names(x) <- nm
    return(x)
  }
  if (is.double(x) || is.integer(x)) {
    v <- fmt_double(as.double(x))
    txt <- if (length(v) == 1) v else paste0("[", paste(v, collapse = ", "), "]")
    return(structure(txt, class = "json"))
  }
  x
}

# Write `x` to `file` with every number exact.
write_exact_json <- function(x, file) {
  jsonlite::write_json(exact_numbers(x), file,
                       auto_unbox = TRUE, pretty = TRUE, na = "null", null = "null",
                       json_verbatim = TRUE)
}
