//! The command line: what the user typed, checked and turned into settings. Doc comments
//! here are the `--help` text, written for a marketer, not a crawler engineer.

mod render_args;
pub use render_args::{MAX_RENDER_CONCURRENCY, RenderArgs};

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

use crate::audit::AuditSettings;
use crate::crawl::normalize::parse_start;
use crate::error::UsageError;
use crate::lang::Lang;
use crate::report::Format;
use crate::rulebook::FailOn;

/// The config file read when none is named, and the one `doorbell init` writes. Here, not in
/// `config`, because the command line names it first and `config` builds on the command line's
/// types, never the other way round.
pub const DEFAULT_CONFIG_FILE: &str = "doorbell.toml";

/// doorbell finds every way a customer can reach a company on its site — phones, e-mails,
/// messengers, forms, chats, callback widgets, maps, addresses, opening hours — and shows
/// where each one stands.
#[derive(Debug, Parser)]
#[command(name = "doorbell", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log what doorbell does to stderr: -v each site and failure, -vv each page fetched,
    /// -vvv everything (DOORBELL_LOG=debug works too).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit a site: crawl it and list every contact point and the pages it is on. With
    /// --sites, audit a whole list of sites.
    Audit(Box<AuditCommand>),
    /// Audit a site, send test messages through its forms and to its e-mail addresses, and
    /// watch the mailbox for the confirmations and replies (needs --probe and a [probe]
    /// table in doorbell.toml).
    Run(Box<RunArgs>),
    /// Audit and send the probes, without waiting for replies: `doorbell verify` judges
    /// them later (the nightly two-phase use).
    Probe(Box<RunArgs>),
    /// Read the mailbox for the latest probes of a site and judge them against the
    /// deadlines.
    Verify(Box<VerifyArgs>),
    /// Show how each door answered the probes of the last runs: how each ended and how long
    /// the confirmation and the human reply took.
    History(HistoryArgs),
    /// Join the summaries of several portfolio runs (the shards of a CI matrix or an Indexed
    /// Job) or sites' JSON reports into one summary.
    Merge(MergeArgs),
    /// Audit the bundled example company site, served on this machine (no network needed).
    Demo(DemoArgs),
    /// List the rules doorbell checks: id, severity, title.
    Rules(RulesArgs),
    /// Explain a rule: why it matters and how to fix it.
    Explain(ExplainArgs),
    /// Write a commented doorbell.toml to start from.
    Init(InitArgs),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `doorbell man > doorbell.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell, e.g. bash: `doorbell completions bash > /etc/bash_completion.d/doorbell`.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write it.
    #[arg(default_value = DEFAULT_CONFIG_FILE)]
    pub path: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Language of the texts: en or ru. Default: from your locale.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// A folder with a catalogue.toml that adds rules or overrides ours.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. phone.no-country-code.
    pub id: String,
    #[command(flatten)]
    pub common: RulesArgs,
}

#[derive(Debug, Args)]
pub struct JudgeArgs {
    /// Exit with code 1 when a finding is at least this severe: error, warning, notice or
    /// never [default: error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// A folder laid over our rules, each file when present: catalogue.toml adds rules or
    /// overrides ours (texts, severities, thresholds), phrases.toml replaces word lists,
    /// signatures.toml adds or replaces widget and captcha signatures.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Compare with the contact surface last accepted, kept in this lock file (e.g.
    /// doorbell.lock): every door added, removed or changed is a finding, and a probe that
    /// worked then and fails now is an error.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Accept today's contact surface: write it to the --baseline file (doorbell.lock when
    /// none is named) instead of reporting the changes.
    #[arg(long)]
    pub update_baseline: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The site to audit, e.g. https://shop.example.com (https:// is assumed when left out).
    /// May come from `site` in the config file instead.
    pub url: Option<String>,
    /// Settings file [default: ./doorbell.toml when it exists]. `doorbell init` writes one.
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub crawl: CrawlArgs,
    #[command(flatten)]
    pub render: RenderArgs,
    #[command(flatten)]
    pub judge: JudgeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct AuditCommand {
    #[command(flatten)]
    pub audit: AuditArgs,
    #[command(flatten)]
    pub portfolio: PortfolioArgs,
}

/// Many sites in one run.
#[derive(Debug, Args)]
pub struct PortfolioArgs {
    /// Audit every site of this list instead of one: one address per line, `#` comments.
    #[arg(long, value_name = "FILE", conflicts_with = "url")]
    pub sites: Option<PathBuf>,
    /// Audit only share I of N of the list, e.g. 2/4 — for a CI matrix or a Kubernetes
    /// Indexed Job; `doorbell merge` joins the shards' summaries.
    #[arg(long, value_name = "I/N", requires = "sites")]
    pub shard: Option<crate::portfolio::Shard>,
    /// Sites audited at the same time (each one at its own polite rate).
    #[arg(long, value_name = "N", default_value_t = crate::portfolio::DEFAULT_PARALLEL)]
    pub parallel: usize,
    /// Where each site's reports (<site>.json, .html, .xml) and summary.json are written.
    #[arg(long, value_name = "DIR", default_value = crate::portfolio::DEFAULT_REPORTS_DIR)]
    pub reports: PathBuf,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Summaries (summary.json, or the folder holding one) and sites' JSON reports.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub inputs: Vec<PathBuf>,
    /// For sites' own reports: the severity that makes a site fail [default: error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Probing: opt-in, planned, journaled.
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Really send the probes (also `enabled = true` under [probe]). Without it nothing is
    /// sent.
    #[arg(long)]
    pub probe: bool,
    /// Print exactly what would be sent where, and send nothing.
    #[arg(long)]
    pub plan: bool,
    /// The journal of probes and replies [default: .doorbell/journal.db].
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub audit: AuditArgs,
    #[command(flatten)]
    pub probing: ProbeArgs,
    /// Watch the mailbox at most this long, e.g. 30m or 2h [`run`: until every deadline
    /// has passed or been met; `probe`: 0].
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The site whose latest probes to judge (as given to `doorbell probe`), or `site` in
    /// the config file.
    pub url: Option<String>,
    /// Settings file [default: ./doorbell.toml when it exists].
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The journal of probes and replies [default: .doorbell/journal.db].
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Keep watching the mailbox this long for what has not come yet, e.g. 10m [default: 0,
    /// one look].
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<String>,
    #[command(flatten)]
    pub judge: JudgeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The site (as given to `doorbell probe` or `run`), or `site` in the config file.
    pub url: Option<String>,
    /// Settings file [default: ./doorbell.toml when it exists].
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The journal of probes and replies [default: .doorbell/journal.db].
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// How many of the latest runs to show.
    #[arg(long, default_value_t = crate::journal::history::DEFAULT_RUNS, value_name = "N")]
    pub runs: usize,
    /// table for people, json for machines.
    #[arg(long, value_enum, default_value = "table")]
    pub format: HistoryFormat,
    /// Language: en or ru. Default: from your locale.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Exit with code 1 when a finding is at least this severe. The example site is bad on
    /// purpose, so the demo never fails unless asked.
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    pub fail_on: FailOn,
    /// Where to write the HTML report, besides the report on the terminal.
    #[arg(long, value_name = "FILE", default_value = "doorbell-report.html")]
    pub html: std::path::PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// How to crawl. The same struct reads the `[crawl]` table of `doorbell.toml`: a flag given
/// on the command line wins over the file, the file over the defaults named here.
#[derive(Debug, Default, Clone, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CrawlArgs {
    /// Country for phone numbers written without a country code (two letters: RU, KZ, GB…).
    /// Default: from the site's domain (.ru → RU), else from each page's language.
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// Read at most this many pages [default: 500]. Contact pages are read first, so a small
    /// budget still finds them.
    #[arg(long, value_name = "N")]
    pub max_pages: Option<usize>,
    /// Follow links at most this many clicks away from the start page [default: 20].
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,
    /// How many pages to fetch at the same time [default: 8].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// At most this many requests per second to one host, to be polite; 0 for no limit
    /// [default: 10].
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,
    /// Give up on a page after this many seconds [default: 20].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Stop the audit after this long (e.g. 90s, 15m, 2h) and report what was read: pages
    /// still queued are left, the report says the time ran out [default: 30m].
    #[arg(long, value_name = "DURATION")]
    pub max_time: Option<String>,
    /// Read at most this much of one page (e.g. 5MB, 512KB); longer pages are cut
    /// [default: 5MB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    #[serde(deserialize_with = "size_from_toml")]
    pub max_body: Option<usize>,
    /// Read pages that robots.txt asks crawlers to leave alone (your own site, say).
    #[arg(long)]
    pub ignore_robots: bool,
    /// Also crawl this host as part of the site (repeatable), e.g. a separate shop domain.
    #[arg(long = "allow-host", value_name = "HOST")]
    pub allow_hosts: Vec<String>,
    /// Connect to HOST at ADDRESS instead of looking it up, like curl's --resolve
    /// (repeatable): --resolve shop.example=127.0.0.1
    #[arg(long, value_name = "HOST=ADDRESS", value_parser = parse_resolve)]
    #[serde(skip)]
    pub resolve: Vec<(String, IpAddr)>,
    /// The User-Agent header to send.
    #[arg(long, value_name = "TEXT")]
    pub user_agent: Option<String>,
    /// Look names up at this DNS server (IP:PORT) instead of the system's resolver: the
    /// site's hosts and whether e-mail domains accept mail.
    #[arg(long, value_name = "IP:PORT")]
    pub dns_server: Option<std::net::SocketAddr>,
    /// Do not look up e-mail domains (the MX rule then stays silent).
    #[arg(long)]
    pub no_mail_dns: bool,
}

