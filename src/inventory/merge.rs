//! Merging page extracts into the inventory.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use crate::extract::{self, PageExtract, PhoneSighting};

use crate::types::contact::{MessengerKind, PageRegion, Party, PhoneFormat, Seen, Source};
use crate::types::link::ContactLinks;

use super::places::{add_place, drop_parts_of_longer};
use super::replaced::{PhoneReplacement, replacements};
use super::seen::summarise_seen;
use super::{
    Email, EmailImage, EmailOnPage, Form, Inventory, Messenger, MessengerOnPage, PageInfo, PageRef,
    Phone, PhoneOnPage, Place, SocialProfile, ThirdParty, Widget,
};

/// Distinct points of one kind the inventory holds, at most: a page generated to list
/// 60,000 phones must not fill the runner's memory. Sightings of points already held still
/// count.
pub const MAX_POINTS_PER_KIND: usize = 2_000;

/// Points keyed by identity, in first-seen order, at most [`MAX_POINTS_PER_KIND`].
pub(super) struct Keyed<K, V> {
    index: HashMap<K, usize>,
    items: Vec<V>,
    /// New points turned away because the kind was full.
    dropped: usize,
}

impl<K: Hash + Eq, V> Default for Keyed<K, V> {
    fn default() -> Self {
        Self {
            index: HashMap::new(),
            items: Vec::new(),
            dropped: 0,
        }
    }
}

impl<K: Hash + Eq, V> Keyed<K, V> {
    /// The point with this key, made when new; `None` when it is new and the kind is full.
    pub(super) fn entry(&mut self, key: K, make: impl FnOnce() -> V) -> Option<&mut V> {
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None if self.items.len() >= MAX_POINTS_PER_KIND => {
                self.dropped += 1;
                return None;
            }
            None => {
                self.items.push(make());
                self.index.insert(key, self.items.len() - 1);
                self.items.len() - 1
            }
        };
        Some(&mut self.items[i])
    }
}

/// Shares equal strings.
#[derive(Default)]
struct Interner(HashSet<Arc<str>>);

impl Interner {
    fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        self.0.insert(shared.clone());
        shared
    }
}

/// A point is the company's when any sighting of it is; another party's only when every
/// sighting stands under another party's name (the first such name is kept as the reason).
fn claim_party(party: &mut Party, reason: &mut Option<String>, sighting: Option<&str>) {
    match sighting {
        None => {
            *party = Party::Own;
            *reason = None;
        }
        Some(words) if *party == Party::ThirdParty && reason.is_none() => {
            *reason = Some(words.to_string());
        }
        Some(_) => {}
    }
}

/// Builds the inventory page by page while the crawl runs.
#[derive(Default)]
pub struct InventoryBuilder {
    strings: Interner,
    pages: Vec<PageInfo>,
    phones: Keyed<String, Phone>,
    emails: Keyed<String, Email>,
    email_images: Keyed<String, EmailImage>,
    messengers: Keyed<(MessengerKind, String), Messenger>,
    social_profiles: Keyed<String, SocialProfile>,
    forms: Keyed<String, Form>,
    widgets: Keyed<String, Widget>,
    addresses: Keyed<String, Place>,
    hours: Keyed<String, Place>,
    phone_replacements: Vec<PhoneReplacement>,
    widget_failures: Vec<crate::types::render::WidgetFailure>,
    phone_screens: Vec<crate::types::render::PhoneScreen>,
}

/// Adds a page sighting, or notes how one already there was seen again: the rendered page
/// comes right after its served HTML, so a page's sightings are the last ones.
pub(super) fn push_page_ref(
    pages: &mut Vec<PageRef>,
    url: &Arc<str>,
    region: PageRegion,
    seen: Seen,
) {
    match pages
        .iter_mut()
        .rev()
        .take_while(|p| p.url == *url)
        .find(|p| p.region == region)
    {
        Some(known) => known.seen = known.seen.and(seen),
        None => pages.push(PageRef {
            url: url.clone(),
            region,
            seen,
        }),
    }
}

