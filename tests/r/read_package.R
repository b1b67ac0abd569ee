# Read the aidstats data package in R, as an R user would: datapackage.json with
# jsonlite, then every CSV table with readr, each column read with the type its
# Table Schema declares (integer, number, string, boolean or date).
#
#   Rscript tests/r/read_package.R [datapackage.json] [summary.json]
#
# Prints each table's name, rows and columns.  Stops (exit status 1) with the file,
# data row and column of the first value that does not read as its declared type, a
# header that differs from the schema, or a missing value in a required column.
# With a second argument it writes every table, with each column's R class, as
# JSON (doubles as text with 17 significant digits), so that tests/test_r.py can
# compare R's reading with Python's.

for (package in c("readr", "jsonlite")) {
  if (!requireNamespace(package, quietly = TRUE)) {
    stop(sprintf("the R package %s is not installed; on Debian: apt-get install --no-install-recommends r-cran-%s",
                 package, package), call. = FALSE)
  }
}

args <- commandArgs(trailingOnly = TRUE)
descriptor <- if (length(args) >= 1) args[[1]] else "datapackage.json"
root <- dirname(descriptor)
datapackage <- jsonlite::read_json(descriptor)

# A Table Schema field as a readr column type.  Date formats: "default" is ISO
# 8601 (YYYY-MM-DD), "any" lets readr guess, anything else is a strptime pattern,
# which readr's col_date() takes as it is.
column_type <- function(field, table) {
  format <- if (is.null(field$format)) "default" else field$format
  switch(field$type,
    string = readr::col_character(),
    integer = readr::col_integer(),
    number = readr::col_double(),
    boolean = readr::col_logical(),
    date = readr::col_date(if (format == "default") "%Y-%m-%d" else if (format == "any") "" else format),
    stop(sprintf("%s: column %s has Table Schema type %s; this script reads integer, number, string, boolean and date",
                 table, field$name, field$type), call. = FALSE)
  )
}

read_table <- function(resource) {
  fields <- resource$schema$fields
  names <- vapply(fields, function(field) field$name, "")
  types <- setNames(lapply(fields, column_type, table = resource$name), names)
  # missingValues defaults to "" in Table Schema; readr's default would also read the text "NA" as missing.
  missing <- if (is.null(resource$schema$missingValues)) "" else unlist(resource$schema$missingValues)
  path <- file.path(root, resource$path)
  encoding <- if (is.null(resource$encoding)) "UTF-8" else resource$encoding
  header <- names(readr::read_csv(path, n_max = 0, col_types = readr::cols(.default = "c"), progress = FALSE))
  if (!identical(header, names)) {
    stop(sprintf("%s: found the columns %s; expected %s, as datapackage.json declares", path,
                 paste(header, collapse = ", "), paste(names, collapse = ", ")), call. = FALSE)
  }
  # readr's warning only says to call problems(), which is done next, with the value found.
  table <- suppressWarnings(readr::read_csv(path, col_types = do.call(readr::cols, types), na = as.character(missing),
                                            trim_ws = FALSE, locale = readr::locale(encoding = encoding), progress = FALSE))
  problems <- readr::problems(table)
  if (nrow(problems) > 0) {
    first <- problems[1, ]
    # problems() counts the header as row 1.
    stop(sprintf("%s: data row %d, column %s: found '%s'; expected %s (%d such values)", path, first$row - 1,
                 names[[first$col]], first$actual, first$expected, nrow(problems)), call. = FALSE)
  }
  for (field in fields) {
    if (isTRUE(field$constraints$required) && anyNA(table[[field$name]])) {
      stop(sprintf("%s: data row %d, column %s: found a missing value; expected one, the column is required", path,
                   which(is.na(table[[field$name]]))[[1]], field$name), call. = FALSE)
    }
  }
  table
}

# A resource without a format is CSV if its path ends in .csv (Data Package infers the format from it).
is_csv <- function(resource) {
  if (is.null(resource$format)) grepl("\\.csv$", resource$path, ignore.case = TRUE) else identical(resource$format, "csv")
}
csv <- Filter(is_csv, datapackage$resources)
tables <- setNames(lapply(csv, read_table), vapply(csv, function(resource) resource$name, ""))
for (name in names(tables)) cat(sprintf("%s: %d rows, %d columns\n", name, nrow(tables[[name]]), ncol(tables[[name]])))

if (length(args) >= 2) {
  # Doubles as text with 17 significant digits, which give back the same double in any reader
  # (jsonlite writes at most 15).
  exact <- function(column) {
    if (is.double(column) && !inherits(column, "Date")) ifelse(is.na(column), NA, sprintf("%.17g", column)) else column
  }
  summary <- lapply(tables, function(table) {
    list(rows = nrow(table), classes = lapply(table, function(column) class(column)[[1]]), data = lapply(table, exact))
  })
  writeLines(jsonlite::toJSON(summary, na = "null", Date = "ISO8601", auto_unbox = TRUE), args[[2]], useBytes = TRUE)
}
