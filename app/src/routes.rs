//! What each part of the product declares about its addresses, merged here for the
//! server: which pages and server functions stay open to someone who still has an
//! Acceptable Use Policy to sign, and the extra routes (downloads) a part serves.
//! `server/` asks this module and names no product path itself.

/// One part's declarations. A path ending in `/` is a prefix; any other is exact.
pub struct PartRoutes {
    /// Pages (GET) open before signing.
    pub pages_open_before_signing: &'static [&'static str],
    /// Server functions (`/api/NAME`) open before signing; `auth/` covers all of `auth/*`.
    pub functions_open_before_signing: &'static [&'static str],
}

/// Every part, in no particular order.
const PARTS: [&PartRoutes; 5] = [
    &crate::auth::ROUTES,
    &crate::policies::ROUTES,
    &crate::learning::ROUTES,
    &crate::safe_internet::ROUTES,
    &SITE,
];

/// The site's own files and health check.
const SITE: PartRoutes = PartRoutes {
    pages_open_before_signing: &["/pkg/", "/healthz", "/favicon.ico"],
    functions_open_before_signing: &[],
};

fn matches(patterns: &[&str], path: &str) -> bool {
    patterns.iter().any(|p| {
        if p.ends_with('/') {
            path.starts_with(p)
        } else {
            path == *p
        }
    })
}

/// Whether a page at `path` opens for someone who still has a policy to sign.
pub fn page_open_before_signing(path: &str) -> bool {
    PARTS
        .iter()
        .any(|part| matches(part.pages_open_before_signing, path))
}

/// Whether the server function `name` (the part of the path after `/api/`) may be
/// called by someone who still has a policy to sign.
pub fn function_open_before_signing(name: &str) -> bool {
    PARTS
        .iter()
        .any(|part| matches(part.functions_open_before_signing, name))
}

/// Routes the parts serve outside the pages and server functions (downloads).
#[cfg(feature = "ssr")]
pub fn extra_routes() -> axum::Router<crate::state::AppState> {
    crate::policies::download_routes()
        .merge(crate::training::download_routes())
        .merge(crate::training::evidence::download_routes())
        .merge(crate::courses::routes())
        .merge(crate::cohorts::export::routes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policies_and_public_pages_stay_open_and_the_rest_waits() {
        for open in [
            "/policies",
            "/policies/sign/learner",
            "/policies/signed/abc",
            "/policies/check/abc",
            "/admin/policies/drafts/x",
            "/account",
            "/login",
            "/safe-internet",
            "/o/demo/safe-internet",
            "/verify/ABCD-EFGH-JKLM",
            "/parent/token",
            "/pkg/esafety.css",
        ] {
            assert!(page_open_before_signing(open), "{open}");
        }
        for gated in [
            "/home",
            "/induction",
            "/policies/report",
            "/policies/parents/x",
            "/admin/users",
            "/policiesx",
            "/accounts",
        ] {
            assert!(!page_open_before_signing(gated), "{gated}");
        }
        for open in [
            "auth/sign_out",
            "policies/sign",
            "policies/to_sign",
            "parent/acknowledge",
        ] {
            assert!(function_open_before_signing(open), "{open}");
        }
        for gated in [
            "learning/submit",
            "learning/quiz",
            "admin/invite_user",
            "policies/report",
        ] {
            assert!(!function_open_before_signing(gated), "{gated}");
        }
    }
}
