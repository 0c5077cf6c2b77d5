# Time R `surveillance::farringtonFlexible` on given weekly series, for bench/bench_detection.py (which
# runs this when Rscript is installed). Usage:
#   Rscript tools/r_reference/time_farrington.R <counts.csv> <evaluated_weeks>
# counts.csv: one column per series, one row per week, with a header. Each series is run the way R is
# used (one univariate sts per call, as a loop over counties × diseases would) over its last
# <evaluated_weeks> weeks, with the settings of tools/r_reference/farrington_reference.R.
# Prints one line per method: "<method> <elapsed seconds> <cpu seconds>" for all the series.
suppressMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
counts <- as.matrix(read.csv(args[1], check.names = FALSE))
n_weeks <- nrow(counts)
range <- (n_weeks - as.integer(args[2]) + 1):n_weeks
common <- list(range = range, reweight = TRUE, trend = TRUE, pThresholdTrend = 0.05, limit54 = c(5, 4),
               powertrans = "2/3", populationOffset = FALSE, glmWarnings = FALSE,
               fitFun = "algo.farrington.fitGLM.flexible")
runs <- list(
  "farrington-flexible" = modifyList(common, list(b = 4, w = 3, noPeriods = 10, pastWeeksNotIncluded = 26,
                                                  weightsThreshold = 2.58, thresholdMethod = "nbPlugin",
                                                  alpha = 0.05)),
  "farrington" = modifyList(common, list(b = 5, w = 3, noPeriods = 1, pastWeeksNotIncluded = 3,
                                         weightsThreshold = 1, thresholdMethod = "delta", alpha = 0.05))
)
series <- lapply(seq_len(ncol(counts)), function(j) sts(observed = counts[, j, drop = FALSE], frequency = 52))
for (name in names(runs)) {
  # try(): should farringtonFlexible stop on a degenerate baseline (its code cannot handle a NaN trend
  # p-value), that series counts with the time it took up to the error
  t <- system.time(for (s in series) try(farringtonFlexible(s, control = runs[[name]]), silent = TRUE))
  cat(name, t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], "\n")
}
