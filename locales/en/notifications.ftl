# Notifications (platform::notify): no report text, no names, no receipt code — only the case
# reference and a link.
notify-subject = EVN conduct portal – case {$reference}
notify-digest-subject = EVN conduct portal – daily digest
notify-digest-intro = Cases that need your attention:
notify-case-new = Case {$reference} was routed to your team and needs your attention: {$link}
notify-case-assigned = Case {$reference} was assigned to you: {$link}
notify-case-reply = The reporter sent something new in case {$reference}: {$link}
notify-identity-decided = Your request to see the identity in case {$reference} was decided: {$link}
notify-deadline-50 = Case {$reference} has used half of its time: {$link}
notify-deadline-75 = Case {$reference} has used 75% of its time: {$link}
notify-deadline-90 = Case {$reference} has used 90% of its time and needs your attention: {$link}
notify-deadline-100 = Case {$reference} is due today: {$link}
notify-case-overdue = Case {$reference} of your team is overdue: {$link}
notify-reporter-accepted = EVN conduct portal: your denunciation was accepted. Please look it up with your receipt code at {$link}
notify-reporter-not-accepted = EVN conduct portal: a decision was made on accepting your denunciation. Please look it up with your receipt code at {$link}
notify-reporter-extended = EVN conduct portal: the time to resolve your denunciation was extended. Please look it up with your receipt code at {$link}
notify-reporter-concluded = EVN conduct portal: your denunciation has a conclusion. Please look it up with your receipt code at {$link}
notify-reporter-message = EVN conduct portal: there is news about your report; please look it up with your receipt code at {$link}
notify-test = Test message from the EVN conduct portal: sending works. {$link}

# /admin/notifications
admin-notify-title = Outgoing notifications
admin-notify-lead = E-mails and SMS the portal sends: a case reference and a link only, never a report's text, a name or a receipt code.
admin-notify-no-smtp = No mail server is set (smtp_url): e-mails are queued and not sent.
admin-notify-no-sms = No SMS gateway is set (sms_gateway.url): text messages are queued and not sent.
admin-notify-status-pending = Pending
admin-notify-status-sending = Sending
admin-notify-status-sent = Sent
admin-notify-status-failed = Failed
admin-notify-test = Send a test e-mail to me
admin-notify-kind = Kind
admin-notify-channel = Channel
admin-notify-recipient = Recipient
admin-notify-reporter = the denouncer
admin-notify-status = Status
admin-notify-attempts = Attempts
admin-notify-last-error = Last error
admin-notify-times = Times
admin-notify-next = next attempt:
admin-notify-actions = Actions
admin-notify-retry = Retry
admin-notify-none = No notifications yet.
flash-admin-notify-retried = The notification is queued again.
flash-admin-notify-test-queued = A test e-mail is queued to your address.
error-admin-notify-not-failed = Only a failed notification can be retried.

# /staff/account/notifications
staff-notify-title = Notifications
staff-notify-lead = The portal e-mails you when a case arrives, is assigned to you, the reporter answers, or a deadline draws near. A message holds only the case reference and a link.
staff-notify-legend = How to be told
staff-notify-mode-immediate = At once
staff-notify-mode-digest = One digest a day at {$hour}:00
staff-notify-mode-off = No e-mails
staff-notify-save = Save
flash-staff-notify-saved = Your notification choice is saved.
error-staff-notify-mode = Please choose how to be told.
notify-retention-warning = Case {$reference} is near the end of its retention period; its personal data will be purged in no less than 30 days unless it is kept: {$link}
notify-receipt-code = Your report's receipt code: {$reference}. Keep it private; follow your report at {$link}