/// `max_body = "5MB"` or `max_body = 5242880` in the config file.
fn size_from_toml<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Size {
        Bytes(usize),
        Text(String),
    }
    match Size::deserialize(d)? {
        Size::Bytes(b) => Ok(Some(b)),
        Size::Text(t) => parse_size(&t).map(Some).map_err(serde::de::Error::custom),
    }
}

impl CrawlArgs {
    /// These settings with the gaps filled from `file`: flags win, lists add up.
    #[must_use]
    pub fn over(mut self, file: &CrawlArgs) -> Self {
        self.region = self.region.or_else(|| file.region.clone());
        self.max_pages = self.max_pages.or(file.max_pages);
        self.max_depth = self.max_depth.or(file.max_depth);
        self.concurrency = self.concurrency.or(file.concurrency);
        self.rate = self.rate.or(file.rate);
        self.timeout = self.timeout.or(file.timeout);
        self.max_time = self.max_time.or_else(|| file.max_time.clone());
        self.max_body = self.max_body.or(file.max_body);
        self.ignore_robots |= file.ignore_robots;
        self.allow_hosts.extend(file.allow_hosts.iter().cloned());
        self.user_agent = self.user_agent.or_else(|| file.user_agent.clone());
        self.dns_server = self.dns_server.or(file.dns_server);
        self.no_mail_dns |= file.no_mail_dns;
        self
    }
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// table for people, json for machines (the documented contract), html to send and print,
    /// markdown for tickets, junit for CI dashboards [default: table, or by each --output's
    /// extension].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to this file instead of the terminal (repeatable: one report per
    /// file, its format from the extension — .html, .json, .md, .xml (JUnit), .txt — else
    /// --format).
    #[arg(long, short, value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Language of the report: en or ru. Default: from your locale.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// No progress bar, even at a terminal.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `5MB`, `512KB`, `1048576`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim().to_ascii_uppercase();
    let (digits, unit) = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((t.as_str(), ""), |i| t.split_at(i));
    let value: f64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size; try 5MB or 512KB"))?;
    let factor = match unit.trim() {
        "" | "B" => 1.0,
        "K" | "KB" | "KIB" => 1024.0,
        "M" | "MB" | "MIB" => 1024.0 * 1024.0,
        "G" | "GB" | "GIB" => 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("unknown size unit {other:?}; use KB or MB")),
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let bytes = (value * factor) as usize;
    if bytes == 0 {
        return Err("the size must be above zero".into());
    }
    Ok(bytes)
}

