//! Certificate files: what kind a file is (read from its first bytes, never from its name
//! or the browser's word), a name that is safe to keep and to send back, and its hash.
//! Pure functions, tested here.

use sha2::{Digest, Sha256};

/// The kinds of certificate file accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Pdf, FileKind::Png, FileKind::Jpeg];

    /// The kind the file's first bytes say it is, if it is one we take.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(PNG_SIGNATURE) {
            Some(FileKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else {
            None
        }
    }

    /// The stored and served `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }

    pub fn from_content_type(stored: &str) -> Option<FileKind> {
        Self::ALL.into_iter().find(|k| k.content_type() == stored)
    }

    fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
        }
    }
}

/// The most characters of a file name kept.
const MAX_NAME_CHARS: usize = 150;

/// The file name as uploaded, without any folder (`C:\Users\me\scan.pdf` is `scan.pdf`),
/// control characters or leading dots, and not too long; "certificate" when nothing is left.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String = last.chars().filter(|c| !c.is_control()).collect();
    let kept = kept.trim().trim_start_matches('.').trim();
    let kept: String = kept.chars().take(MAX_NAME_CHARS).collect();
    if kept.trim().is_empty() {
        "certificate".to_string()
    } else {
        kept.trim().to_string()
    }
}

/// The name a download is saved under: the stored name with the extension of the kind
/// the file really is (a PDF uploaded as `scan.jpg` downloads as `scan.pdf`, so it opens
/// in the right program).
pub fn download_name(stored: &str, kind: FileKind) -> String {
    let stem = match stored.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem,
        _ => stored,
    };
    format!("{}.{}", stem.trim(), kind.extension())
}

/// Everything but letters, digits and `-._` is percent-encoded in `filename*`.
const FILENAME_STAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// `Content-Disposition` for a download: always an attachment, with a plain-ASCII
/// `filename` (anything else becomes `_`, so no quote or line break can get in) and the
/// full name in `filename*` (RFC 6266) for browsers that read it.
pub fn content_disposition(stored: &str, kind: FileKind) -> String {
    let name = download_name(stored, kind);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " -._()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(&name, FILENAME_STAR);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The file's SHA-256, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_first_bytes() {
        assert_eq!(FileKind::sniff(b"%PDF-1.4\n..."), Some(FileKind::Pdf));
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileKind::Png)
        );
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(FileKind::Jpeg)
        );
        for refused in [
            &b"MZ\x90\0"[..],
            b"\x7fELF\x02\x01",
            b"<html><script>",
            b"PDF-1.4",
            b"\x89PNG",
            &[0xFF, 0xD8],
            b"",
        ] {
            assert_eq!(FileKind::sniff(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn stored_types_round_trip() {
        for kind in FileKind::ALL {
            assert_eq!(FileKind::from_content_type(kind.content_type()), Some(kind));
        }
        assert_eq!(FileKind::from_content_type("text/html"), None);
    }

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\me\\scan.pdf"), "scan.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\r\nb\0.pdf"), "ab.pdf");
        assert_eq!(clean_file_name(".hidden.png"), "hidden.png");
        assert_eq!(clean_file_name("folder/"), "certificate");
        assert_eq!(clean_file_name(""), "certificate");
        assert_eq!(clean_file_name(&"x".repeat(400)).chars().count(), 150);
        assert_eq!(
            clean_file_name("Zoë's certificate.pdf"),
            "Zoë's certificate.pdf"
        );
    }

    #[test]
    fn downloads_are_named_for_what_they_are() {
        assert_eq!(download_name("scan.jpg", FileKind::Pdf), "scan.pdf");
        assert_eq!(download_name("scan", FileKind::Png), "scan.png");
        assert_eq!(download_name("a.b.jpeg", FileKind::Jpeg), "a.b.jpg");
        assert_eq!(
            content_disposition("Zoë \"quoted\".pdf", FileKind::Pdf),
            "attachment; filename=\"Zo_ _quoted_.pdf\"; filename*=UTF-8''Zo%C3%AB%20%22quoted%22.pdf"
        );
    }

    #[test]
    fn the_hash_is_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
