"""Import of units, positions (jabatan), work locations and employees from .xlsx or .csv files.

The file's first row holds the column names (Indonesian, see docs/import.md; case, spaces and
punctuation don't matter). Every row is checked first and every problem is reported with its
row number, column and a clear message; only when the whole file is clean is anything written,
in one transaction (all-or-nothing).

Existing records (same kode / NIP / NIK) are an error unless `update=True`, in which case they
are updated. With a `user`, the import is scoped: units outside the user's OPD subtree are
treated as unknown, and the user needs the matching add/change permission.

The modules, in the order an import goes through them (callers import from the module that
defines a name; this package re-exports nothing):

* `run` — `run_import` / `import_file`: permission, read, check, then write in one transaction.
* `reading` — the upload's bytes, .xlsx/.csv → header row and data rows of raw cells.
* `columns` — the four kinds, their columns and accepted names; matching the header row.
* `cells` — one cell's value: yes/no, dates, rupiah, coordinates, NIP/NIK, choices.
* `checks` — a sheet's rows, the lookup/error context, the checks all kinds share.
* `units`, `positions`, `locations`, `employees` — each kind's checks and its writer.
* `writing` — the writer type, the rollback signal, the parent-first tree writer.
* `report` — `ImportReport` and `RowError`, what the caller shows.
* `template` — the blank .xlsx template per kind.
"""
