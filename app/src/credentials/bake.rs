//! Open Badges 3.0 baking (OB 3.0 §5.3): the credential carried inside the badge image.
//!
//! * PNG: one `iTXt` chunk with keyword `openbadgecredential`, uncompressed, holding the JSON.
//! * SVG: an `<openbadges:credential>` element (namespace `https://purl.imsglobal.org/ob/v3p0`)
//!   as the first child of `<svg>`, with the JSON in CDATA.

use std::fmt;

/// Largest image accepted for extraction.
pub const MAX_INPUT: usize = 10 * 1024 * 1024;
/// Largest credential accepted from an image.
pub const MAX_CREDENTIAL: usize = 1024 * 1024;
/// The iTXt keyword.
pub const KEYWORD: &str = "openbadgecredential";
/// The OB 3.0 XML namespace for SVG baking.
pub const SVG_NAMESPACE: &str = "https://purl.imsglobal.org/ob/v3p0";

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// Why a badge could not be baked or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BakeError {
    /// Neither PNG, SVG nor JSON.
    NotSupported,
    /// The image carries no credential.
    NoCredential,
    /// The file is damaged (bad chunk, bad encoding, more than one credential…); says what.
    Damaged(String),
    /// Over the size limits.
    TooLarge,
    /// An Open Badges 2.0 badge image (PNG keyword `openbadges`, SVG `<openbadges:assertion>`).
    OpenBadges2,
}

impl fmt::Display for BakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotSupported => f.write_str("not a PNG, SVG or JSON file"),
            Self::NoCredential => f.write_str("this image carries no Open Badges credential"),
            Self::Damaged(what) => write!(f, "the file is damaged: {what}"),
            Self::TooLarge => f.write_str("the file is too large"),
            Self::OpenBadges2 => f.write_str("this is an Open Badges 2.0 badge image"),
        }
    }
}

impl std::error::Error for BakeError {}

struct Chunk<'a> {
    kind: [u8; 4],
    data: &'a [u8],
    /// Byte range of the whole chunk (length, type, data, CRC) in the file.
    start: usize,
    end: usize,
}

fn chunks(png: &[u8]) -> Result<Vec<Chunk<'_>>, BakeError> {
    if !png.starts_with(&PNG_SIGNATURE) {
        return Err(BakeError::NotSupported);
    }
    let mut out = Vec::new();
    let mut at = PNG_SIGNATURE.len();
    while at < png.len() {
        let header = png
            .get(at..at + 8)
            .ok_or_else(|| BakeError::Damaged("a PNG chunk is cut short".into()))?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let len = usize::try_from(len).map_err(|_| BakeError::Damaged("chunk length".into()))?;
        let kind = [header[4], header[5], header[6], header[7]];
        let data_end = at
            .checked_add(8 + len)
            .filter(|e| e + 4 <= png.len())
            .ok_or_else(|| BakeError::Damaged("a PNG chunk runs past the end".into()))?;
        let data = &png[at + 8..data_end];
        let crc = u32::from_be_bytes([
            png[data_end],
            png[data_end + 1],
            png[data_end + 2],
            png[data_end + 3],
        ]);
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&kind);
        hasher.update(data);
        if hasher.finalize() != crc {
            return Err(BakeError::Damaged("a PNG chunk fails its checksum".into()));
        }
        out.push(Chunk {
            kind,
            data,
            start: at,
            end: data_end + 4,
        });
        at = data_end + 4;
        if &kind == b"IEND" {
            break;
        }
    }
    if out.first().map(|c| &c.kind) != Some(b"IHDR") {
        return Err(BakeError::Damaged(
            "the PNG does not start with IHDR".into(),
        ));
    }
    Ok(out)
}

/// A PNG chunk: length, type, data, CRC.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(kind);
    hasher.update(data);
    out.extend_from_slice(&hasher.finalize().to_be_bytes());
    out
}

/// Whether an iTXt chunk's data starts with our keyword.
fn is_credential_itxt(c: &Chunk<'_>) -> bool {
    &c.kind == b"iTXt"
        && c.data.len() > KEYWORD.len()
        && c.data.starts_with(KEYWORD.as_bytes())
        && c.data[KEYWORD.len()] == 0
}

/// An Open Badges 2.0 baked chunk: `iTXt` or `tEXt` with the keyword `openbadges` (OB 2.0,
/// "Baking Specification").
fn is_ob2_chunk(c: &Chunk<'_>) -> bool {
    (&c.kind == b"iTXt" || &c.kind == b"tEXt")
        && c.data.len() > OB2_KEYWORD.len()
        && c.data.starts_with(OB2_KEYWORD.as_bytes())
        && c.data[OB2_KEYWORD.len()] == 0
}

