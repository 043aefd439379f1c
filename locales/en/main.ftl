# English catalogue. Keys must match locales/vi/main.ftl exactly.

## Site frame
site-name = EVN conduct portal
site-tagline = Report misconduct by electricity staff — safely, anonymously if you wish
skip-to-content = Skip to main content
nav-home = Home
nav-report = Report
nav-follow-up = Follow up
nav-main = Main navigation
switch-language = Tiếng Việt
switch-language-label = View this page in Vietnamese
footer-text = Conduct portal — Vietnam Electricity (EVN). This site uses no tracking cookies, loads nothing from third parties and does not store your IP address.

## Home
home-title = Report the conduct of electricity staff
home-lead = If power-company staff ask you for money, make things difficult, misread your meter, cut your power unlawfully or treat you with disrespect, you can tell the inspection team — anonymously or by name.
home-cta-report = Make a report
home-cta-follow-up = I already have a receipt code
home-what-title = What you can report
home-what-1 = Disrespectful or rude behaviour, making things difficult
home-what-2 = Harassment for money, asking for or accepting bribes
home-what-3 = Delays in connecting power or handling requests
home-what-4 = Wrong meter readings or bills; improper collection of money
home-what-5 = Power cuts that break the rules
home-what-6 = No badge or ID; disclosure of customer data; alcohol on duty
home-anonymity-title = How your identity is protected
home-anonymity-1 = No account is needed. The portal does not store your IP address, browser details or logs of what you send.
home-anonymity-2 = If you report anonymously you get only a receipt code. Nobody — not even an administrator — can recover it; only whoever holds the code can follow the report.
home-anonymity-3 = If you make a named denunciation, your name, address and phone number are encrypted and stored separately. Inspectors see only "identity provided"; to see it they must give a reason and a custodian must approve, and every step is logged (Law on Denunciations 2018, Articles 9 and 47).
home-anonymity-4 = The staff member you name and their colleagues of the same unit cannot see your report: each time a case is opened the portal compares the employee number, the name you typed and the confirmed staff member with the staff directory. The more precisely you give the unit, name or employee number, the surer the exclusion.
home-steps-title = After you send it
home-step-received = Received: the report is recorded at once and you get a receipt code.
home-step-accept = Acceptance: within 7 working days the inspection team decides whether to accept it (up to 10 working days when checks are needed) and gives a reason if it does not.
home-step-notify = Notice: within 5 working days of acceptance you are told on the follow-up page.
home-step-resolve = Resolution: within 30 days of acceptance; a complex case may be extended once (by up to 30 days), a very complex one twice — each extension has a reason you will see.
home-step-conclude = Conclusion: you see the finding and whether action was taken, and can rate how your report was handled.
home-steps-law = These periods are those of the Law on Denunciations 2018 (Articles 24, 29, 30) and apply to a named denunciation, counted from the day the denouncer is verified. An anonymous report is not a denunciation: it is reviewed within 7 working days and answered within 30 days of receipt (EVN’s service targets).
home-kinds-title = Anonymous or named?
home-kind-anonymous = Anonymous report (tip): no personal details needed. An inspector reviews it, checks it and gives the result on EVN’s service targets, outside the denunciation procedure (Law on Denunciations, Art. 25).
home-kind-named = Named denunciation: you give your name, address and phone number; an inspector contacts you to verify the denouncer (by phone, at a counter or on a signed paper), after which the denunciation is handled within the legal periods and your identity is kept secret.

## Report form
report-title = Make a report
report-intro = Fields marked * are required. Describe what happened as precisely as you can; if you want to stay anonymous, do not put your own details in the description.
report-errors-summary = { $count } fields need correcting. Everything you typed has been kept.
report-section-where = Where and when it happened
report-unit = Power unit *
report-unit-hint = Choose the unit closest to where it happened (power unit or customer transaction office).
report-unit-choose = — Choose a unit —
report-unit-filter = Find a unit
report-unit-filter-hint = Type a province, city or power unit name (accents optional), e.g. "hai phong", then press Filter list.
report-unit-filter-submit = Filter list
report-unit-filter-clear = Show all
report-unit-filter-none = No unit matches. Try another word or show all.
report-date = Date it happened *
report-date-hint = Day/month/year, e.g. 20/11/2026 or 1/2/2026; not later than today.
report-time = Time (if you remember)
report-time-hint = For example 14:30.
report-section-what = What happened
report-category = Kind of misconduct *
report-category-choose = — Choose a kind —
report-description = What happened *
report-description-hint = { $min } to { $max } characters: who did what, where, and whether anyone saw it.
report-section-staff = Staff member involved (if known)
report-staff-hint = Optional. It helps the investigation and makes sure the person named cannot see the case.
report-staff-name = Staff member's name
report-staff-number = Badge / employee number
report-staff-description = How to recognise them
report-staff-description-hint = For example clothing, vehicle, number plate; at most { $max } characters.
report-section-identity = How you want to send it
report-identity = Kind of report *
report-identity-anonymous = Anonymous — I do not give my identity
report-identity-named = Named denunciation — I give my name, address and phone number
report-identity-named-hint = Fill in the fields below only for a named denunciation. They are encrypted and kept secret.
report-full-name = Full name
report-address = Address
report-phone = Phone number
report-escalate = Send this to the level above the local unit (for example if you fear the local unit is not impartial)
report-submit = Send report
report-privacy-note = When you press Send, the report is stored at once and you get a receipt code. The portal does not store your IP address or browser details.

