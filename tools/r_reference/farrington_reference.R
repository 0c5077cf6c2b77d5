# Reference outputs of R `surveillance::farringtonFlexible` for our numpy Farrington
# (src/countybridge/surveillance/detection/farrington_glm.py). R is needed only to regenerate these files, never
# at test time.
#
# Run from the repository root:  Rscript tools/r_reference/farrington_reference.R [dataset ...]
# (Debian: apt-get install r-cran-surveillance). Writes tests/surveillance/data/<dataset>_farrington.csv.gz.
# They were made with the R and package versions in tests/surveillance/data/r_versions.txt (written by
# detection_reference.R); the script warns when run with others.
#
# Each CSV is long over series and wide over methods:
#   series, period (1-based index in the data set), observed, then <method>_upperbound and <method>_alarm.
# Empty cells are R's NA: periods outside the default range (freq * b + w + 1 … n), periods where fewer than
# 5 cases were reported in the last 4 weeks (limit54, R leaves the bound NA), or a GLM that did not converge.
# Numbers are written with 17 significant digits so that they round-trip to the same double.
#
# Every series is run as a univariate sts with epoch = 1 … n (epochAsDate = FALSE): reference weeks are
# k − 52·i, as our period-index implementation does (the existing EARS/CUSUM references do the same).
#
# Methods (farringtonFlexible with fitFun = "algo.farrington.fitGLM.flexible", reweight = TRUE,
# trend = TRUE, pThresholdTrend = 0.05, limit54 = c(5, 4), powertrans = "2/3", populationOffset = FALSE):
#   improved         Noufaily et al. (2013): b = 4, w = 3, noPeriods = 10, pastWeeksNotIncluded = 26,
#                    weightsThreshold = 2.58, thresholdMethod = "nbPlugin", alpha = 0.05
#   improved_a01     the same with alpha = 0.01
#   classic          Farrington et al. (1996) as farringtonFlexible runs it: b = 5, w = 3, noPeriods = 1,
#                    pastWeeksNotIncluded = 3 (= w), weightsThreshold = 1, thresholdMethod = "delta",
#                    alpha = 0.05
suppressMessages(library(surveillance))

out_dir <- file.path("tests", "surveillance", "data")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", as.numeric(x)))
fmt_alarm <- function(x) ifelse(is.na(x), "", ifelse(x, "1", "0"))

# farringtonFlexible returns sts[range, ] without recording the range: put it back on the full period axis.
full <- function(res, range, n, slot) {
  v <- rep(NA_real_, n)
  v[range] <- as.numeric(slot(res, slot)[, 1])
  v
}

common <- list(reweight = TRUE, trend = TRUE, pThresholdTrend = 0.05, limit54 = c(5, 4),
               powertrans = "2/3", populationOffset = FALSE, glmWarnings = FALSE,
               fitFun = "algo.farrington.fitGLM.flexible")
improved <- modifyList(common, list(b = 4, w = 3, noPeriods = 10, pastWeeksNotIncluded = 26,
                                    weightsThreshold = 2.58, thresholdMethod = "nbPlugin", alpha = 0.05))
methods <- list(
  improved = improved,
  improved_a01 = modifyList(improved, list(alpha = 0.01)),
  classic = modifyList(common, list(b = 5, w = 3, noPeriods = 1, pastWeeksNotIncluded = 3,
                                    weightsThreshold = 1, thresholdMethod = "delta", alpha = 0.05))
)

reference <- function(name, observed) {
  n <- nrow(observed)
  series <- gsub("[^A-Za-z0-9]+", "_", colnames(observed))
  rows <- list()
  for (j in seq_along(series)) {
    s <- sts(observed = matrix(observed[, j], ncol = 1), frequency = 52)
    cols <- list(series = rep(series[j], n), period = seq_len(n), observed = fmt(observed[, j]))
    for (m in names(methods)) {
      control <- methods[[m]]
      control$range <- (52 * control$b + control$w + 1):n  # farringtonFlexible's default range
      res <- farringtonFlexible(s, control = control)
      cols[[paste0(m, "_upperbound")]] <- fmt(full(res, control$range, n, "upperbound"))
      cols[[paste0(m, "_alarm")]] <- fmt_alarm(as.logical(full(res, control$range, n, "alarm")))
    }
    rows[[j]] <- as.data.frame(cols, stringsAsFactors = FALSE)
  }
  table <- do.call(rbind, rows)
  con <- gzfile(file.path(out_dir, paste0(name, "_farrington.csv.gz")), "w")
  write.csv(table, con, row.names = FALSE, quote = FALSE)
  close(con)
}

# Data sets to run: all by default, or those named on the command line (to run them in parallel).
wanted <- commandArgs(trailingOnly = TRUE)
run <- function(name) length(wanted) == 0 || name %in% wanted

if (run("salmNewport")) {
  data(salmNewport)
  reference("salmNewport", cbind(observed(salmNewport), total = rowSums(observed(salmNewport))))
}
if (run("ha")) {
  data(ha.sts)
  reference("ha", cbind(observed(ha.sts), total = rowSums(observed(ha.sts))))
}
if (run("momo")) {
  data(momo)  # Danish all-cause mortality by age group: large counts (three groups, the first 420 weeks)
  reference("momo", observed(momo)[1:420, c(2, 5, 8)])
}
if (run("fluBYBW")) {
  data(fluBYBW)  # influenza in districts of Bavaria and Baden-Wuerttemberg: mostly zero weeks
  reference("fluBYBW", observed(fluBYBW)[, 1:10])
}

# The outputs were made with the R and package versions recorded in r_versions.txt (written by
# detection_reference.R); say so if this run used others.
versions <- c(R.version.string, paste("surveillance", packageVersion("surveillance")))
recorded <- readLines(file.path(out_dir, "r_versions.txt"))
if (!identical(versions, recorded)) {
  warning("R/surveillance versions differ from r_versions.txt: ", paste(versions, collapse = "; "))
}
