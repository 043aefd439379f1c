# Admin: staff directory and its import, routing rules, public holidays, canned replies
# (English). Keys must match locales/vi/admin_directory.ftl.

## Staff directory

admin-staff-title = Staff directory
admin-staff-list-lead = The employees a report can name. The portal uses the directory to exclude conflicts of interest: an inspector never sees a case that names a colleague of their own unit. Employees are never deleted; people who leave are deactivated.
admin-staff-add = Add employee
admin-staff-import = Import a CSV file
admin-staff-search = Search by name or employee number
admin-staff-search-hint = With or without diacritics: “nguyen van” finds “Nguyễn Văn”.
admin-staff-found = { $count } employees match “{ $query }”.
admin-staff-none = The directory is empty. Add employees one by one or import an export from the HR system.
admin-staff-none-found = No employee matches the search.
admin-staff-number = Employee number
admin-staff-number-hint = Letters without diacritics, digits and - / . (at most 32 characters), e.g. HN-000123. Lower case is turned into upper case. The number cannot be changed once created.
admin-staff-number-fixed = The employee number is fixed and cannot be changed.
admin-staff-name = Full name
admin-staff-unit = Unit
admin-staff-unit-choose = Choose a unit
admin-staff-position = Position
admin-staff-position-hint = Optional.
admin-staff-status = Status
admin-staff-active = Active
admin-staff-inactive = Deactivated
admin-staff-actions = Actions
admin-staff-edit = Edit
admin-staff-deactivate = Deactivate
admin-staff-reactivate = Reactivate
admin-staff-back = ← Staff directory
admin-staff-cancel = Cancel
admin-staff-new-title = Add an employee
admin-staff-create = Add employee
admin-staff-edit-title = Edit employee { $number }
admin-staff-save = Save changes
admin-staff-other-actions = Other actions
admin-staff-deactivate-title = Deactivate employee { $number }
admin-staff-deactivate-lead = The employee stays in the directory, but new reports naming this number are no longer linked to them. Existing cases and the conflict-of-interest exclusions already recorded stay as they are.
admin-staff-deactivate-submit = Deactivate
admin-staff-reactivate-title = Reactivate employee { $number }
admin-staff-reactivate-lead = New reports naming this employee number will be linked to them again.
admin-staff-reactivate-submit = Reactivate
admin-staff-already-active = This employee is active.
admin-staff-already-inactive = This employee is already deactivated.

## Staff import

admin-staff-import-title = Import the directory from a CSV file
admin-staff-import-lead = Upload an export from the HR system. The import is all or nothing: a single bad line means no line is imported, and every bad line is listed so you can fix them. Employees whose number is already in the directory are updated (name, unit, position, status); new numbers are added.
admin-staff-import-format-title = File format
admin-staff-import-format = UTF-8 text (a byte-order mark is fine), columns separated by commas (not semicolons), cells holding a comma or a line break in double quotes. The first row is a header naming the columns, in any order. Rows of empty cells are skipped.
admin-staff-import-col-number = Required. Employee number: letters without diacritics, digits and - / . (at most 32 characters); each number once per file.
admin-staff-import-col-name = Required. Full name, at most 200 characters.
admin-staff-import-col-unit = Required. Unit code as on the Org units screen, e.g. EVNHANOI; the unit must be active.
admin-staff-import-col-position = Optional (the column may be left out). Position, at most 200 characters.
admin-staff-import-col-active = Optional (the column may be left out). true or false (also 1/0, yes/no, có/không); empty means active.
admin-staff-import-example = Example:
admin-staff-import-file = CSV file
admin-staff-import-file-hint = At most { $limit }. Import larger files from the command line.
admin-staff-import-submit = Check and import
admin-staff-import-cli = On the server, the same format can be imported with:
admin-staff-import-done-title = Import complete
admin-staff-import-done = Imported { $rows } rows: { $inserted } added, { $updated } updated, { $unchanged } unchanged.
admin-staff-import-missing-kept = Employees in the directory but not in the file were left as they are; deactivate them on the directory screen if needed.
admin-staff-import-see-list = See the directory
admin-staff-import-refused = Import refused: { $count } lines need fixing. Nothing was imported.
admin-staff-import-fix = Fix the lines below in the file and upload it again.
admin-staff-import-bad-lines = Bad lines
admin-staff-import-line-number = Line
admin-staff-import-reason = Reason
admin-staff-import-line = Line { $line }: { $reason }

## Routing rules

