//! One audit, start to end: crawl the site, extract every page, merge the inventory. The CLI
//! and the tests call [`run`]; it does no printing.

pub mod contact_links;
pub mod examples;
pub mod probing;
mod rendering;

use std::time::Duration;

use rlibphonenumber::Region;
use serde::Serialize;
use url::Url;

use crate::crawl::frontier::{ContactLikeness, ContactWords};
use crate::crawl::{self, CrawlError, CrawlSettings, Processed};
use crate::extract::{Extractor, PageExtract};
use crate::facts;
use crate::facts::mail_domain::MailDns;
use crate::inventory::{Inventory, InventoryBuilder};
use crate::rulebook::BUILTIN;
use crate::types::contact::RegionSource;
use crate::types::crawl::{CrawlSummary, PageCut};
use crate::types::facts::{MailDomain, MailStatus, domain_of};
use crate::types::link::ContactLinks;
use contact_links::contact_links;

/// What the user asked for, resolved: the crawl's settings and what the audit does after it.
#[derive(Debug, Clone)]
pub struct AuditSettings {
    /// The crawl; its contact words are taken from `rulebook` when the audit runs.
    pub crawl: CrawlSettings,
    /// Phone region for numbers written without a country code; `None` = from the TLD,
    /// else from each page's `<html lang>`.
    pub region: Option<Region>,
    /// Ask each contact form's action whether it answers (HEAD, never a submission).
    pub check_actions: bool,
    /// Ask actions on other hosts too (a third-party form handler); off, only the site's own.
    pub check_foreign_actions: bool,
    /// Look up whether each e-mail domain accepts mail (MX, else A/AAAA).
    pub check_mail_dns: bool,
    /// Phrases and signatures: ours, or ours with a `--rules` folder's laid over.
    pub rulebook: &'static crate::rulebook::Rulebook,
    /// The user gave no scheme and https was assumed: a site that turns out to speak plain
    /// HTTP gets a hint instead of a TLS error.
    pub scheme_assumed: bool,
    /// Whether and how pages are shown to a browser (`--render`).
    pub render: crate::render::RenderSettings,
}

impl AuditSettings {
    /// The defaults the CLI documents, for a start URL.
    pub fn new(start: Url) -> Self {
        Self {
            crawl: CrawlSettings::new(start),
            region: None,
            check_actions: true,
            check_foreign_actions: true,
            check_mail_dns: true,
            rulebook: &BUILTIN,
            scheme_assumed: false,
            render: crate::render::RenderSettings::default(),
        }
    }

    /// The crawler's share of these settings, with the rulebook's contact words.
    pub fn crawl_settings(&self) -> CrawlSettings {
        CrawlSettings {
            contact_words: contact_words_of(&self.rulebook.phrases),
            ..self.crawl.clone()
        }
    }
}

/// The phone region a host's top-level domain implies.
pub fn region_from_host(host: &str) -> Option<Region> {
    let tld = host.trim_end_matches('.').rsplit('.').next()?;
    let code = match tld {
        "ru" | "su" | "xn--p1ai" => "RU",
        "by" | "xn--90ais" => "BY",
        "kz" | "xn--80ao21a" => "KZ",
        "ua" | "xn--j1amh" => "UA",
        "uk" => "GB",
        "com" | "net" | "org" | "info" | "biz" | "io" | "app" | "dev" | "shop" | "online"
        | "site" => {
            return None;
        }
        other if other.len() == 2 && other.bytes().all(|b| b.is_ascii_alphabetic()) => {
            return Region::from_code(&other.to_ascii_uppercase())
                .ok()
                .and_then(known);
        }
        _ => return None,
    };
    Region::from_code(code).ok()
}

/// A region libphonenumber has numbering rules for (`Region` also names codes it has none for).
fn known(region: Region) -> Option<Region> {
    rlibphonenumber::PHONE_NUMBER_UTIL
        .get_country_code_for_region(region)
        .map(|_| region)
}

/// The words that mark contact pages and the links to them, in our phrases.
pub fn contact_words() -> ContactWords {
    contact_words_of(&BUILTIN.phrases)
}

/// The words that mark contact pages and the links to them.
pub fn contact_words_of(phrases: &crate::rulebook::phrases::Phrases) -> ContactWords {
    ContactWords::new(
        &phrases.contact_link_words,
        &phrases.contact_link_weak_words,
    )
}

/// Adds an extracted page to the inventory, judging whether it is a contact page.
pub fn add_to_inventory(
    builder: &mut InventoryBuilder,
    url: &str,
    page: PageExtract,
    links: ContactLinks,
    words: &ContactWords,
) {
    let contact_page = is_contact_page(url, &page, words);
    builder.add_page(url, contact_page, links, page);
}

