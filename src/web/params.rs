//! Typed ids as path parameters: `/cases/<id>` with `id: CaseId` refuses anything but a positive
//! number before the handler runs, so a handler's signature says what kind of record it reads.

use rocket::request::FromParam;

use crate::domain::ids::*;

macro_rules! from_param {
    ($($name:ident),* $(,)?) => {$(
        impl<'a> FromParam<'a> for $name {
            type Error = &'a str;

            fn from_param(param: &'a str) -> Result<Self, Self::Error> {
                $name::parse(param).ok_or(param)
            }
        }
    )*};
}

from_param!(
    CaseId,
    FileId,
    UnitId,
    UserId,
    TeamId,
    CategoryId,
    ArticleId,
    ChapterId,
    StaffId,
    RuleId,
    ReplyId,
    MeasureId,
    LabourRuleId,
    HolidayId,
    IdentityRequestId,
    FindingId,
    DecisionId,
    SessionId,
    OriginalRequestId,
    NotificationId,
    ApiTokenId,
    ApiScopeRequestId,
);