impl InventoryBuilder {
    /// Adds one page, with whether it is a contact page and whether it links to one.
    pub fn add_page(
        &mut self,
        url: &str,
        contact_page: bool,
        links: ContactLinks,
        mut page: PageExtract,
    ) {
        let url = self.strings.get(url);
        let lang = page.lang.as_deref().map(|lang| self.strings.get(lang));
        let region = page.region.as_ref().map(|(r, _)| self.strings.get(r));
        self.pages.push(PageInfo {
            url: url.clone(),
            title: page.title.take(),
            lang,
            region,
            region_source: page.region.as_ref().map(|(_, source)| *source),
            contact_page,
            links_to_contacts: links.links_to_contacts,
            dead_contact_anchor: links.dead_anchor,
        });
        self.add_points(&url, page, Seen::Static);
    }

    /// Adds what a browser found on a page just added with [`Self::add_page`], whose served
    /// HTML showed `served_phones`: a point both found is seen `both`, one only the browser
    /// found `rendered`, and a served number the browser shows another in place of is noted.
    pub fn add_rendered(&mut self, url: &str, served_phones: &[PhoneSighting], page: PageExtract) {
        let url = self.strings.get(url);
        if self.phone_replacements.len() < MAX_POINTS_PER_KIND {
            self.phone_replacements.extend(replacements(
                &url,
                served_phones,
                &page.phones,
                &page.call_tracking,
            ));
        }
        self.add_points(&url, page, Seen::Rendered);
    }

    /// Notes chat and callback widgets that did not show up on a rendered page.
    pub fn add_widget_failures(
        &mut self,
        failures: impl IntoIterator<Item = crate::types::render::WidgetFailure>,
    ) {
        let room = MAX_POINTS_PER_KIND.saturating_sub(self.widget_failures.len());
        self.widget_failures.extend(failures.into_iter().take(room));
    }

    /// Notes how a page looks on a phone's screen.
    pub fn add_phone_screen(&mut self, screen: crate::types::render::PhoneScreen) {
        if self.phone_screens.len() < MAX_POINTS_PER_KIND {
            self.phone_screens.push(screen);
        }
    }

    fn add_points(&mut self, url: &Arc<str>, page: PageExtract, seen: Seen) {
        for p in page.phones {
            self.add_phone(url, p, seen);
        }
        for e in page.emails {
            self.add_email(url, e, seen);
        }
        for image in page.email_images {
            let Some(entry) = self.email_images.entry(image.src.clone(), || EmailImage {
                src: image.src.clone(),
                alt: image.alt.clone(),
                seen,
                pages: Vec::new(),
            }) else {
                continue;
            };
            push_page_ref(&mut entry.pages, url, image.region, seen);
        }
        for m in page.messengers {
            self.add_messenger(url, m, seen);
        }
        for p in page.social_profiles {
            let key = p.href.trim_end_matches('/').to_ascii_lowercase();
            let Some(profile) = self.social_profiles.entry(key, || SocialProfile {
                network: p.network,
                href: p.href.clone(),
                seen,
                pages: Vec::new(),
            }) else {
                continue;
            };
            push_page_ref(&mut profile.pages, url, p.region, seen);
        }
        // The same form more than once on a page (a desktop and a mobile copy, one pop-up
        // repeated) is one door with a count of copies.
        let mut copies: HashMap<String, u32> = HashMap::new();
        for f in page.forms {
            let mut names: Vec<&str> = f.fields.iter().map(|x| x.name.as_str()).collect();
            names.sort_unstable();
            let key = format!(
                "{} {} {} {} {}",
                f.method,
                f.action,
                names.join(","),
                f.purpose.name(),
                f.form_element
            );
            let count = copies.entry(key.clone()).or_default();
            *count += 1;
            let count = *count;
            let Some(form) = self.forms.entry(key, || Form {
                action: f.action.clone(),
                method: f.method.clone(),
                enctype: f.enctype.clone(),
                purpose: f.purpose,
                title: f.title.clone(),
                form_element: f.form_element,
                backend: f.backend.clone(),
                script: f.script.clone(),
                copies: 1,
                fields: f.fields.clone(),
                submit: f.submit.clone(),
                captcha: f.captcha.clone(),
                action_check: None,
                seen,
                pages: Vec::new(),
            }) else {
                continue;
            };
            form.copies = form.copies.max(count);
            if form.title.is_none() {
                form.title.clone_from(&f.title);
            }
            push_page_ref(&mut form.pages, url, f.region, seen);
        }
        for w in page.widgets {
            let Some(widget) = self.widgets.entry(w.id.clone(), || Widget {
                id: w.id.clone(),
                name: w.name.clone(),
                kind: w.kind,
                evidence: Vec::new(),
                seen,
                pages: Vec::new(),
            }) else {
                continue;
            };
            widget.seen = widget.seen.and(seen);
            for e in w.evidence {
                if !widget.evidence.contains(&e) {
                    widget.evidence.push(e);
                }
            }
            if widget.pages.last().is_none_or(|last| last != url) {
                widget.pages.push(url.clone());
            }
        }
        for a in page.addresses {
            add_place(&mut self.addresses, url, a, seen);
        }
        for h in page.hours {
            add_place(&mut self.hours, url, h, seen);
        }
    }

