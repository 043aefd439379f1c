# Administration and audit (English). Keys must match locales/vi/admin.ftl.

admin-users-title = Users
admin-teams-title = Inspection teams
admin-units-title = Org units
admin-categories-title = Violation categories
admin-articles-title = Culture code
audit-title = Audit trail
