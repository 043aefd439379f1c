# Receipt codes that survive phones, dates as people type them, hotline numbers (issue 14).
follow-up-old-code = Does your code contain letters (issued earlier)?
follow-up-old-code-hint = 16 letters and digits, e.g. 7K3M-Q9XD-2HBT-W4RE. Upper or lower case; dashes optional. If your keyboard adds Vietnamese accents (Telex, VNI), switch the Vietnamese input method off before typing.
report-date-placeholder = dd/mm/yyyy
hotline-footer = Customer-care hotlines
hotline-title = Need help by phone?
hotline-lead = Customer-care hotline of
hotline-code-hint = The operator may ask for your receipt code to look up your report; do not read the code to anyone else.
admin-unit-hotline = Customer-care hotline
admin-unit-hotline-hint = Digits, spaces, dots, a leading +; several numbers separated by " / ", e.g. 1900 1006 / 1900 9000. Leave empty when the unit has no hotline of its own. The footer shows the corporations' numbers.
error-hotline-invalid = That hotline is not valid: each number has 3–15 digits, spaces, dots and a leading + only; separate several numbers with " / ".
error-hotline-long = Too many hotline numbers (at most 120 characters).