    fn add_phone(&mut self, url: &Arc<str>, p: extract::PhoneSighting, seen: Seen) {
        let key = p.e164.clone().unwrap_or_else(|| p.shown.clone());
        let Some(phone) = self.phones.entry(key, || Phone {
            e164: p.e164.clone(),
            valid: p.valid,
            kind: p.kind,
            shown: Vec::new(),
            clickable: true,
            tel_mismatch: false,
            has_country_code: false,
            labelled_free: false,
            party: Party::ThirdParty,
            party_reason: None,
            seen,
            pages: Vec::new(),
        }) else {
            return;
        };
        claim_party(
            &mut phone.party,
            &mut phone.party_reason,
            p.third_party.as_deref(),
        );
        if p.source != Source::Schema && !phone.shown.contains(&p.shown) {
            phone.shown.push(p.shown.clone());
        }
        phone.tel_mismatch |= p.tel_matches_text == Some(false);
        phone.has_country_code |= p.format == PhoneFormat::International;
        phone.labelled_free |= p.labelled_free;
        // A number shown as text beside the same number as a link, in the same part of the
        // page, is one clickable occurrence.
        if let Some(existing) = phone
            .pages
            .iter_mut()
            .rev()
            .take_while(|o| o.url == *url)
            .find(|o| {
                o.region == p.region && o.source != Source::Schema && p.source != Source::Schema
            })
        {
            if p.clickable && !existing.clickable {
                existing.clickable = true;
                existing.tel_href = p.tel_href.as_deref().map(|h| self.strings.get(h));
                existing.tel_matches_text = p.tel_matches_text;
                existing.shown = self.strings.get(&p.shown);
                existing.format = p.format;
            }
            existing.labelled_free |= p.labelled_free;
            existing.seen = existing.seen.and(seen);
        } else {
            phone.pages.push(PhoneOnPage {
                url: url.clone(),
                region: p.region,
                shown: self.strings.get(&p.shown),
                format: p.format,
                source: p.source,
                clickable: p.clickable,
                tel_href: p.tel_href.as_deref().map(|h| self.strings.get(h)),
                tel_matches_text: p.tel_matches_text,
                labelled_free: p.labelled_free,
                seen,
            });
        }
    }

