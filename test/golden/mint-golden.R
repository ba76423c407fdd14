# Golden values for carecast's MinT reconciliation (src/system/reconcile/hierarchy.ts).
#
# Plain R matrix algebra, no packages beyond jsonlite: the shrinkage estimator
# (test/golden/mint-shrink.R) is the body of hts:::shrink.estim (hts 6.0) / fable's
# min_trace(method = "mint_shrink"), copied here because neither package is
# installed on this machine. Run from the repository root:
#
#   Rscript test/golden/mint-golden.R
#
# It writes test/golden/mint.json.
suppressPackageStartupMessages(library(jsonlite))

source("test/golden/mint-shrink.R")

smat <- function(k) rbind(rep(1, k), diag(k))

mint <- function(S, W, yhat) {
  R <- t(S) %*% solve(W)
  G <- solve(R %*% S) %*% R
  list(G = G, rec = S %*% G %*% yhat)
}

cases <- list()

# Case 1: Derbyshire placement groups (DfE SFR, 31 March 2011-2017), first
# differences (the one-step residuals of naive models) of the total and of
# fostering, adoption, residential and other+parents; 2014 other = 22 (total
# minus the other groups), 2015 parents + other = 51.
total <- c(660, 700, 664, 628, 603, 585, 630)
fost <- c(484, 510, 482, 446, 448, 420, 467)
adopt <- c(36, 47, 52, 59, 39, 34, 27)
resid <- c(79, 75, 66, 91, 65, 97, 90)
rest <- total - fost - adopt - resid
Y <- cbind(total, fost, adopt, resid, rest)
res1 <- apply(Y, 2, diff)
base1 <- c(641, 470, 30, 95, 40)   # deliberately incoherent: groups sum to 635
sh1 <- shrink.estim(res1)
S1 <- smat(4)
m1 <- mint(S1, sh1$W, base1)
ols1 <- mint(S1, diag(5), base1)
wls1 <- mint(S1, diag(diag(sh1$sample)), base1)
cases[[1]] <- list(
  name = "derbyshire-placement-differences",
  groups = c("fostering", "adoption", "residential", "other"),
  residuals = unname(res1),
  base = base1,
  lambda = sh1$lambda,
  W = unname(sh1$W),
  G = unname(m1$G),
  mint_shrink = as.vector(m1$rec),
  ols = as.vector(ols1$rec),
  wls = as.vector(wls1$rec)
)

# Case 2: a fixed 3-group residual matrix with strong correlations (12 rows).
res2 <- matrix(c(
   5.1,  3.0,  1.2,  0.8,
  -2.3, -1.1, -0.9, -0.2,
   7.4,  4.4,  2.1,  1.0,
  -6.0, -3.9, -1.0, -1.3,
   1.2,  0.3,  0.6,  0.2,
   3.3,  2.5,  0.1,  0.9,
  -4.8, -2.2, -2.0, -0.4,
   0.5,  0.9, -0.6,  0.1,
   2.2,  1.0,  1.1,  0.3,
  -1.9, -1.5,  0.2, -0.5,
   6.1,  3.1,  2.2,  0.7,
  -3.7, -2.6, -0.4, -0.8), ncol = 4, byrow = TRUE)
base2 <- c(1200, 700, 300, 180)
sh2 <- shrink.estim(res2)
m2 <- mint(smat(3), sh2$W, base2)
cases[[2]] <- list(
  name = "correlated-12x4",
  groups = c("a", "b", "c"),
  residuals = unname(res2),
  base = base2,
  lambda = sh2$lambda,
  W = unname(sh2$W),
  G = unname(m2$G),
  mint_shrink = as.vector(m2$rec),
  ols = as.vector(mint(smat(3), diag(4), base2)$rec),
  wls = as.vector(mint(smat(3), diag(diag(sh2$sample)), base2)$rec)
)

out <- list(
  meta = list(
    r_version = R.version.string,
    jsonlite_version = as.character(packageVersion("jsonlite")),
    date = as.character(Sys.Date()),
    command = "Rscript test/golden/mint-golden.R",
    notes = c(
      "Node order: total, then the groups. residuals: rows = time, columns = nodes.",
      "shrink.estim is hts:::shrink.estim / fable mint_shrink: W = lambda diag(S) + (1 - lambda) S, S = crossprod(res)/n.",
      "G = (S' W^-1 S)^-1 S' W^-1; reconciled = S G base (total first)."
    )
  ),
  cases = cases
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/golden/mint.json")
cat("Wrote test/golden/mint.json with", length(cases), "cases\n")
