//! The two kinds of path the address book relates, as types of their own, so one can never be
//! passed where the other is meant.

use std::borrow::Borrow;
use std::fmt;

/// A content file's path within its language's content tree, `/`-separated: `a/b.md`,
/// `_index.md` (the file `content/zh/a/b.md` of a Chinese page is `a/b.md`). It names a page
/// in the address book (`Site::links`), which maps it to an [`OutputPath`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct ContentPath(String);

/// A path under the output folder, `/`-separated: `zh/a/b/index.html`, `charts/x.en.svg`.
/// What the build writes there, and what links between output files are made relative from
/// and to:
///
/// ```no_run
/// # let site = explainer::Site::load("my-site".as_ref(), &Default::default())?;
/// let (a, b) = (&site.pages[0], &site.pages[1]);
/// let href = site.links.relative(&a.output, &b.output); // "../b/index.html"
/// # Ok::<(), explainer::Error>(())
/// ```
///
/// A content path is not an output path (`a/b.md` is written to `a/b/index.html`, or
/// `zh/a/b/index.html` for a Chinese page), and cannot be passed as one:
///
/// ```compile_fail,E0308
/// # let site = explainer::Site::load("my-site".as_ref(), &Default::default())?;
/// let page = &site.pages[0];
/// let href = site.links.relative(&page.output, &page.rel);
/// # Ok::<(), explainer::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct OutputPath(String);

macro_rules! path_type {
    ($t:ident) => {
        impl $t {
            /// The path as written, `/`-separated.
            pub fn new(path: impl Into<String>) -> $t {
                $t(path.into())
            }

            /// The path as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Maps keyed by the path can be searched with a `&str` made while resolving a link.
        impl Borrow<str> for $t {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

path_type!(ContentPath);
path_type!(OutputPath);

impl From<OutputPath> for String {
    fn from(path: OutputPath) -> String {
        path.0
    }
}