admin-routing-title = Routing rules
admin-routing-intro = Each rule says: reports about this unit and the units below it (in this category, or in any) go to this inspection team. When a report arrives, the portal picks the team like this:
admin-routing-how-walk = It starts at the unit the report is about and walks up the tree; the nearest unit with a match decides.
admin-routing-how-specific = At each unit the most specific match wins: a rule for the report's category, then a rule for any category, then an inspection team belonging to that unit itself.
admin-routing-how-severe = Severe categories skip any-category rules and the teams of units below corporation level, so by default they go to the inspection board of the power corporation or of EVN; a rule for that exact category still applies at any level.
admin-routing-how-above = When the reporter asks to send the report above the local unit, the walk starts one level up, at the parent of the unit reported.
admin-routing-how-conflict = Rules pointing to a deactivated team are ignored; a team whose members all have a conflict of interest with the case is skipped and the walk continues upwards.
admin-routing-add = Add rule
admin-routing-none = No rules yet: every report goes to the nearest inspection team up the unit tree.
admin-routing-unit = Unit
admin-routing-unit-hint = The rule applies to this unit and every unit below it.
admin-routing-unit-choose = Choose a unit
admin-routing-category = Category
admin-routing-category-hint = Choose “Any category” for every category without a rule of its own (except severe ones below corporation level).
admin-routing-any-category = Any category
admin-routing-severe = severe
admin-routing-team = Inspection team
admin-routing-team-choose = Choose an inspection team
admin-routing-team-inactive = Team deactivated: this rule is ignored.
admin-routing-actions = Actions
admin-routing-delete = Delete
admin-routing-back = ← Routing rules
admin-routing-cancel = Cancel
admin-routing-new-title = Add a routing rule
admin-routing-new-lead = A rule applies to reports sent after it is saved; existing cases are not rerouted.
admin-routing-create = Add rule
admin-routing-delete-title = Delete routing rule
admin-routing-delete-lead = Once deleted, new reports about this unit are routed by the remaining rules. Existing cases are not rerouted. The deletion is recorded in the audit trail.
admin-routing-delete-submit = Delete rule

## Public holidays

admin-holiday-title = Public holidays
admin-holiday-lead = Deadlines counted in working days (accept within 7 working days, notify within 5) skip Saturdays, Sundays and the days below. Each day off is one row. Tết and the day added next to 2/9 change with the government's yearly notice: check and correct them when it is published. Changes apply to deadlines computed from now on; deadlines already computed do not change.
admin-holiday-years = Choose a year
admin-holiday-add = Add holiday
admin-holiday-count = { $count } days off, { $weekdays } of them on working days.
admin-holiday-none = No holidays in this year yet.
admin-holiday-day = Date
admin-holiday-day-hint = One entry per day off; a five-day Tết break is five rows.
admin-holiday-weekday = Day
admin-holiday-weekday-mon = Monday
admin-holiday-weekday-tue = Tuesday
admin-holiday-weekday-wed = Wednesday
admin-holiday-weekday-thu = Thursday
admin-holiday-weekday-fri = Friday
admin-holiday-weekday-sat = Saturday
admin-holiday-weekday-sun = Sunday
admin-holiday-name-vi = Name in Vietnamese
admin-holiday-name-en = Name in English
admin-holiday-actions = Actions
admin-holiday-delete = Delete
admin-holiday-back = ← Public holidays
admin-holiday-cancel = Cancel
admin-holiday-new-title = Add a holiday
admin-holiday-new-lead = A new holiday counts for deadlines computed from now on.
admin-holiday-create = Add holiday
admin-holiday-delete-title = Delete the holiday of { $date }
admin-holiday-delete-lead = Once deleted, this day counts as a working day (unless it is a Saturday or Sunday) for deadlines computed from now on. The deletion is recorded in the audit trail.
admin-holiday-delete-submit = Delete holiday

## Canned replies

admin-canned-title = Canned replies
admin-canned-list-lead = Texts inspectors insert into a message to the reporter on the case page. Only active replies are offered. Replies are never deleted; a deactivated reply can be reactivated.
admin-canned-add = Add canned reply
admin-canned-none = No canned replies yet.
admin-canned-code = Code
admin-canned-code-hint = Lower-case letters without diacritics, digits and underscores, starting with a letter, at most 40 characters, e.g. ask_more_details. The code cannot be changed once created.
admin-canned-code-fixed = The code is fixed and cannot be changed.
admin-canned-reply-title = Title
admin-canned-title-vi = Title in Vietnamese
admin-canned-title-en = Title in English
admin-canned-body-vi = Text in Vietnamese
admin-canned-body-en = Text in English
admin-canned-body-hint = The text is inserted into the message box; the inspector can edit it before sending. Do not put details of a particular case here.
admin-canned-status = Status
admin-canned-active = Active
admin-canned-inactive = Deactivated
admin-canned-actions = Actions
admin-canned-edit = Edit
admin-canned-deactivate = Deactivate
admin-canned-reactivate = Reactivate
admin-canned-back = ← Canned replies
admin-canned-cancel = Cancel
admin-canned-new-title = Add a canned reply
admin-canned-create = Add reply
admin-canned-edit-title = Edit canned reply { $code }
admin-canned-save = Save changes
admin-canned-other-actions = Other actions
admin-canned-deactivate-title = Deactivate canned reply { $code }
admin-canned-deactivate-lead = The reply will no longer be offered on the case page. Messages already sent do not change.
admin-canned-deactivate-submit = Deactivate
admin-canned-reactivate-title = Reactivate canned reply { $code }
admin-canned-reactivate-lead = The reply will be offered on the case page again.
admin-canned-reactivate-submit = Reactivate
admin-canned-already-active = This reply is active.
admin-canned-already-inactive = This reply is already deactivated.