/// `host=127.0.0.1`.
pub fn parse_resolve(text: &str) -> Result<(String, IpAddr), String> {
    let (host, addr) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: write HOST=ADDRESS, e.g. shop.example=127.0.0.1"))?;
    let addr: IpAddr = addr
        .trim()
        .parse()
        .map_err(|_| format!("{addr:?} is not an IP address"))?;
    Ok((host.trim().to_string(), addr))
}

/// A two-letter country libphonenumber has numbering rules for.
///
/// # Errors
/// Anything else, with a hint.
pub fn parse_region(code: &str) -> Result<rlibphonenumber::Region, UsageError> {
    rlibphonenumber::Region::from_code(&code.trim().to_ascii_uppercase())
        .ok()
        .filter(|r| {
            rlibphonenumber::PHONE_NUMBER_UTIL
                .get_country_code_for_region(*r)
                .is_some()
        })
        .ok_or_else(|| UsageError(format!("{code:?} is not a country code; try RU, KZ or GB")))
}

impl CrawlArgs {
    /// Settings for an audit of `url`.
    ///
    /// # Errors
    /// A URL or region that cannot be read, or limits of zero.
    pub fn settings(&self, url: &str) -> Result<AuditSettings, UsageError> {
        let start = parse_start(url)
            .map_err(|e| UsageError(format!("{url:?} is not a web address: {e}")))?;
        let mut settings = AuditSettings::new(start);
        settings.scheme_assumed = crate::crawl::normalize::scheme_assumed(url);
        if let Some(region) = &self.region {
            settings.region = Some(parse_region(region)?);
        }
        settings.crawl.max_pages = self.max_pages.unwrap_or(settings.crawl.max_pages);
        settings.crawl.max_depth = self.max_depth.unwrap_or(settings.crawl.max_depth);
        settings.crawl.concurrency = self.concurrency.unwrap_or(settings.crawl.concurrency);
        settings.crawl.rate = self.rate.unwrap_or(settings.crawl.rate);
        settings.crawl.http.timeout = self
            .timeout
            .map_or(settings.crawl.http.timeout, Duration::from_secs);
        settings.crawl.max_body = self.max_body.unwrap_or(settings.crawl.max_body);
        if let Some(text) = &self.max_time {
            settings.crawl.max_time = crate::probe::settings::parse_duration(text)
                .map_err(|e| UsageError(format!("max-time: {e}")))?;
        }
        if settings.crawl.max_pages == 0
            || settings.crawl.max_time.is_zero()
            || settings.crawl.concurrency == 0
            || settings.crawl.http.timeout.is_zero()
            || settings.crawl.max_body == 0
        {
            return Err(UsageError(
                "max-pages, concurrency, timeout, max-time and max-body must be above zero".into(),
            ));
        }
        check_limits(&settings)?;
        settings.crawl.obey_robots = !self.ignore_robots;
        settings.crawl.extra_hosts.clone_from(&self.allow_hosts);
        settings
            .crawl
            .http
            .trusted_hosts
            .extend(self.allow_hosts.iter().cloned());
        settings.crawl.http.resolve.clone_from(&self.resolve);
        if let Some(agent) = &self.user_agent {
            settings.crawl.http.user_agent.clone_from(agent);
        }
        settings.crawl.http.dns_server = self.dns_server;
        settings.check_mail_dns = !self.no_mail_dns;
        Ok(settings)
    }
}