const OB2_KEYWORD: &str = "openbadges";

/// Bakes `credential_json` into `png`: one uncompressed `iTXt` chunk after `IHDR` (an existing
/// one is replaced).
pub fn bake_png(png: &[u8], credential_json: &str) -> Result<Vec<u8>, BakeError> {
    if png.len() > MAX_INPUT {
        return Err(BakeError::TooLarge);
    }
    let all = chunks(png)?;
    let mut data = Vec::with_capacity(credential_json.len() + KEYWORD.len() + 5);
    data.extend_from_slice(KEYWORD.as_bytes());
    // NUL, compression flag 0, method 0, empty language tag + NUL, empty translated keyword + NUL.
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    data.extend_from_slice(credential_json.as_bytes());
    let mut out = PNG_SIGNATURE.to_vec();
    for (i, c) in all.iter().enumerate() {
        if is_credential_itxt(c) {
            continue;
        }
        out.extend_from_slice(&png[c.start..c.end]);
        if i == 0 {
            out.extend(png_chunk(b"iTXt", &data));
        }
    }
    Ok(out)
}

/// The credential baked into a PNG (`None` when there is none).
pub fn extract_png(png: &[u8]) -> Result<Option<String>, BakeError> {
    if png.len() > MAX_INPUT {
        return Err(BakeError::TooLarge);
    }
    let found: Vec<Chunk<'_>> = chunks(png)?
        .into_iter()
        .filter(is_credential_itxt)
        .collect();
    let chunk = match found.as_slice() {
        [] if chunks(png)?.iter().any(is_ob2_chunk) => return Err(BakeError::OpenBadges2),
        [] => return Ok(None),
        [one] => one,
        _ => {
            return Err(BakeError::Damaged(
                "it carries more than one credential".into(),
            ))
        }
    };
    let rest = &chunk.data[KEYWORD.len() + 1..];
    let (flag, method) = match rest {
        [f, m, ..] => (*f, *m),
        _ => {
            return Err(BakeError::Damaged(
                "the credential chunk is cut short".into(),
            ))
        }
    };
    let rest = &rest[2..];
    // Language tag and translated keyword, each NUL-terminated.
    let lang_end = rest
        .iter()
        .position(|&b| b == 0)
        .ok_or_else(|| BakeError::Damaged("the credential chunk is malformed".into()))?;
    let rest = &rest[lang_end + 1..];
    let translated_end = rest
        .iter()
        .position(|&b| b == 0)
        .ok_or_else(|| BakeError::Damaged("the credential chunk is malformed".into()))?;
    let text = &rest[translated_end + 1..];
    let bytes = match (flag, method) {
        (0, _) => text.to_vec(),
        (1, 0) => miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(text, MAX_CREDENTIAL)
            .map_err(|_| BakeError::Damaged("the compressed credential cannot be read".into()))?,
        _ => return Err(BakeError::Damaged("unknown compression".into())),
    };
    if bytes.len() > MAX_CREDENTIAL {
        return Err(BakeError::TooLarge);
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| BakeError::Damaged("the credential is not UTF-8 text".into()))
}

/// CDATA sections holding `text` (a `]]>` inside is split across two sections).
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

/// Byte range of the first `<openbadges:credential …>…</openbadges:credential>` element.
fn credential_element(svg: &str) -> Option<(usize, usize)> {
    let start = svg.find("<openbadges:credential")?;
    let rest = &svg[start..];
    let open_end = rest.find('>')?;
    if rest[..open_end].ends_with('/') {
        return Some((start, start + open_end + 1));
    }
    let close = "</openbadges:credential>";
    let end = rest.find(close)?;
    Some((start, start + end + close.len()))
}

/// Bakes `credential_json` into an SVG (an existing credential element is replaced).
pub fn bake_svg(svg: &str, credential_json: &str) -> Result<String, BakeError> {
    let mut svg = svg.to_owned();
    if let Some((a, b)) = credential_element(&svg) {
        svg.replace_range(a..b, "");
    }
    let root = svg.find("<svg").ok_or(BakeError::NotSupported)?;
    let root_end = root
        + svg[root..]
            .find('>')
            .ok_or_else(|| BakeError::Damaged("the <svg> element is not closed".into()))?;
    let mut insert_at = root_end + 1;
    if !svg[root..root_end].contains("xmlns:openbadges=") {
        let attr = format!(" xmlns:openbadges=\"{SVG_NAMESPACE}\"");
        let at = if svg[..root_end].ends_with('/') {
            root_end - 1
        } else {
            root_end
        };
        svg.insert_str(at, &attr);
        insert_at += attr.len();
    }
    let element = format!(
        "<openbadges:credential>{}</openbadges:credential>",
        cdata(credential_json)
    );
    svg.insert_str(insert_at, &element);
    Ok(svg)
}

