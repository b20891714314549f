//! `explainer check`: the site loaded, rendered and checked in memory (nothing is written), and,
//! on request, its external links fetched.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::Report;
use crate::error::{Error, Location};
use crate::pipeline;
use crate::site::{LoadOptions, Site};

/// What was checked, and what was found.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Pages checked.
    pub pages: usize,
    /// What the check found.
    pub report: Report,
}

/// Load, render and check the site at `root` without writing anything. Errors that stop a
/// build (bad front matter, unknown shortcodes, template errors) come back as `Err`.
pub fn check_site(root: &Path, opts: &LoadOptions) -> Result<Checked, Error> {
    let site = Site::load(root, opts)?;
    let rendered = pipeline::render(&site)?;
    Ok(Checked {
        pages: site.pages.len(),
        report: rendered.report,
    })
}

/// What fetching one external URL found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx or 3xx (redirects are followed).
    Ok(u16),
    /// The server answered with an error status.
    Status(u16),
    /// No answer: no network, unknown host, refused, timed out, bad TLS…
    Unreachable(String),
}

#[derive(Debug, Clone)]
pub struct ExternalCheck {
    pub url: String,
    pub at: Location,
    pub outcome: Outcome,
}

impl ExternalCheck {
    pub fn is_ok(&self) -> bool {
        matches!(self.outcome, Outcome::Ok(_))
    }

    /// `error: content/a.md:3:5: external link `…`: …` for failures.
    pub fn message(&self) -> String {
        match &self.outcome {
            Outcome::Ok(code) => format!("ok {code} {}", self.url),
            Outcome::Status(code) => format!(
                "error: {}: external link `{}` answers {code}",
                self.at, self.url
            ),
            Outcome::Unreachable(why) => format!(
                "error: {}: external link `{}` could not be reached ({why}); no network, or the host is down",
                self.at, self.url
            ),
        }
    }
}

/// Fetch every URL (HEAD, then GET if HEAD is refused), `parallel` at a time, each within
/// `timeout`. Results come back in the order given.
pub fn check_external(
    links: &[(String, Location)],
    timeout: Duration,
    parallel: usize,
) -> Vec<ExternalCheck> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout.min(Duration::from_secs(5))))
        .max_redirects(5)
        .user_agent(concat!("explainer-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<ExternalCheck>>> = Mutex::new(vec![None; links.len()]);
    std::thread::scope(|s| {
        for _ in 0..parallel.clamp(1, links.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((url, at)) = links.get(i) else {
                        break;
                    };
                    let outcome = fetch(&agent, url);
                    results.lock().expect("results lock")[i] = Some(ExternalCheck {
                        url: url.clone(),
                        at: at.clone(),
                        outcome,
                    });
                }
            });
        }
    });
    results
        .into_inner()
        .expect("results lock")
        .into_iter()
        .map(|r| r.expect("every URL checked"))
        .collect()
}

fn fetch(agent: &ureq::Agent, url: &str) -> Outcome {
    let url = if let Some(rest) = url.strip_prefix("//") {
        format!("https://{rest}")
    } else {
        url.to_string()
    };
    // Fragments are for the browser.
    let url = url.split('#').next().unwrap_or("").to_string();
    match agent.head(&url).call() {
        Ok(r) if r.status().as_u16() < 400 => Outcome::Ok(r.status().as_u16()),
        // Some servers refuse HEAD (405, 403, 404 from badly configured hosts): ask with GET.
        Ok(_) => match agent.get(&url).call() {
            Ok(r) if r.status().as_u16() < 400 => Outcome::Ok(r.status().as_u16()),
            Ok(r) => Outcome::Status(r.status().as_u16()),
            Err(e) => Outcome::Unreachable(e.to_string()),
        },
        Err(e) => Outcome::Unreachable(e.to_string()),
    }
}