/// Whether the page looks like the contact page, by its address or title.
pub fn is_contact_page(url: &str, page: &PageExtract, words: &ContactWords) -> bool {
    let title = page.title.as_deref().unwrap_or_default().to_lowercase();
    Url::parse(url).is_ok_and(|u| words.judge(&u, &title) == ContactLikeness::Yes)
}

/// The result of an audit, before any rule has judged it.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub start_url: String,
    /// The region phone numbers were read in, when one applied to the whole site.
    pub region: Option<String>,
    /// What chose it: `setting` or `domain` (each page records its own otherwise).
    pub region_source: Option<RegionSource>,
    pub crawl: CrawlSummary,
    pub inventory: Inventory,
}

impl Audit {
    /// What the report shows of this audit.
    pub fn site_read(&self) -> crate::report::SiteRead<'_> {
        crate::report::SiteRead {
            start_url: &self.start_url,
            region: self.region.as_deref(),
            region_source: self.region_source,
            crawl: &self.crawl,
            inventory: &self.inventory,
        }
    }
}

/// Crawls and inventories a site.
///
/// # Errors
/// When the crawl cannot start; a site that cannot be reached yields an audit whose crawl
/// lists the failure (callers decide whether that is fatal).
pub async fn run(settings: AuditSettings) -> Result<Audit, CrawlError> {
    let chosen = settings
        .region
        .map(|r| (r, RegionSource::Setting))
        .or_else(|| {
            settings
                .crawl
                .start
                .host_str()
                .and_then(region_from_host)
                .map(|r| (r, RegionSource::Domain))
        });
    let region = chosen.map(|(r, _)| r);
    let extractor = Extractor::new(settings.rulebook, chosen);
    let crawl_settings = settings.crawl_settings();
    let contact_words = crawl_settings.contact_words.clone();
    let words = contact_words.clone();
    let process = move |url: &Url, html: String| -> Processed<(PageExtract, ContactLinks)> {
        let mut page = extractor.page(&html, url);
        let links = std::mem::take(&mut page.links);
        let contact_links = contact_links(&links, url, &html, &words);
        let mut cut = Vec::new();
        if page.tags_left_out > 0 {
            cut.push(PageCut::Nesting {
                tags_left_out: page.tags_left_out,
            });
        }
        if page.bytes_past_elements > 0 {
            cut.push(PageCut::Elements {
                bytes_left_out: page.bytes_past_elements,
            });
        }
        let dropped = page.keep_within_bounds();
        if dropped > 0 {
            cut.push(PageCut::Points { dropped });
        }
        Processed {
            links,
            output: (page, contact_links),
            cut,
        }
    };
    let aux = crawl::aux_client(&crawl_settings.http)?;
    let deadline = tokio::time::Instant::now() + crawl_settings.max_time;
    let checks_settings = crawl_settings.clone();
    let mut builder = InventoryBuilder::default();
    let mut to_render = rendering::Queue::new(&settings.render, &settings.crawl.start);
    let crawl = crawl::crawl(crawl_settings, process, |record, page| {
        if let Some((page, links)) = page {
            let contact_page = is_contact_page(&record.url, &page, &contact_words);
            if let Some((page, links)) = to_render.offer(&record.url, page, links, contact_page) {
                builder.add_page(&record.url, contact_page, links, page);
            }
        }
    })
    .await?;
    tracing::info!(
        site = %settings.crawl.start, pages_ok = crawl.pages_ok, failed = crawl.pages_failed,
        ms = crawl.duration_ms, "crawled"
    );
    let mut crawl = crawl;
    crawl.render = to_render
        .render(&settings, chosen, &mut builder, &crawl.pages, deadline)
        .await;
    crawl.limits.points_dropped += builder.points_dropped();
    let mut inventory = builder.finish();
    if settings.check_actions {
        let scope = (!settings.check_foreign_actions)
            .then(|| crawl::scope::Scope::new(&settings.crawl.start, &settings.crawl.extra_hosts));
        check_form_actions(
            &aux,
            &mut inventory,
            scope.as_ref(),
            &checks_settings,
            deadline,
        )
        .await;
    }
    inventory.mail_domains = check_mail_domains(
        &inventory,
        &settings,
        checks_settings.http.timeout,
        deadline,
    )
    .await;
    Ok(Audit {
        start_url: settings.crawl.start.to_string(),
        region: region.map(|r| r.as_region_str().to_string()),
        region_source: chosen.map(|(_, source)| source),
        crawl,
        inventory,
    })
}