/// Text content of XML: CDATA kept as is, the five entities and numeric references decoded.
fn xml_text(content: &str) -> Result<String, BakeError> {
    let mut out = String::new();
    let mut rest = content;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("<![CDATA[") {
            let end = r
                .find("]]>")
                .ok_or_else(|| BakeError::Damaged("an unclosed CDATA section".into()))?;
            out.push_str(&r[..end]);
            rest = &r[end + 3..];
        } else if let Some(r) = rest.strip_prefix('&') {
            let end = r
                .find(';')
                .ok_or_else(|| BakeError::Damaged("a broken character reference".into()))?;
            let entity = &r[..end];
            let ch = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                e => {
                    let code = if let Some(h) = e.strip_prefix("#x") {
                        u32::from_str_radix(h, 16).ok()
                    } else if let Some(d) = e.strip_prefix('#') {
                        d.parse().ok()
                    } else {
                        None
                    };
                    code.and_then(char::from_u32).ok_or_else(|| {
                        BakeError::Damaged("an unknown character reference".into())
                    })?
                }
            };
            out.push(ch);
            rest = &r[end + 1..];
        } else {
            let next = rest
                .char_indices()
                .skip(1)
                .find(|(_, c)| *c == '<' || *c == '&')
                .map_or(rest.len(), |(i, _)| i);
            if rest.starts_with('<') && !rest.starts_with("<![CDATA[") {
                return Err(BakeError::Damaged(
                    "unexpected markup in the credential".into(),
                ));
            }
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    Ok(out)
}

/// The credential baked into an SVG (`None` when there is none).
pub fn extract_svg(svg: &str) -> Result<Option<String>, BakeError> {
    if svg.len() > MAX_INPUT {
        return Err(BakeError::TooLarge);
    }
    let Some((a, b)) = credential_element(svg) else {
        return Ok(None);
    };
    if credential_element(&svg[b..]).is_some() {
        return Err(BakeError::Damaged(
            "it carries more than one credential".into(),
        ));
    }
    let element = &svg[a..b];
    let open_end = element.find('>').unwrap_or(element.len().saturating_sub(1));
    if element[..open_end].ends_with('/') {
        return Err(BakeError::NoCredential);
    }
    let inner = &element[open_end + 1..element.len() - "</openbadges:credential>".len()];
    let text = xml_text(inner)?;
    if text.len() > MAX_CREDENTIAL {
        return Err(BakeError::TooLarge);
    }
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Err(BakeError::NoCredential);
    }
    Ok(Some(text))
}

