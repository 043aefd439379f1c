# Personal data (English): the public privacy notice (/privacy), the admins' record of
# processing (/admin/privacy) and the names of the retention classes. Keys must match
# locales/vi/privacy.ftl.

privacy-link = Personal data protection

# The names of the retention classes (domain::retention::RetentionClass::label_key).
retention-class-tip-no-substance = Tips closed without substance
retention-class-tip-substantiated = Substantiated tips (in whole or in part)
retention-class-denunciation-no-substance = Denunciations without substance, withdrawn or terminated
retention-class-denunciation-substantiated = Denunciations substantiated in whole or in part
retention-class-disciplinary = Cases that led to a disciplinary decision

# /privacy
privacy-title = Privacy notice
privacy-lead = This page tells you what the conduct portal collects, why, who can see it, how long it is kept and what your rights are, under the Law on Personal Data Protection No. 91/2025/QH15.
privacy-contents = Contents
privacy-controller-title = Who is responsible for your data
privacy-controller-text = The controller of the personal data in this portal is { $controller }. It decides why and how the data you send through the portal are processed, and answers for that under the law.
privacy-collected-title = What the portal collects
privacy-collected-tip-title = Anonymous tip
privacy-collected-tip = Only what you type and upload: the unit, the day (and time) it happened, the kind of violation, your description, what you write about the staff member concerned (name, employee number, description), your evidence files; later, your replies to the team and your satisfaction rating. Not your name, address or phone number.
privacy-collected-named-title = Named denunciation
privacy-collected-named = The same as a tip, plus your full name, address and phone number, and your consent to this notice (only the notice's version and the day you gave it are stored).
privacy-collected-commend-title = Commending staff
privacy-collected-commend = The unit, the name or employee number of the person you commend if you give it, and your words. Nothing about you.
privacy-collected-never = The portal does not store your IP address, browser or device, does not log what you send and uses no tracking cookies. Your IP address is held briefly in memory only, to stop code guessing and flooding; it is never written to disk.
privacy-collected-cookies = The cookies the portal sets for you: the language you chose; a token that protects forms against forgery; an encrypted cookie that carries your receipt code to the receipt page, removed as soon as the code is shown; and, once you open your report with its receipt code, an encrypted cookie naming the open report, which stops working after { $minutes } minutes without use.
privacy-purpose-title = Why, and on which legal basis
privacy-purpose-denunciation = Handling denunciations under the Law on Denunciations No. 25/2018/QH14: verifying the denouncer, investigating, concluding and telling you the outcome. That law obliges the unit to keep the denouncer's name, address, handwriting and other personal details secret (Art. 9 and 47).
privacy-purpose-tip = Looking into tips and feedback to inspect and correct how customers are served and to handle staff misconduct, and so to improve the service; answering you on the follow-up page.
privacy-purpose-consent = For a named denunciation, your name, address and phone number are processed on the basis of your consent, given by ticking a box on the form (never ticked in advance). You can withdraw it at any time (see Your rights).
privacy-purpose-sms = Telling a named denouncer by SMS to the phone given (whether the report was accepted, an extension, the conclusion, a new message), and sending the receipt code by SMS when you call the hotline and agree. The messages go through the unit's SMS provider (a data processor) and carry only the phone number and the notice; never the report's content, your name or the person reported.
privacy-purpose-statistics = Statistics, so that leadership can follow the quality of service and the transparency page can publish it: figures only, never your words or who you are.
privacy-purpose-law = All of this processing follows the Law on Personal Data Protection No. 91/2025/QH15. Your data are not used for any other purpose, and are not sold or passed to third parties, unless a competent state authority requires it as the law provides.
privacy-access-title = Who can see your data
privacy-access-team = The inspectors of the inspection team handling the report (of the unit concerned, or of the level above for severe violations) see its content, evidence files and messages. The staff member you report and their colleagues in the same unit cannot see it (the portal recognises them through the staff directory: the more precisely you name the person or give their employee number, the surer the exclusion).
privacy-access-identity = A denouncer's name, address and phone number are encrypted and stored apart from the report. Only a member of the team handling the case can see them, after giving a written reason and being approved by an identity custodian; each approval lasts 24 hours. The custodian sees the request and its reason, never the identity. Every step is recorded in the audit trail.
privacy-access-accused = The person accused is told what the denunciation says, never who made it.
privacy-access-leadership = Leadership sees only figures (numbers, handling times, outcomes), never a report's content or anyone's identity; for small units, counts from 1 to 4 are withheld so that nobody can be singled out.
privacy-access-others = Admins manage accounts and reference lists; auditors read the audit trail, which holds no report content and no identity. Neither can open a report.
privacy-retention-title = How long your data are kept
privacy-retention-lead = A case's personal data are kept while it is being handled. Once the case is closed, they are kept for the period below, depending on its outcome:
privacy-retention-class = Kind of case
privacy-retention-period = Kept after closure for
privacy-years = { $years ->
    [one] { $years } year
   *[other] { $years } years
}
privacy-retention-purge = When the period ends, the data are erased for good: the report's own encryption key is destroyed, its evidence files deleted, and its content, messages and identity can no longer be read by anyone. Only what the statistics need is kept (dates, unit, kind of violation, outcome). The team leads are warned { $days } days before; the erasure is put off only when the law requires the file to be kept (for example while a competent authority is examining it), with the reason recorded.
privacy-retention-basis = The periods follow archive practice for complaint and denunciation files and may be changed by the unit; this page always shows the periods in force.
privacy-rights-title = Your rights
privacy-rights-lead = Under the Law on Personal Data Protection, you have the right to:
privacy-right-see = See the personal data the portal holds about you: the identity details you gave and the list of files you sent.
privacy-right-correct = Correct your contact details (name, address, phone number) when they are wrong or have changed.
privacy-right-withdraw = Withdraw your identity (withdraw your consent): your name, address and phone number are erased for good and the case continues as an anonymous tip; the team is told only that the identity was withdrawn.
privacy-right-ask = Be told about, and ask about, how your data are processed, object to it or complain about it.
privacy-rights-how = How: open Follow up, enter your receipt code, then choose "My data". The receipt code is the only proof that the report is yours: the portal does not store it, and if you lose it nobody, EVN included, can recover it.
privacy-rights-never-share = Never give your receipt code to anyone, EVN staff included. For general questions about how data are processed, write to the contact below without mentioning your code.
privacy-rights-follow-up = Follow up
privacy-rights-my-data = My data
privacy-evidence-title = Evidence files may carry your own data
privacy-evidence-text = Photos, recordings, videos and documents can show your face, voice, number plate, home or location, and those of other people. Please send only what the report needs.
privacy-evidence-photos = For photos (JPEG, PNG, WebP, HEIC) the portal makes a copy without the hidden data in the file (GPS location, device, time taken), and inspectors see that copy; the original can be downloaded only with an identity custodian's approval. What the picture itself shows (faces, number plates) is not removed.
privacy-evidence-documents = Documents, recordings and videos keep the hidden data inside them (author name, device, location); remove it before sending if you do not want to share it.
privacy-evidence-encrypted = Every file is encrypted while it uploads, before anything is written to disk.
privacy-contact-title = Contact
privacy-contact-text = Please send any question, request or complaint about personal data to: { $contact }.
privacy-contact-authority = You may also complain to the authority in charge of personal data protection: the Department of Cyber Security and High-Tech Crime Prevention (A05), Ministry of Public Security.
privacy-version-title = Version
privacy-version-text = Notice version { $version }, in force from { $date }. When you consent to send a named denunciation, the portal records this version and the day.

# /admin/privacy
admin-privacy-title = Record of processing activities
admin-privacy-lead = The record of the portal's processing of personal data under the Law on Personal Data Protection No. 91/2025/QH15, as it stands for the version of the software running. Its source is in the code (docs/privacy/record-of-processing.md), beside the impact assessment and the breach runbook.
admin-privacy-retention-title = Retention periods in force
admin-privacy-retention-lead = Read from the running configuration ([default.retention]); years count from the day the case closed. Team leads are warned { $days } days before a case's data are erased.
admin-privacy-class = Kind of case
admin-privacy-years = Period
admin-privacy-setting = Setting
admin-privacy-notice = Public notice at /privacy: version { $version }, in force from { $date }.
admin-privacy-notice-link = Read the public notice
admin-privacy-document = Record of processing
