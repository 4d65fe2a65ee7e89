"""Physical erasure of deleted purchases: purge and verification.

`purge` rewrites the data files that still hold a due batch's rows, expires the
snapshots that reference the old files, deletes those files, redacts processed inbox
files and run logs, and rewrites the catalog file. `verify` scans every file of the
store and lists each one that still contains a deleted purchase or line.
"""
