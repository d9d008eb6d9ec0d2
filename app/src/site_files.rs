//! The built site's static files (stylesheet, script, WebAssembly), read once at start and
//! served from memory under names that carry a hash of their content.
//!
//! A hashed name never changes meaning, so browsers keep it for a year without asking
//! again; a new build gives new names. The script and the WebAssembly share one hash (of
//! both), because the framework names them from one stem (`output_name`). Brotli and gzip
//! copies are made at build time (`cargo leptos build --release --precompress`) and used
//! only when written after the file they compress (a stale copy is never served). The
//! plain names keep working, asked again each time (`no-cache`, answered 304 when
//! unchanged), for anything that still names them.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The stem the framework gives the script and the WebAssembly.
const STEM: &str = "esafety";

/// One file, ready to send.
pub struct SiteFile {
    pub content_type: &'static str,
    pub body: Arc<[u8]>,
    pub brotli: Option<Arc<[u8]>>,
    pub gzip: Option<Arc<[u8]>>,
    /// A quoted strong validator: the content hash.
    pub etag: String,
    /// Named by its content: cached for a year, never revalidated.
    pub immutable: bool,
}

#[derive(Default)]
pub struct SiteFiles {
    files: HashMap<String, Arc<SiteFile>>,
    stylesheet: Option<String>,
    script_stem: Option<String>,
}

impl SiteFiles {
    /// Every file in `pkg_dir`; none when the folder does not exist (a server built
    /// without its front end, as in the API tests), so pages still name the plain files.
    pub fn load(pkg_dir: &Path) -> std::io::Result<SiteFiles> {
        let mut plain: HashMap<String, Vec<u8>> = HashMap::new();
        match read_tree(pkg_dir, "", &mut plain) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SiteFiles::default()),
            other => other?,
        }
        let mut site = SiteFiles::default();
        let script_hash = site.script_hash(&plain);
        for (name, body) in plain {
            let brotli = fresh_copy(pkg_dir, &name, "br")?;
            let gzip = fresh_copy(pkg_dir, &name, "gz")?;
            let hash = short_hash(&[&body]);
            let hashed = match (name.as_str(), &script_hash) {
                ("esafety.css", _) => Some(format!("{STEM}.{hash}.css")),
                (n, Some(h)) if n == format!("{STEM}.js") => Some(format!("{STEM}.{h}.js")),
                (n, Some(h)) if n == wasm_name(STEM) => Some(wasm_name(&format!("{STEM}.{h}"))),
                _ => None,
            };
            let file = |immutable| {
                Arc::new(SiteFile {
                    content_type: content_type(&name),
                    body: body.clone().into(),
                    brotli: brotli.clone(),
                    gzip: gzip.clone(),
                    etag: format!("\"{hash}\""),
                    immutable,
                })
            };
            if let Some(hashed) = hashed {
                if name.ends_with(".css") {
                    site.stylesheet = Some(format!("/pkg/{hashed}"));
                }
                site.files.insert(hashed, file(true));
            }
            site.files.insert(name.clone(), file(false));
        }
        Ok(site)
    }

    /// The script and WebAssembly hash, when both are there.
    fn script_hash(&mut self, plain: &HashMap<String, Vec<u8>>) -> Option<String> {
        let js = plain.get(&format!("{STEM}.js"))?;
        let wasm = plain.get(&wasm_name(STEM))?;
        let hash = short_hash(&[js, wasm]);
        self.script_stem = Some(format!("{STEM}.{hash}"));
        Some(hash)
    }

    /// A file by its name under `/pkg/`.
    pub fn get(&self, name: &str) -> Option<Arc<SiteFile>> {
        self.files.get(name).cloned()
    }

    /// The stylesheet's address for pages to link to.
    pub fn stylesheet_href(&self) -> &str {
        self.stylesheet.as_deref().unwrap_or("/pkg/esafety.css")
    }

    /// The stem the framework names the script and WebAssembly from (`output_name`).
    pub fn script_stem(&self) -> &str {
        self.script_stem.as_deref().unwrap_or(STEM)
    }
}

/// Every file under `dir` (wasm-bindgen puts inline scripts in `snippets/…`), by its path
/// under the top folder; compressed copies are read beside the file they compress.
fn read_tree(
    dir: &Path,
    prefix: &str,
    files: &mut HashMap<String, Vec<u8>>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let name = format!("{prefix}{name}");
        if path.is_dir() {
            read_tree(&path, &format!("{name}/"), files)?;
        } else if !name.ends_with(".br") && !name.ends_with(".gz") {
            files.insert(name, std::fs::read(&path)?);
        }
    }
    Ok(())
}

