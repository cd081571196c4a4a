//! A teacher's uploaded evidence files.

use super::*;

/// One of a teacher's uploads, as the evidence page lists it.
#[derive(sqlx::FromRow)]
struct UploadRow {
    id: i64,
    file_name: String,
    media_type: String,
    size: i64,
}

/// A teacher's uploaded files, newest first.
pub async fn list_uploads(db: &Db, user_id: UserId) -> anyhow::Result<Vec<Material>> {
    let rows: Vec<UploadRow> = sqlx::query_as(
        "SELECT u.id, u.file_name, b.media_type, b.size FROM uploads u \
         JOIN upload_blobs b ON b.sha256 = u.sha256 WHERE u.user_id = $1 ORDER BY u.id DESC",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("uploads")?;
    rows.into_iter()
        .map(|r| {
            let size = r.size;
            // The column only holds these three (a CHECK in the schema).
            let kind = match r.media_type.as_str() {
                "application/pdf" => "PDF",
                "image/png" => "PNG image",
                _ => "JPEG image",
            };
            #[allow(clippy::cast_precision_loss)]
            let detail = if size >= 1024 * 1024 {
                format!("{kind}, {:.1} MB", size as f64 / (1024.0 * 1024.0))
            } else {
                format!("{kind}, {} KB", (size + 1023) / 1024)
            };
            Ok(Material {
                id: r.id,
                title: r.file_name,
                detail,
            })
        })
        .collect()
}

/// Stores an uploaded file (content-addressed: the same bytes are kept once) for a teacher;
/// answers the upload's id.
pub async fn store_upload(
    db: &Db,
    user_id: i64,
    file_name: &str,
    media_type: &str,
    bytes: &[u8],
) -> anyhow::Result<i64> {
    use sha2::Digest as _;
    let sha: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    sqlx::query(
        "INSERT INTO upload_blobs (sha256, media_type, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha)
    .bind(media_type)
    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
    .bind(bytes)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("store blob")?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO uploads (user_id, sha256, file_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(&sha)
    .bind(file_name)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .context("store upload")?;
    tx.commit().await.context("commit")?;
    Ok(id)
}

/// An upload's bytes for someone allowed to see it: its owner, or an assessor or coordinator
/// of the cohort of a submitted (not draft) submission that offers it (an admin counts as
/// coordinator everywhere).
pub async fn read_upload(
    db: &Db,
    viewer: i64,
    viewer_is_admin: bool,
    upload_id: i64,
) -> anyhow::Result<Option<UploadFile>> {
    sqlx::query_as(
        "SELECT u.file_name, b.media_type, b.bytes FROM uploads u JOIN upload_blobs b ON b.sha256 = u.sha256 \
         WHERE u.id = $1 AND (u.user_id = $2 OR EXISTS ( \
             SELECT 1 FROM submission_evidence e JOIN submissions s ON s.id = e.submission_id \
             WHERE e.upload_id = u.id AND s.status <> 'draft' AND s.user_id <> $2 AND ($3 = 1 OR s.cohort_id IN ( \
                 SELECT cohort_id FROM memberships WHERE user_id = $2 AND role IN ('assessor', 'coordinator')))))",
    )
    .bind(upload_id)
    .bind(viewer)
    .bind(i64::from(viewer_is_admin))
    .fetch_optional(db.pool())
    .await
    .with_context(|| format!("read upload {upload_id}"))
}

/// An uploaded file as served.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UploadFile {
    /// The name it was uploaded with.
    pub file_name: String,
    /// Its type, sniffed from the bytes at upload.
    pub media_type: String,
    /// The file.
    pub bytes: Vec<u8>,
}