## Receipt
receipt-title = Report received
receipt-lead = Your report has been stored safely. This is your receipt code:
receipt-code-label = Receipt code
receipt-read-aloud = The code has 25 digits in 5 groups of 5; read it group by group.
receipt-expected = What you can expect, and when
receipt-warning-title = Write this code down now
receipt-warning = The code is shown only once and cannot be recovered: the portal does not store it, and no administrator can look it up. Without it you cannot follow your report or answer the inspector.
receipt-print = Print the receipt code
receipt-print-hint = You can print this page or copy the code onto paper. Do not keep a screenshot on a shared device.
receipt-next = Then go to "Follow up" and enter the code to see progress and answer the inspector.
receipt-follow-up = Go to Follow up
receipt-gone-title = The receipt code has already been shown
receipt-gone = For your safety a receipt code is shown only once. If you wrote it down, use it on the Follow up page. Your report is stored.

## Follow-up
follow-up-title = Follow up a report
follow-up-lead = Enter the receipt code you received when you sent your report.
follow-up-receipt = Receipt code
follow-up-receipt-hint = 25 digits, e.g. 12345 67890 12345 67890 12345. Type them together or with spaces or dashes between groups.
follow-up-submit = Open report
follow-up-leave = Leave this report
status-title = Your report
status-current = Current status
status-received-at = Received at
status-details = What you sent
status-unit = Unit
status-category = Kind of misconduct
status-occurred = When it happened
status-description = Description
status-staff-name = Staff member
status-staff-number = Badge number
status-staff-description = How to recognise them
status-kind = Kind
status-kind-anonymous = Anonymous (tip-off)
status-kind-named = Named denunciation — identity encrypted and kept secret
status-escalated = You asked for this to go to the level above the unit
status-timeline = Timeline
status-messages = Messages with the inspector
status-no-messages = No messages yet.
status-unread = New
status-reply = Reply or add information
status-reply-hint = At most { $max } characters. The inspector will read this.
status-reply-submit = Send reply

## Case status, as the reporter reads it
status-received = Received
status-received-explained = Your report has been recorded and is waiting to be reviewed. The dates that apply are given below.
status-accepted = Taken up
status-accepted-explained = Your report has been taken up. The dates that apply are given below.
status-declined = Not taken up
status-declined-explained = This report is not being taken further. The reason is given in the messages.
status-investigating = Under investigation
status-investigating-explained = An inspector is investigating. They may send you questions here.
status-awaiting-reporter = Waiting for your answer
status-awaiting-reporter-explained = The inspector needs more information from you. Please read the messages and reply below.
status-concluded = Concluded
status-concluded-explained = The investigation has finished. See the summary of the conclusion in the messages.
status-closed = Closed
status-closed-explained = The case is closed. Thank you for helping the power sector serve better.

## Timeline events and authors
event-received = Report received
event-reporter-replied = You replied
author-reporter = You
author-system = System
author-staff = Inspector
msg-auto-ack = We have received your report. An inspector will review it within 7 working days and give the result on this page. Keep your receipt code to follow the report and answer the inspector’s questions.
msg-auto-ack-named = We have received your denunciation. Before it is considered for acceptance under the Law on Denunciations, an inspector will contact you to verify the denouncer (by phone, at a counter, or a signed paper). Keep your receipt code to follow it.

## Flash messages
flash-reply-sent = Your reply has been sent.
flash-follow-up-expired = Your follow-up session has expired or was not opened. Please enter your receipt code again.
flash-follow-up-left = You have left the report. On a shared device, close the browser.