## Errors

error-admin-staff-number-required = Enter the employee number.
error-admin-staff-number-invalid = Use only letters without diacritics, digits and - / . in the employee number (at most 32 characters).
error-admin-staff-number-taken = Another employee already has this number.
error-admin-staff-name-required = Enter the full name.
error-admin-staff-name-long = The name is too long; at most 200 characters.
error-admin-staff-unit-required = Choose a unit from the list.
error-admin-staff-unit-closed = This unit is deactivated; choose another one.
error-admin-staff-position-long = The position is too long; at most 200 characters.
error-import-file-required = Choose a CSV file that is not empty.
error-import-file-too-large = The file is larger than { $limit }; split it or import it from the command line.
error-import-empty = The file is empty: the header row is missing.
error-import-separator = Columns must be separated by commas, not semicolons; export the file again with commas.
error-import-header-missing = The header lacks required columns: { $columns }.
error-import-header-unknown = The column “{ $column }” is not supported; the valid columns are employee_number, full_name, unit_code, position, active.
error-import-header-duplicate = The column “{ $column }” appears twice.
error-import-no-rows = The file has a header row but no employees.
error-import-columns = The line has { $found } columns but the header has { $expected }.
error-import-encoding = The line is not valid UTF-8 text; save the file with UTF-8 encoding.
error-import-unreadable = This line could not be read.
error-import-number-missing = The employee number is missing.
error-import-number-invalid = The employee number is not valid: only letters without diacritics, digits and - / . (at most 32 characters).
error-import-duplicate = The employee number repeats line { $first }.
error-import-name-missing = The full name is missing.
error-import-name-long = The name is too long; at most 200 characters.
error-import-unit-missing = The unit code is missing.
error-import-unit-unknown = No unit has the code “{ $code }”.
error-import-unit-closed = The unit “{ $code }” is deactivated.
error-import-position-long = The position is too long; at most 200 characters.
error-import-active-invalid = “{ $value }” is not a valid value for active; use true or false.
error-admin-routing-unit-required = Choose a unit from the list.
error-admin-routing-unit-closed = This unit is deactivated; choose another one.
error-admin-routing-category-invalid = Choose an active category, or “Any category”.
error-admin-routing-team-required = Choose an inspection team from the list.
error-admin-routing-team-inactive = This inspection team is deactivated; choose another one.
error-admin-routing-duplicate = This unit already has a rule for this category; delete that rule first.
error-admin-holiday-day-taken = This day is already a holiday.
error-admin-holiday-name-required = Enter the holiday's name.
error-admin-holiday-name-long = The name is too long; at most 200 characters.
error-admin-holiday-year-range = The date must fall between the years 2000 and 2100.
error-admin-canned-code-required = Enter the reply's code.
error-admin-canned-code-invalid = Use only lower-case letters without diacritics, digits and underscores, starting with a letter, at most 40 characters.
error-admin-canned-code-taken = Another canned reply already uses this code.
error-admin-canned-title-required = Enter a title.
error-admin-canned-title-long = The title is too long; at most 200 characters.
error-admin-canned-body-required = Enter the text.
error-admin-canned-body-long = The text is too long; at most 5000 characters.

## Flash messages

flash-admin-staff-created = The employee was added.
flash-admin-staff-updated = The employee's changes were saved.
flash-admin-staff-deactivated = The employee was deactivated.
flash-admin-staff-reactivated = The employee was reactivated.
flash-admin-routing-created = The routing rule was added.
flash-admin-routing-deleted = The routing rule was deleted.
flash-admin-holiday-created = The holiday was added.
flash-admin-holiday-deleted = The holiday was deleted.
flash-admin-canned-created = The canned reply was added.
flash-admin-canned-updated = The canned reply's changes were saved.
flash-admin-canned-deactivated = The canned reply was deactivated.
flash-admin-canned-reactivated = The canned reply was reactivated.