/// Distinct form actions and e-mail domains asked about, at most: a page can name thousands,
/// and each question costs a request.
const MAX_CHECKS: usize = 50;

/// Whether each domain of the site's e-mail addresses accepts mail, `--concurrency` lookups
/// at a time until `deadline`. Not asked: every domain is `unknown`, and no rule fires on it.
async fn check_mail_domains(
    inventory: &Inventory,
    settings: &AuditSettings,
    timeout: Duration,
    deadline: tokio::time::Instant,
) -> Vec<MailDomain> {
    use futures_util::StreamExt;

    let mut domains: Vec<String> = inventory
        .emails
        .iter()
        .filter_map(|e| domain_of(&e.address))
        .collect();
    domains.sort();
    domains.dedup();
    let unknown = |domain: String, why: &str| MailDomain {
        domain,
        status: MailStatus::Unknown,
        mx: Vec::new(),
        error: Some(why.to_string()),
    };
    if !settings.check_mail_dns {
        return domains
            .into_iter()
            .map(|d| unknown(d, "not checked"))
            .collect();
    }
    let dns = match MailDns::new(
        settings.crawl.http.dns_server,
        timeout.min(Duration::from_secs(5)),
    ) {
        Ok(dns) => dns,
        Err(e) => return domains.into_iter().map(|d| unknown(d, &e)).collect(),
    };
    let over: Vec<String> = domains.split_off(domains.len().min(MAX_CHECKS));
    let mut checked = Vec::with_capacity(domains.len() + over.len());
    let mut lookups = futures_util::stream::iter(domains.iter().cloned())
        .map(|domain| {
            let dns = &dns;
            async move { dns.check(&domain).await }
        })
        .buffer_unordered(settings.crawl.concurrency.max(1));
    while let Ok(Some(domain)) = tokio::time::timeout_at(deadline, lookups.next()).await {
        checked.push(domain);
    }
    drop(lookups);
    for domain in domains {
        if !checked.iter().any(|c| c.domain == domain) {
            checked.push(unknown(
                domain,
                "not checked: the time ran out (--max-time)",
            ));
        }
    }
    checked.extend(
        over.into_iter()
            .map(|d| unknown(d, "not checked: more mail domains than doorbell asks about")),
    );
    checked.sort_by(|a, b| a.domain.cmp(&b.domain));
    checked
}

/// Asks the form actions customers submit to whether they answer (HEAD, never a submission),
/// politely: at the crawl's rate, `--concurrency` at a time, at most [`MAX_CHECKS`] of them,
/// until `deadline`.
async fn check_form_actions(
    client: &reqwest::Client,
    inventory: &mut Inventory,
    only_within: Option<&crawl::scope::Scope>,
    settings: &CrawlSettings,
    deadline: tokio::time::Instant,
) {
    use futures_util::StreamExt;

    let limiter = crawl::rate::RateLimiter::new(settings.rate);
    let mut actions: Vec<Url> = Vec::new();
    for form in inventory
        .forms
        .iter()
        .filter(|f| f.reaches_company() && f.form_element)
    {
        let Ok(action) = Url::parse(&form.action) else {
            continue;
        };
        if !matches!(action.scheme(), "http" | "https")
            || only_within.is_some_and(|s| !s.contains(&action))
            || actions.contains(&action)
        {
            continue;
        }
        if actions.len() == MAX_CHECKS {
            break;
        }
        actions.push(action);
    }
    let timeout = settings.http.timeout;
    let limiter = &limiter;
    let guard = &settings.http.address_guard();
    let mut checks = futures_util::stream::iter(actions)
        .map(|action| async move {
            limiter.wait(action.host_str().unwrap_or_default()).await;
            let result = match guard.check(&action) {
                Ok(()) => facts::action::check(client, &action, timeout).await,
                Err(refused) => crate::types::facts::UrlCheck::not_checked(refused.to_string()),
            };
            (action, result)
        })
        .buffer_unordered(settings.concurrency.max(1));
    let mut checked: std::collections::HashMap<String, crate::types::facts::UrlCheck> =
        std::collections::HashMap::new();
    while let Ok(Some((action, result))) = tokio::time::timeout_at(deadline, checks.next()).await {
        checked.insert(action.to_string(), result);
    }
    for form in &mut inventory.forms {
        if let Some(result) = Url::parse(&form.action)
            .ok()
            .and_then(|action| checked.get(action.as_str()))
        {
            form.action_check = Some(result.clone());
        }
    }
}