    fn add_email(&mut self, url: &Arc<str>, e: extract::EmailSighting, seen: Seen) {
        let key = if e.address.is_empty() {
            e.mailto
                .as_ref()
                .map_or_else(String::new, |m| m.href.clone())
        } else {
            e.address.clone()
        };
        let Some(email) = self.emails.entry(key, || Email {
            address: e.address.clone(),
            clickable: true,
            obfuscated_only: true,
            subject: None,
            mailto_problems: Vec::new(),
            mailto_sends_to: None,
            party: Party::ThirdParty,
            party_reason: None,
            seen,
            pages: Vec::new(),
        }) else {
            return;
        };
        claim_party(
            &mut email.party,
            &mut email.party_reason,
            e.third_party.as_deref(),
        );
        email.obfuscated_only &= e.source == Source::Obfuscated;
        if email.mailto_sends_to.is_none() {
            email.mailto_sends_to.clone_from(&e.sends_to);
        }
        if let Some(mailto) = &e.mailto {
            if email.subject.is_none() {
                email.subject.clone_from(&mailto.subject);
            }
            for problem in &mailto.problems {
                if !email.mailto_problems.contains(problem) {
                    email.mailto_problems.push(problem.clone());
                }
            }
        }
        if let Some(existing) = email
            .pages
            .iter_mut()
            .rev()
            .take_while(|o| o.url == *url)
            .find(|o| {
                o.region == e.region && o.source != Source::Schema && e.source != Source::Schema
            })
        {
            if e.clickable && !existing.clickable {
                existing.clickable = true;
                existing.source = e.source;
                existing.mailto = e.mailto.map(|m| self.strings.get(&m.href));
            }
            existing.seen = existing.seen.and(seen);
        } else {
            email.pages.push(EmailOnPage {
                url: url.clone(),
                region: e.region,
                source: e.source,
                clickable: e.clickable,
                mailto: e.mailto.map(|m| self.strings.get(&m.href)),
                seen,
            });
        }
    }

    fn add_messenger(&mut self, url: &Arc<str>, m: extract::MessengerSighting, seen: Seen) {
        // Links are told apart by how they are written (a broken and a working link to one
        // number are two findings); a messenger named in text, by its number.
        let target = match &m.href {
            Some(href) => href.clone(),
            None => format!("text:{}", m.target.clone().unwrap_or_default()),
        };
        let Some(messenger) = self.messengers.entry((m.kind, target), || Messenger {
            kind: m.kind,
            target: m.target.clone(),
            href: m.href.clone(),
            valid: true,
            problems: Vec::new(),
            clickable: true,
            party: Party::ThirdParty,
            party_reason: None,
            seen,
            pages: Vec::new(),
        }) else {
            return;
        };
        claim_party(
            &mut messenger.party,
            &mut messenger.party_reason,
            m.third_party.as_deref(),
        );
        messenger.valid &= m.valid;
        for problem in &m.problems {
            if !messenger.problems.contains(problem) {
                messenger.problems.push(problem.clone());
            }
        }
        if messenger.href.is_none() {
            messenger.href.clone_from(&m.href);
        }
        match messenger
            .pages
            .iter_mut()
            .rev()
            .take_while(|o| o.url == *url)
            .find(|o| o.region == m.region && o.href.as_deref() == m.href.as_deref())
        {
            Some(known) => known.seen = known.seen.and(seen),
            None => messenger.pages.push(MessengerOnPage {
                url: url.clone(),
                region: m.region,
                clickable: m.clickable,
                href: m.href.as_deref().map(|h| self.strings.get(h)),
                seen,
            }),
        }
    }

    /// The inventory, in a stable order (pages are read concurrently, so the order they
    /// finish in is not): points by identity, their pages by URL.
    /// New points turned away because their kind was full ([`MAX_POINTS_PER_KIND`]).
    pub fn points_dropped(&self) -> usize {
        self.phones.dropped
            + self.emails.dropped
            + self.email_images.dropped
            + self.messengers.dropped
            + self.social_profiles.dropped
            + self.forms.dropped
            + self.widgets.dropped
            + self.addresses.dropped
            + self.hours.dropped
    }

