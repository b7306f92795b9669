//! `--render` and the `[render]` table of `doorbell.toml`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde::Deserialize;

use super::{MAX_PAGES, MAX_TIMEOUT_S};
use crate::error::UsageError;

/// Looking through a browser. The same struct reads the `[render]` table of `doorbell.toml`
/// (`mode`, `concurrency`, `max_pages`, `budget`, `chromium`).
#[derive(Debug, Default, Clone, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RenderArgs {
    /// Also look at pages through headless Chromium, as a visitor sees them: never, auto (the
    /// pages whose HTML says a script builds their doors, and the contact pages) or always
    /// [default: never].
    #[arg(id = "render_mode", long = "render", value_enum, value_name = "WHEN")]
    pub mode: Option<crate::types::render::RenderMode>,
    /// Pages rendered at the same time [default: 2].
    #[arg(
        id = "render_concurrency",
        long = "render-concurrency",
        value_name = "N"
    )]
    pub concurrency: Option<usize>,
    /// Render at most this many pages [default: 100].
    #[arg(id = "render_max_pages", long = "render-max-pages", value_name = "N")]
    pub max_pages: Option<usize>,
    /// Give one page at most this many seconds in the browser [default: 15].
    #[arg(id = "render_budget", long = "render-budget", value_name = "SECONDS")]
    pub budget: Option<u64>,
    /// The browser to run [default: chromium on PATH].
    #[arg(long, value_name = "PATH")]
    pub chromium: Option<PathBuf>,
}

impl RenderArgs {
    /// These settings with the gaps filled from `file`: flags win.
    #[must_use]
    pub fn over(mut self, file: &RenderArgs) -> Self {
        self.mode = self.mode.or(file.mode);
        self.concurrency = self.concurrency.or(file.concurrency);
        self.max_pages = self.max_pages.or(file.max_pages);
        self.budget = self.budget.or(file.budget);
        self.chromium = self.chromium.or_else(|| file.chromium.clone());
        self
    }

    /// The render settings these arguments ask for.
    ///
    /// # Errors
    /// A count or budget of zero, or one past its range.
    pub fn settings(&self) -> Result<crate::render::RenderSettings, UsageError> {
        let defaults = crate::render::RenderSettings::default();
        let settings = crate::render::RenderSettings {
            mode: self.mode.unwrap_or(defaults.mode),
            chromium: self.chromium.clone(),
            concurrency: self.concurrency.unwrap_or(defaults.concurrency),
            max_pages: self.max_pages.unwrap_or(defaults.max_pages),
            page_budget: self
                .budget
                .map_or(defaults.page_budget, Duration::from_secs),
        };
        if !(1..=MAX_RENDER_CONCURRENCY).contains(&settings.concurrency)
            || settings.max_pages == 0
            || settings.max_pages > MAX_PAGES
            || settings.page_budget.is_zero()
            || settings.page_budget.as_secs() > MAX_TIMEOUT_S
        {
            return Err(UsageError(format!(
                "render-concurrency must be 1 to {MAX_RENDER_CONCURRENCY}, render-max-pages 1 to \
                 {MAX_PAGES}, render-budget 1 to {MAX_TIMEOUT_S} seconds"
            )));
        }
        Ok(settings)
    }
}

/// Browser tabs at once, at most: each costs a renderer process (~100 MB).
pub const MAX_RENDER_CONCURRENCY: usize = 16;
