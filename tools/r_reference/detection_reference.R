# Reference outputs of R `surveillance` for our numpy detection library
# (src/countybridge/surveillance/detection/). R is needed only to regenerate these files, never at test time.
#
# Run from the repository root:  Rscript tools/r_reference/detection_reference.R
# (Debian: apt-get install r-cran-surveillance). Writes tests/surveillance/data/<dataset>.csv.gz and
# tests/surveillance/data/r_versions.txt.
#
# Each CSV is long over series and wide over methods:
#   series, period (1-based index in the data set), iso_week (ISO 8601 year-week of the period's date),
#   observed, then <method>_upperbound and <method>_alarm for every method below.
# Empty cells are R's NA: periods outside the method's range, or where R itself returns NA/NaN.
# Numbers are written with 17 significant digits so that they round-trip to the same double.
#
# Methods (all with the package defaults unless named here):
#   c1, c2, c3           earsC(method = "C1"/"C2"/"C3", baseline = 7, minSigma = 0, alpha = 0.001),
#                        default range (baseline + 1 / + 3 / + 5 up to the last period)
#   c1_ms1 .. c3_ms1     the same with minSigma = 1 (R's guard against a zero standard deviation)
#   cusum_rossi          cusum(trans = "rossi", k = 1.04, h = 2.26, m = NULL), range = 53:n, i.e.
#                        m = mean of the first 52 weeks (R's cusum has no default range)
suppressMessages(library(surveillance))

out_dir <- file.path("tests", "surveillance", "data")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", as.numeric(x)))
fmt_alarm <- function(x) ifelse(is.na(x), "", ifelse(x, "1", "0"))

# Put a method's output (an sts over a sub-range) back onto the full period axis.
full <- function(res, n, slot) {
  v <- rep(NA_real_, n)
  # sts[range, ] renumbers epochs from 1, so map back through the range the method ran on.
  v[res@control$range] <- as.numeric(slot(res, slot)[, 1])
  v
}

methods <- list(
  c1 = function(s) earsC(s, control = list(method = "C1", baseline = 7, minSigma = 0, alpha = 0.001)),
  c2 = function(s) earsC(s, control = list(method = "C2", baseline = 7, minSigma = 0, alpha = 0.001)),
  c3 = function(s) earsC(s, control = list(method = "C3", baseline = 7, minSigma = 0, alpha = 0.001)),
  c1_ms1 = function(s) earsC(s, control = list(method = "C1", baseline = 7, minSigma = 1, alpha = 0.001)),
  c2_ms1 = function(s) earsC(s, control = list(method = "C2", baseline = 7, minSigma = 1, alpha = 0.001)),
  c3_ms1 = function(s) earsC(s, control = list(method = "C3", baseline = 7, minSigma = 1, alpha = 0.001)),
  cusum_rossi = function(s) cusum(s, control = list(range = 53:nrow(s), trans = "rossi",
                                                    k = 1.04, h = 2.26, m = NULL))
)

# One univariate sts per series; epoch = 1..n so that results map back by index.
one_series <- function(counts, freq) sts(observed = matrix(counts, ncol = 1), frequency = freq)

reference <- function(name, observed, dates) {
  n <- nrow(observed)
  series <- c(colnames(observed), "total")
  observed <- cbind(observed, rowSums(observed))
  rows <- list()
  for (j in seq_along(series)) {
    s <- one_series(observed[, j], 52)
    cols <- list(series = rep(series[j], n), period = seq_len(n),
                 iso_week = format(dates, "%G-W%V"), observed = fmt(observed[, j]))
    for (m in names(methods)) {
      res <- methods[[m]](s)
      cols[[paste0(m, "_upperbound")]] <- fmt(full(res, n, "upperbound"))
      cols[[paste0(m, "_alarm")]] <- fmt_alarm(as.logical(full(res, n, "alarm")))
    }
    rows[[j]] <- as.data.frame(cols, stringsAsFactors = FALSE)
  }
  table <- do.call(rbind, rows)
  con <- gzfile(file.path(out_dir, paste0(name, ".csv.gz")), "w")
  write.csv(table, con, row.names = FALSE, quote = FALSE)
  close(con)
}

week_dates <- function(x) {
  if (x@epochAsDate) return(as.Date(epoch(x), origin = "1970-01-01"))
  # ha.sts and measlesDE carry (year, week) starts instead of dates: Monday of that ISO week.
  jan4 <- as.Date(sprintf("%d-01-04", x@start[1]))
  monday1 <- jan4 - (as.integer(format(jan4, "%u")) - 1)
  monday1 + 7 * (x@start[2] - 1) + 7 * (seq_len(nrow(x)) - 1)
}

data(salmNewport)
reference("salmNewport", observed(salmNewport), week_dates(salmNewport))
data(ha.sts)
reference("ha", observed(ha.sts), week_dates(ha.sts))
data(measlesDE)
reference("measlesDE", observed(measlesDE), week_dates(measlesDE))

writeLines(c(R.version.string, paste("surveillance", packageVersion("surveillance"))),
           file.path(out_dir, "r_versions.txt"))