    pub fn finish(self) -> Inventory {
        let mut inventory = Inventory {
            phones: self.phones.items,
            emails: self.emails.items,
            email_images: self.email_images.items,
            messengers: self.messengers.items,
            social_profiles: self.social_profiles.items,
            broken_mailto_links: Vec::new(),
            third_party: ThirdParty::default(),
            forms: self.forms.items,
            widgets: self.widgets.items,
            addresses: self.addresses.items,
            hours: self.hours.items,
            mail_domains: Vec::new(),
            phone_replacements: self.phone_replacements,
            widget_failures: self.widget_failures,
            phone_screens: self.phone_screens,
            pages: self.pages,
        };
        // Clickable everywhere it is shown: judged once here, not again on every page added
        // (which made a footer phone on 50,000 pages cost 50,000² steps).
        for p in &mut inventory.phones {
            p.clickable = p
                .pages
                .iter()
                .filter(|o| o.source != Source::Schema)
                .all(|o| o.clickable);
        }
        for e in &mut inventory.emails {
            e.clickable = e
                .pages
                .iter()
                .filter(|o| o.source != Source::Schema)
                .all(|o| o.clickable);
        }
        for m in &mut inventory.messengers {
            m.clickable = m.pages.iter().all(|o| o.clickable);
        }
        summarise_seen(&mut inventory);
        let by_page = |a: &Arc<str>, b: &Arc<str>| a.cmp(b);
        for p in &mut inventory.phones {
            p.pages
                .sort_by(|a, b| by_page(&a.url, &b.url).then(a.region.cmp(&b.region)));
        }
        inventory
            .phones
            .sort_by(|a, b| a.e164.cmp(&b.e164).then_with(|| a.shown.cmp(&b.shown)));
        for e in &mut inventory.emails {
            e.pages
                .sort_by(|a, b| by_page(&a.url, &b.url).then(a.region.cmp(&b.region)));
        }
        inventory.emails.sort_by(|a, b| a.address.cmp(&b.address));
        for m in &mut inventory.messengers {
            m.pages
                .sort_by(|a, b| by_page(&a.url, &b.url).then(a.region.cmp(&b.region)));
        }
        inventory
            .messengers
            .sort_by(|a, b| (a.kind, &a.href, &a.target).cmp(&(b.kind, &b.href, &b.target)));
        let sort_refs = |pages: &mut Vec<PageRef>| {
            pages.sort_by(|a, b| by_page(&a.url, &b.url).then(a.region.cmp(&b.region)));
        };
        for i in &mut inventory.email_images {
            sort_refs(&mut i.pages);
        }
        for p in &mut inventory.social_profiles {
            sort_refs(&mut p.pages);
        }
        inventory
            .social_profiles
            .sort_by(|a, b| (a.network, &a.href).cmp(&(b.network, &b.href)));
        inventory.email_images.sort_by(|a, b| a.src.cmp(&b.src));
        for f in &mut inventory.forms {
            sort_refs(&mut f.pages);
        }
        inventory.forms.sort_by(|a, b| {
            a.action
                .cmp(&b.action)
                .then_with(|| a.method.cmp(&b.method))
        });
        for w in &mut inventory.widgets {
            w.pages.sort();
            w.evidence.sort();
        }
        inventory.widgets.sort_by(|a, b| a.id.cmp(&b.id));
        for place in inventory
            .addresses
            .iter_mut()
            .chain(inventory.hours.iter_mut())
        {
            sort_refs(&mut place.pages);
        }
        inventory.addresses.sort_by(|a, b| a.text.cmp(&b.text));
        drop_parts_of_longer(&mut inventory.addresses);
        inventory.hours.sort_by(|a, b| a.text.cmp(&b.text));
        inventory.pages.sort_by(|a, b| a.url.cmp(&b.url));
        inventory
            .phone_replacements
            .sort_by(|a, b| a.url.cmp(&b.url).then(a.region.cmp(&b.region)));
        inventory
            .widget_failures
            .sort_by(|a, b| (&a.id, &a.page).cmp(&(&b.id, &b.page)));
        inventory.phone_screens.sort_by(|a, b| a.page.cmp(&b.page));
        let (phones, others) = split_by_party(std::mem::take(&mut inventory.phones), |p| p.party);
        inventory.phones = phones;
        inventory.third_party.phones = others;
        let (emails, others) = split_by_party(std::mem::take(&mut inventory.emails), |e| e.party);
        let (emails, broken): (Vec<Email>, Vec<Email>) =
            emails.into_iter().partition(|e| !e.address.is_empty());
        inventory.emails = emails;
        inventory.broken_mailto_links = broken;
        inventory.third_party.emails = others;
        let (messengers, others) =
            split_by_party(std::mem::take(&mut inventory.messengers), |m| m.party);
        inventory.messengers = messengers;
        inventory.third_party.messengers = others;
        inventory
    }
}

fn split_by_party<T>(items: Vec<T>, party: impl Fn(&T) -> Party) -> (Vec<T>, Vec<T>) {
    items
        .into_iter()
        .partition(|item| party(item) == Party::Own)
}
