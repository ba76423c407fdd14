# Shared by the golden scripts: write JSON whose numbers are exact doubles.
#
# jsonlite's digits = NA prints only 15 significant digits, which does not
# round-trip every double. Format each double with the shortest of %.15g,
# %.16g, %.17g that parses back to the identical value, and hand it to
# jsonlite as verbatim JSON. Length-1 vectors become scalars (auto_unbox);
# NA / non-finite become null.
#
# Use (from the repository root): source(file.path("test", "golden", "exact-json.R"))

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