/// The largest values the crawl's limits take: beyond them a number is a typo or an attack on
/// our arithmetic (a timeout that overflows a clock, a rate whose interval is centuries).
pub const MAX_PAGES: usize = 1_000_000;
pub const MAX_DEPTH: u32 = 1_000;
pub const MAX_CONCURRENCY: usize = 256;
pub const MAX_TIMEOUT_S: u64 = 3_600;
pub const MAX_BODY: usize = 1024 * 1024 * 1024;
/// Requests per second per host, above 0: one request every 100 s at the slowest.
pub const MIN_RATE: f64 = 0.01;
pub const MAX_RATE: f64 = 10_000.0;

/// Every limit within its range, or an error naming the limit and the range.
fn check_limits(settings: &AuditSettings) -> Result<(), UsageError> {
    let crawl = &settings.crawl;
    let out_of_range =
        |what: &str, range: String| Err(UsageError(format!("{what} must be {range}")));
    if crawl.max_pages > MAX_PAGES {
        return out_of_range("max-pages", format!("at most {MAX_PAGES}"));
    }
    if crawl.max_depth > MAX_DEPTH {
        return out_of_range("max-depth", format!("at most {MAX_DEPTH}"));
    }
    if crawl.concurrency > MAX_CONCURRENCY {
        return out_of_range("concurrency", format!("at most {MAX_CONCURRENCY}"));
    }
    if crawl.http.timeout > Duration::from_secs(MAX_TIMEOUT_S) {
        return out_of_range("timeout", format!("at most {MAX_TIMEOUT_S} seconds"));
    }
    if crawl.max_body > MAX_BODY {
        return out_of_range("max-body", "at most 1024MB".to_string());
    }
    let rate = crawl.rate;
    if !(rate == 0.0 || (MIN_RATE..=MAX_RATE).contains(&rate)) {
        return out_of_range(
            "rate",
            format!("0 (no limit) or between {MIN_RATE} and {MAX_RATE} requests per second"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `[default: …]` a help text promises, for every argument of every command that
    /// has one: (command, argument id, the text).
    fn documented_defaults() -> Vec<(String, String, String)> {
        let mut found = Vec::new();
        let cli = <Cli as clap::CommandFactory>::command();
        for command in cli.get_subcommands() {
            for arg in command.get_arguments() {
                let help = arg
                    .get_long_help()
                    .or_else(|| arg.get_help())
                    .map(ToString::to_string)
                    .unwrap_or_default()
                    .replace('\n', " ");
                if let Some((_, rest)) = help.split_once("[default: ")
                    && let Some((value, _)) = rest.split_once(']')
                {
                    found.push((
                        command.get_name().to_string(),
                        arg.get_id().to_string(),
                        value.to_string(),
                    ));
                }
            }
        }
        found
    }

    #[test]
    fn documented_defaults_are_the_real_ones() {
        use crate::crawl::{
            DEFAULT_CONCURRENCY, DEFAULT_MAX_BODY, DEFAULT_MAX_DEPTH, DEFAULT_MAX_PAGES,
            DEFAULT_RATE,
        };
        let documented = documented_defaults();
        assert!(documented.len() >= 15, "{documented:#?}");
        for (command, id, text) in documented {
            let first = text.split([',', ' ']).next().unwrap_or_default();
            let real = match id.as_str() {
                "max_pages" => first == DEFAULT_MAX_PAGES.to_string(),
                "max_depth" => first == DEFAULT_MAX_DEPTH.to_string(),
                "concurrency" => first == DEFAULT_CONCURRENCY.to_string(),
                "rate" => first.parse::<f64>().ok() == Some(DEFAULT_RATE),
                "timeout" => first == crate::types::http::DEFAULT_TIMEOUT.as_secs().to_string(),
                "max_body" => parse_size(first) == Ok(DEFAULT_MAX_BODY),
                "max_time" => {
                    crate::probe::settings::parse_duration(first)
                        == Ok(crate::crawl::DEFAULT_MAX_TIME)
                }
                "fail_on" => {
                    let named = <FailOn as clap::ValueEnum>::from_str(first, true).ok();
                    named == Some(crate::rulebook::DEFAULT_FAIL_ON)
                }
                "format" => {
                    let named = <Format as clap::ValueEnum>::from_str(first, true).ok();
                    named == Some(crate::report::DEFAULT_FORMAT)
                }
                "journal" => first == crate::journal::DEFAULT_PATH,
                "config" => first == format!("./{DEFAULT_CONFIG_FILE}"),
                // `verify --wait`: one look at the mailbox.
                "wait" => first == "0",
                "render_mode" => {
                    let named = <crate::types::render::RenderMode as clap::ValueEnum>::from_str(
                        first, true,
                    )
                    .ok();
                    named == Some(crate::types::render::RenderMode::default())
                }
                "render_concurrency" => first == crate::render::DEFAULT_CONCURRENCY.to_string(),
                "render_max_pages" => first == crate::render::DEFAULT_MAX_PAGES.to_string(),
                "render_budget" => {
                    first == crate::render::DEFAULT_PAGE_BUDGET.as_secs().to_string()
                }
                "chromium" => first == crate::render::chromium::NAMES[0],
                other => {
                    panic!("{command} --{other}: a documented default this test does not check")
                }
            };
            assert!(
                real,
                "Documented default value does not match the actual default value: {command} --{id} says {text:?}"
            );
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("5MB"), Ok(5 * 1024 * 1024));
        assert_eq!(parse_size("512kb"), Ok(512 * 1024));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn resolve_overrides() {
        assert_eq!(parse_resolve("пример.рф=127.0.0.1").unwrap().0, "пример.рф");
        assert!(parse_resolve("host:127.0.0.1").is_err());
    }
}