/// The credential in an uploaded file: a baked PNG or SVG, or the JSON itself.
pub fn extract_any(bytes: &[u8]) -> Result<String, BakeError> {
    if bytes.len() > MAX_INPUT {
        return Err(BakeError::TooLarge);
    }
    if bytes.starts_with(&PNG_SIGNATURE) {
        return extract_png(bytes)?.ok_or(BakeError::NoCredential);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| BakeError::NotSupported)?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') || super::verify::is_compact_jws(text) {
        return Ok(text.trim_end().to_owned());
    }
    if text.starts_with('<') && text.contains("<svg") {
        return match extract_svg(text)? {
            Some(found) => Ok(found),
            None if text.contains("<openbadges:assertion") => Err(BakeError::OpenBadges2),
            None => Err(BakeError::NoCredential),
        };
    }
    Err(BakeError::NotSupported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_splits_its_terminator() {
        assert_eq!(cdata("a]]>b"), "<![CDATA[a]]]]><![CDATA[>b]]>");
        assert_eq!(xml_text(&cdata("a]]>b")).as_deref(), Ok("a]]>b"));
        assert_eq!(
            xml_text("{&quot;a&quot;:&#x31;}").as_deref(),
            Ok("{\"a\":1}")
        );
    }

    /// A 1×1 PNG with a text chunk after IHDR and before IDAT.
    fn tiny_png() -> Vec<u8> {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend(png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]));
        png.extend(png_chunk(b"tEXt", b"Comment\0made by hand"));
        png.extend(png_chunk(
            b"IDAT",
            &miniz_oxide::deflate::compress_to_vec_zlib(&[0, 1, 2, 3, 4], 6),
        ));
        png.extend(png_chunk(b"IEND", &[]));
        png
    }

    const JSON: &str = "{\"name\":\"Ünïcødé ]]> badge\"}";

    #[test]
    fn png_round_trip_with_one_exact_itxt_chunk() {
        let baked = bake_png(&tiny_png(), JSON).expect("bakes");
        assert_eq!(extract_png(&baked), Ok(Some(JSON.to_owned())));
        let all = chunks(&baked).expect("valid PNG");
        let kinds: Vec<&[u8; 4]> = all.iter().map(|c| &c.kind).collect();
        assert_eq!(kinds, vec![b"IHDR", b"iTXt", b"tEXt", b"IDAT", b"IEND"]);
        let mut expected = b"openbadgecredential\0\0\0\0\0".to_vec();
        expected.extend_from_slice(JSON.as_bytes());
        assert_eq!(
            all[1].data,
            &expected[..],
            "keyword, NUL, flag 0, method 0, empty tags"
        );
        // Baking again replaces the credential: still one chunk.
        let again = bake_png(&baked, "{\"second\":true}").expect("bakes");
        assert_eq!(
            extract_png(&again),
            Ok(Some("{\"second\":true}".to_owned()))
        );
        let n = chunks(&again)
            .expect("valid")
            .iter()
            .filter(|c| is_credential_itxt(c))
            .count();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_compressed_credential_from_another_issuer_is_read() {
        let mut data = b"openbadgecredential\0\x01\0en\0\0".to_vec();
        data.extend(miniz_oxide::deflate::compress_to_vec_zlib(
            JSON.as_bytes(),
            6,
        ));
        let png = tiny_png();
        let mut other = png[..33].to_vec(); // signature + IHDR
        other.extend(png_chunk(b"iTXt", &data));
        other.extend_from_slice(&png[33..]);
        assert_eq!(extract_png(&other), Ok(Some(JSON.to_owned())));
        // Two credentials in one image are refused.
        let twice = [&other[..33], &png_chunk(b"iTXt", &data)[..], &other[33..]].concat();
        assert!(matches!(extract_png(&twice), Err(BakeError::Damaged(_))));
    }

    #[test]
    fn damaged_and_empty_images_say_so() {
        assert_eq!(extract_png(&tiny_png()), Ok(None));
        let mut broken = bake_png(&tiny_png(), JSON).expect("bakes");
        let n = broken.len();
        broken[n - 20] ^= 0xff;
        assert!(matches!(extract_png(&broken), Err(BakeError::Damaged(_))));
        assert_eq!(extract_png(b"GIF89a"), Err(BakeError::NotSupported));
        assert_eq!(extract_any(b"GIF89a"), Err(BakeError::NotSupported));
        assert_eq!(extract_any(&tiny_png()), Err(BakeError::NoCredential));
        assert_eq!(
            extract_any(b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"),
            Err(BakeError::NoCredential)
        );
    }

    #[test]
    fn svg_round_trip_and_dispatch() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><circle r=\"1\"/></svg>";
        let baked = bake_svg(svg, JSON).expect("bakes");
        assert!(baked.contains("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\""));
        assert!(baked.contains("viewBox=\"0 0 1 1\" xmlns:openbadges="));
        assert!(
            baked.contains("><openbadges:credential><![CDATA["),
            "first child of <svg>"
        );
        assert_eq!(extract_svg(&baked), Ok(Some(JSON.to_owned())));
        let again = bake_svg(&baked, "{\"b\":2}").expect("bakes");
        assert_eq!(again.matches("<openbadges:credential>").count(), 1);
        assert_eq!(again.matches("xmlns:openbadges").count(), 1);
        assert_eq!(extract_any(again.as_bytes()), Ok("{\"b\":2}".to_owned()));
        assert_eq!(extract_any(b"  {\"a\":1}\n"), Ok("{\"a\":1}".to_owned()));
        let png = bake_png(&tiny_png(), JSON).expect("bakes");
        assert_eq!(extract_any(&png), Ok(JSON.to_owned()));
        // Escaped text instead of CDATA, as another tool may write it.
        let escaped = "<svg><openbadges:credential>{&quot;a&quot;:1}</openbadges:credential></svg>";
        assert_eq!(extract_svg(escaped), Ok(Some("{\"a\":1}".to_owned())));
    }
}
