# Time R `surveillance` on a batch of weekly series, for bench/bench_detection.py (which runs this when Rscript
# is installed). Usage: Rscript tools/r_reference/time_detection.R <n_series> <n_weeks>
# Prints one line per method: "<method> <seconds>" for all n_series series, each run the way R is used
# (one univariate sts per call, as a loop over counties × diseases would).
suppressMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
n_series <- as.integer(args[1])
n_weeks <- as.integer(args[2])
set.seed(2026)
means <- rgamma(n_series, shape = 0.6, scale = 3)
series <- lapply(means, function(m) sts(observed = matrix(rpois(n_weeks, m), ncol = 1), frequency = 52))
runs <- list(
  "ears-c1" = function(s) earsC(s, control = list(method = "C1", alpha = 0.001)),
  "ears-c2" = function(s) earsC(s, control = list(method = "C2", alpha = 0.001)),
  "ears-c3" = function(s) earsC(s, control = list(method = "C3", alpha = 0.001)),
  "cusum-rossi" = function(s) cusum(s, control = list(range = 53:n_weeks, trans = "rossi"))
)
for (name in names(runs)) {
  seconds <- system.time(for (s in series) runs[[name]](s))[["elapsed"]]
  cat(name, seconds, "\n")
}