## Field errors
error-unit-required = Choose a power unit from the list.
error-category-required = Choose the kind of misconduct.
error-date-required = Enter the date it happened.
error-date-invalid = That date is not valid; use day/month/year.
error-date-future = The date cannot be later than today.
error-date-too-old = Events more than 10 years old cannot be reported here.
error-time-invalid = That time is not valid; for example 14:30.
error-description-required = Describe what happened.
error-description-short = The description is too short; write at least 20 characters.
error-description-long = The description is too long; at most 5000 characters.
error-too-long = This is too long.
error-staff-number-invalid = A badge number has only unaccented letters, digits and - / .
error-identity-required = Choose anonymous or named denunciation.
error-full-name-required = A named denunciation needs your full name.
error-address-required = A named denunciation needs your address.
error-phone-required = A named denunciation needs your phone number.
error-phone-invalid = That phone number is not valid (9–15 digits, optionally starting with +).
error-reply-required = Write your reply.
error-reply-long = The reply is too long; at most 5000 characters.
error-receipt-generic = No report could be opened with this code. Check the code and try again.

## Error pages
error-title = Error { $status }
error-back-home = Back to the home page
error-request-id = Request id (quote it when you contact support)
error-400 = The request was not valid.
error-403 = You are not allowed to do this.
error-404 = The page you asked for was not found.
error-413 = What you sent is too large.
error-422 = The data sent was not valid. Go back and check what you entered.
error-429 = Too many attempts. Please wait a moment and try again.
error-500 = Something went wrong on our side. None of your data was lost; please try again later.
error-csrf = The form had expired or was not valid, so nothing was saved. Reload the page and send it again.
error-slow-down = Too many wrong attempts. Please wait { $seconds } seconds and try again.
error-locked-out = Too many wrong attempts. This is locked for { $minutes } minutes.

# Status words by track (domain::track::status_label_key, status_explained_key)
status-accepted-denunciation = Accepted
status-declined-denunciation = Not accepted
status-received-candidate-explained = Your denunciation has been recorded. Before it is accepted, an inspector will contact you to verify the denouncer (by phone, at a counter, or a signed paper), as the Law on Denunciations requires (Art. 22–23).
status-received-denunciation-explained = The denouncer has been verified. The denunciation is waiting for the acceptance decision within the period of Art. 24 of the Law on Denunciations.
status-accepted-denunciation-explained = Your denunciation has been accepted; it must be resolved within 30 days of acceptance (Law on Denunciations, Art. 30).
status-declined-denunciation-explained = The denunciation was not accepted. The reason is given in the messages.
status-track = Kind
status-dates = Dates
status-date-review = Review due (EVN service target)
status-date-result = Result due (EVN service target)
status-date-verify = Denouncer to be verified by
status-date-acceptance = Acceptance decision due (Law on Denunciations, Art. 24)
status-date-notify = Notice of acceptance due (Art. 29)
status-date-resolution = Resolution due (Art. 30)

## A denunciation's procedure (Law on Denunciations Art. 33, 34, 40), as the denouncer reads it
status-suspended = Resolution suspended
status-suspended-explained = The resolution of your denunciation is suspended while it waits for another body's result or an expert assessment (Art. 34(1) of the Law on Denunciations). The time suspended does not count towards the resolution period; you will be told here when the resolution resumes.
status-terminated = Resolution terminated
status-terminated-explained = The resolution of your denunciation was terminated under Art. 34(3) of the Law on Denunciations. The reason is given in the messages.
status-date-suspended = Suspended since (the resolution period stands still)
event-withdrawal-recorded = Withdrawal of the denunciation recorded
event-suspended = Resolution suspended
event-resumed = Resolution resumed
event-terminated = Resolution terminated
event-notice-sent = Written notice sent
event-conclusion-published = Conclusion published
msg-withdrawal-part = Your withdrawal of part of the denunciation has been recorded. The rest is still being resolved (Art. 33 of the Law on Denunciations).
msg-withdrawal-whole = Your withdrawal of the whole denunciation has been recorded (Art. 33 of the Law on Denunciations). The person resolving it will decide to terminate the resolution and send you the decision.
msg-withdrawal-continues = Your withdrawal has been recorded. Under Art. 33(3) of the Law on Denunciations, the denunciation is still being resolved.
msg-resolution-suspended = The resolution of your denunciation is suspended under Art. 34(1) of the Law on Denunciations. The time suspended does not count towards the resolution period.
msg-resolution-resumed = The resolution of your denunciation has resumed under Art. 34(2) of the Law on Denunciations. The new resolution date is shown on this page.
msg-resolution-terminated = The resolution of your denunciation was terminated under Art. 34(3) of the Law on Denunciations. The termination decision is sent to you.
msg-conclusion-published = A summary of the conclusion has been published on the Transparency page, with nothing that identifies you or the person accused (Art. 40 of the Law on Denunciations).
status-handled-by = Handled by
report-consent = I have read the personal data notice and agree that the portal processes my name, address and phone number to handle the denunciation, including SMS notices about it to this number (never with its content).
report-consent-hint = Needed only for a named denunciation. Later you can see, correct or withdraw your identity with your receipt code.
error-consent-required = A named denunciation needs your consent: read the notice and tick the consent box, or choose to report anonymously.
consent-notice-link = Personal data notice
