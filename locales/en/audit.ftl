# The audit trail screens (English). Keys must match locales/vi/audit.ftl.
# audit-title lives in admin.ftl.

audit-lead = Every action by staff and by the portal itself, newest first. Each entry is chained to the one before by a hash, so editing or deleting a row is detected.
audit-filters = Filter the trail
audit-filters-invalid = Some filters are not valid; correct them and filter again:
audit-filter-actor = Actor
audit-filter-action = Action
audit-filter-object-type = Object type
audit-filter-object-id = Object id
audit-filter-from = From
audit-filter-to = To
audit-filter-any = Any
audit-filter-submit = Filter
audit-filter-clear = Clear filters
audit-filter-hint = Actor: part of an e-mail address, upper or lower case. Object id must match exactly. Dates are Hà Nội days (year-month-day) and include the last day.
audit-count = { $count ->
    [one] One matching entry
   *[other] { $count } matching entries
}
audit-showing = showing { $first }–{ $last }
audit-empty = No entry matches these filters.
audit-col-id = No.
audit-col-time = Time (Hà Nội)
audit-col-actor = Actor
audit-col-action = Action
audit-col-object = Object
audit-col-details = Details
audit-user-id = account #{ $id }
audit-pagination = Pages
audit-previous = ← Previous page
audit-next = Next page →
audit-page = Page { $page } of { $pages }
audit-export = Download CSV
audit-export-hint = A CSV file (UTF-8) of every entry matching the filters, oldest first, at most { $limit } rows; times in UTC. Cells starting with = + - @ get a leading ' so spreadsheets do not run them as formulas. Every download is recorded in the trail.
audit-export-capped = The file holds only the first { $limit } entries; narrow the filters to get the rest.
audit-verify-link = Check the integrity of the trail
audit-verify-title = Integrity check
audit-verify-lead = The portal recomputes every entry's hash in the order they were written and compares it with the stored hash and with the link to the entry before.
audit-verify-intact = { $entries ->
    [one] The trail is intact: one entry verified.
   *[other] The trail is intact: { $entries } entries verified.
}
audit-verify-broken-content = The trail is broken at entry #{ $id }: its content no longer matches its stored hash (the entry was edited).
audit-verify-broken-link = The trail is broken at entry #{ $id }: its link to the entry before does not match (an earlier entry was deleted or replaced).
audit-verify-broken-next = The entries before it are intact. Tell information security now and leave the database as it is for the investigation.
audit-verify-entry = The entry found
audit-back = Back to the trail
error-audit-date = Not a valid date. Enter it as year-month-day, for example 2026-11-27.
error-audit-range = The end date must be on or after the start date.