/// The framework's name for the WebAssembly of `stem`: `stem.wasm` when built by
/// cargo-leptos (which sets LEPTOS_OUTPUT_NAME), else wasm-bindgen's `stem_bg.wasm`.
fn wasm_name(stem: &str) -> String {
    if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        format!("{stem}.wasm")
    } else {
        format!("{stem}_bg.wasm")
    }
}

/// `name.ext` beside `name`, if it was written no earlier than `name` itself.
fn fresh_copy(dir: &Path, name: &str, ext: &str) -> std::io::Result<Option<Arc<[u8]>>> {
    let copy = dir.join(format!("{name}.{ext}"));
    let (Ok(copy_meta), Ok(meta)) = (std::fs::metadata(&copy), std::fs::metadata(dir.join(name)))
    else {
        return Ok(None);
    };
    if copy_meta.modified()? < meta.modified()? {
        tracing::warn!(file = %copy.display(), "older than the file it compresses: not served");
        return Ok(None);
    }
    Ok(Some(std::fs::read(&copy)?.into()))
}

/// 16 hex digits of SHA-256 over `parts`: plenty to tell builds apart.
fn short_hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hex::encode(&hasher.finalize()[..8])
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &[u8]) {
        std::fs::write(dir.join(name), body).unwrap();
    }

    #[test]
    fn files_get_content_names_and_plain_names_stay() {
        let dir = tempdir("names");
        write(&dir, "esafety.css", b"body{color:#000}");
        write(&dir, "esafety.js", b"export default 1");
        write(&dir, &wasm_name(STEM), b"\0asm");
        let site = SiteFiles::load(&dir).unwrap();

        let css = site.stylesheet_href().strip_prefix("/pkg/").unwrap();
        assert!(css.starts_with("esafety.") && css.ends_with(".css") && css.len() > 20);
        assert!(site.get(css).unwrap().immutable);
        assert!(!site.get("esafety.css").unwrap().immutable);
        assert_eq!(&*site.get(css).unwrap().body, b"body{color:#000}");
        let stem = site.script_stem();
        assert_ne!(stem, STEM);
        assert_eq!(
            &*site.get(&format!("{stem}.js")).unwrap().body,
            b"export default 1"
        );
        assert!(site.get(&wasm_name(stem)).unwrap().immutable);

        // A change to the script changes both names; the stylesheet's stays.
        write(&dir, "esafety.js", b"export default 2");
        let again = SiteFiles::load(&dir).unwrap();
        assert_ne!(again.script_stem(), stem);
        assert_eq!(again.stylesheet_href(), site.stylesheet_href());
    }

    #[test]
    fn compressed_copies_are_used_only_when_fresh() {
        let dir = tempdir("fresh");
        write(&dir, "esafety.css", b"a{}");
        write(&dir, "esafety.css.br", b"brotli bytes");
        let site = SiteFiles::load(&dir).unwrap();
        assert_eq!(
            site.get("esafety.css").unwrap().brotli.as_deref(),
            Some(&b"brotli bytes"[..])
        );
        assert!(site.get("esafety.css").unwrap().gzip.is_none());
        assert!(site.get("esafety.css.br").is_none());

        // Files in folders (wasm-bindgen's snippets) are served by their path.
        std::fs::create_dir_all(dir.join("snippets/app-1")).unwrap();
        write(
            &dir.join("snippets/app-1"),
            "inline0.js",
            b"export const x = 1;",
        );
        let site = SiteFiles::load(&dir).unwrap();
        assert_eq!(
            &*site.get("snippets/app-1/inline0.js").unwrap().body,
            b"export const x = 1;"
        );

        // The stylesheet rebuilt after its copy was made: the copy is stale.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&dir, "esafety.css", b"b{}");
        let site = SiteFiles::load(&dir).unwrap();
        assert!(site.get("esafety.css").unwrap().brotli.is_none());
    }

    #[test]
    fn no_folder_means_plain_names() {
        let site = SiteFiles::load(Path::new("/nonexistent/esafety/pkg")).unwrap();
        assert_eq!(site.stylesheet_href(), "/pkg/esafety.css");
        assert_eq!(site.script_stem(), "esafety");
        assert!(site.get("esafety.css").is_none());
    }

    fn tempdir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("esafety-site-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
