//! Incomplete multipart uploads in an S3-compatible store. A process that dies while streaming
//! an upload leaves its parts in the bucket: they are stored (and billed) but listing objects
//! does not show them, so the orphan sweep cannot see them. `object_store` can abort an upload
//! but not list them, so the listing (`GET /<bucket>?uploads&prefix=evidence/`) is sent here,
//! presigned by the store's own credentials, and uploads initiated before the sweep's cutoff
//! are aborted. A bucket lifecycle rule (`AbortIncompleteMultipartUpload`) is the belt to this
//! pair of braces; README, "Running several nodes".

use chrono::{DateTime, Utc};
use object_store::multipart::MultipartStore;
use object_store::path::Path as ObjectPath;
use object_store::signer::{SignedUrlOptions, Signer};

use super::store::{EvidenceStore, StoreError};

/// One incomplete upload as the listing names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    pub key: String,
    pub upload_id: String,
    pub initiated: Option<DateTime<Utc>>,
}

/// Aborts the store's incomplete uploads under `evidence/` initiated at or before `cutoff`.
/// Returns how many went; 0 for a store that is not S3.
pub async fn abort_stale(
    store: &EvidenceStore,
    cutoff: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let Some(s3) = store.s3() else {
        return Ok(0);
    };
    let mut aborted = 0;
    for upload in list(store).await? {
        // An upload whose start the listing does not say is left alone.
        if upload.initiated.is_some_and(|at| at <= cutoff) {
            s3.abort_multipart(&ObjectPath::from(upload.key.as_str()), &upload.upload_id)
                .await?;
            aborted += 1;
        }
    }
    Ok(aborted)
}

/// Every incomplete upload under `evidence/`, page by page.
pub async fn list(store: &EvidenceStore) -> Result<Vec<Unfinished>, StoreError> {
    let Some(s3) = store.s3() else {
        return Ok(Vec::new());
    };
    let prefix = format!("{}/", EvidenceStore::PREFIX);
    let mut out = Vec::new();
    let mut markers: Option<(String, String)> = None;
    loop {
        let mut query = vec![("uploads", String::new()), ("prefix", prefix.clone())];
        if let Some((key, id)) = &markers {
            query.push(("key-marker", key.clone()));
            query.push(("upload-id-marker", id.clone()));
        }
        let options = SignedUrlOptions::default().with_query(query);
        let url = s3
            .signed_url_opts(
                reqwest::Method::GET,
                &ObjectPath::from(""),
                std::time::Duration::from_secs(300),
                &options,
            )
            .await?;
        let body = fetch(url.as_str()).await?;
        out.extend(parse_uploads(&body));
        match (
            tag(&body, "IsTruncated").as_deref(),
            tag(&body, "NextKeyMarker"),
            tag(&body, "NextUploadIdMarker"),
        ) {
            (Some("true"), Some(key), Some(id)) if !key.is_empty() => markers = Some((key, id)),
            _ => return Ok(out),
        }
    }
}

async fn fetch(url: &str) -> Result<String, StoreError> {
    let failed = |e: String| {
        StoreError::Store(object_store::Error::Generic {
            store: "S3",
            source: format!("listing incomplete uploads: {e}").into(),
        })
    };
    let response = reqwest::get(url).await.map_err(|e| failed(e.to_string()))?;
    let status = response.status();
    let body = response.text().await.map_err(|e| failed(e.to_string()))?;
    if !status.is_success() {
        return Err(failed(format!("HTTP {status}")));
    }
    Ok(body)
}

/// The `<Upload>` elements of a `ListMultipartUploadsResult`.
pub fn parse_uploads(xml: &str) -> Vec<Unfinished> {
    xml.split("<Upload>")
        .skip(1)
        .filter_map(|part| {
            let part = part.split("</Upload>").next()?;
            Some(Unfinished {
                key: unescape(&tag(part, "Key")?),
                upload_id: unescape(&tag(part, "UploadId")?),
                initiated: tag(part, "Initiated")
                    .and_then(|at| DateTime::parse_from_rfc3339(&at).ok())
                    .map(|at| at.with_timezone(&Utc)),
            })
        })
        .collect()
}

fn tag(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].to_string())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_of_incomplete_uploads_is_read() {
        let xml = "<?xml version=\"1.0\"?><ListMultipartUploadsResult><Bucket>b</Bucket>\
                   <IsTruncated>false</IsTruncated><Upload><Key>evidence/abc</Key>\
                   <UploadId>id&amp;1</UploadId><Initiated>2026-12-07T10:00:00.000Z</Initiated>\
                   </Upload><Upload><Key>evidence/def</Key><UploadId>2</UploadId></Upload>\
                   </ListMultipartUploadsResult>";
        let uploads = parse_uploads(xml);
        assert_eq!(uploads.len(), 2);
        assert_eq!(uploads[0].key, "evidence/abc");
        assert_eq!(uploads[0].upload_id, "id&1");
        assert_eq!(
            uploads[0].initiated.unwrap().to_rfc3339(),
            "2026-12-07T10:00:00+00:00"
        );
        assert_eq!(uploads[1].initiated, None);
        assert_eq!(tag(xml, "IsTruncated").as_deref(), Some("false"));
    }
}
