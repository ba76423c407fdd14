# The MinT shrinkage covariance estimator shared by the golden scripts
# (mint-golden.R, mint-panel-golden.R): the body of hts:::shrink.estim
# (hts 6.0) / fable's min_trace(method = "mint_shrink"), copied here because
# neither package is installed on this machine. Plain R matrix algebra.
#
# Sourced from the repository root: source("test/golden/mint-shrink.R")

shrink.estim <- function(x) {
  n <- nrow(x)
  covm <- crossprod(x) / n
  tar <- diag(diag(covm))
  corm <- cov2cor(covm)
  xs <- scale(x, center = FALSE, scale = sqrt(diag(covm)))
  v <- (1 / (n * (n - 1))) * (crossprod(xs^2) - 1 / n * (crossprod(xs))^2)
  diag(v) <- 0
  corapn <- cov2cor(tar)
  d <- (corm - corapn)^2
  lambda <- sum(v) / sum(d)
  lambda <- max(min(lambda, 1), 0)
  list(W = lambda * tar + (1 - lambda) * covm, lambda = lambda, sample = covm)
}
