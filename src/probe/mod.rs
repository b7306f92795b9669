//! Probes: test messages through the forms and to the e-mail addresses a crawl found, each
//! written to the journal before it leaves and after. Opt-in only (`--probe`), to allowed
//! hosts only, one per form per run, within a limit and with a pause between messages.

pub mod answer;
pub mod browser;
pub mod email;
pub mod facts;
pub mod fill;
pub mod plan;
pub mod settings;
pub mod submit;

use crate::clock::now;
use crate::journal::{Channel, Journal, JournalError, Probe, ProbeState};
use crate::render::Renderer;
use crate::rulebook::Phrases;
use crate::types::http::HttpSettings;
pub use crate::types::probe::Outcome;
use plan::ProbePlan;
use settings::ProbeSettings;

/// What probing needs besides the plan.
pub struct Sender<'a> {
    pub journal: &'a Journal,
    pub run: i64,
    pub settings: &'a ProbeSettings,
    /// For form pages: the crawl's user agent, timeouts, DNS and `--resolve` overrides.
    pub http: &'a HttpSettings,
    pub phrases: &'a Phrases,
}

impl Sender<'_> {
    /// Sends every planned probe not sent yet in this run; tells `report` of each as it
    /// goes. A probe already sent, failed or in doubt (a run killed mid-send) is never sent
    /// again.
    ///
    /// # Errors
    /// The journal cannot be written: then nothing more is sent.
    pub async fn send_all(
        &self,
        plan: &ProbePlan,
        mut report: impl FnMut(&Probe),
    ) -> Result<Vec<Probe>, JournalError> {
        let mut transport = None;
        let mut browser: Option<Result<Renderer, String>> = None;
        let mut sent_any = false;
        for target in &plan.targets {
            let probe = self.journal.plan_on(
                self.run,
                target.channel,
                &target.target,
                target.page.as_deref(),
                target.purpose.as_deref(),
            )?;
            if probe.state != ProbeState::Planned {
                continue;
            }
            if sent_any && !self.settings.delay.is_zero() {
                tokio::time::sleep(self.settings.delay).await;
            }
            if !self.journal.claim_for_sending(probe.id)? {
                continue;
            }
            sent_any = true;
            match target.channel {
                Channel::Form if target.browser => {
                    if browser.is_none() {
                        browser = Some(match &self.settings.browser {
                            Some(render) => Renderer::start(render, self.http).await,
                            None => Err("no browser was asked for (--render)".into()),
                        });
                    }
                    match browser.as_ref().expect("set above") {
                        Ok(renderer) => self.send_in_browser(&probe, target, renderer).await?,
                        Err(e) => self
                            .journal
                            .mark_failed(probe.id, &format!("the browser did not start: {e}"))?,
                    }
                }
                Channel::Form => self.send_form(&probe).await?,
                Channel::Email => {
                    if transport.is_none() {
                        transport = Some(
                            self.settings
                                .smtp
                                .as_ref()
                                .ok_or_else(|| "no SMTP server is set".to_string())
                                .and_then(email::transport),
                        );
                    }
                    let result = match transport.as_ref().expect("set above") {
                        Ok(t) => {
                            email::send(t, &self.settings.persona, &probe.target, &probe.token)
                                .await
                        }
                        Err(e) => Err(e.clone()),
                    };
                    match result {
                        Ok(id) => self.journal.mark_sent(probe.id, now(), Some(&id), None)?,
                        Err(e) => self.journal.mark_failed(probe.id, &e)?,
                    }
                }
            }
            if let Some(done) = self
                .journal
                .probes(self.run)?
                .into_iter()
                .find(|p| p.id == probe.id)
            {
                report(&done);
            }
        }
        if let Some(Ok(renderer)) = browser {
            renderer.stop().await;
        }
        self.journal.probes(self.run)
    }

    async fn send_in_browser(
        &self,
        probe: &Probe,
        target: &plan::Target,
        renderer: &Renderer,
    ) -> Result<(), JournalError> {
        let sent_at = now();
        let result = browser::BrowserProbe {
            target,
            page: probe.page.as_deref().unwrap_or(&probe.target),
            persona: &self.settings.persona,
            token: &probe.token,
            allow_hosts: &self.settings.allow_hosts,
            phrases: self.phrases,
        }
        .send(renderer)
        .await;
        self.record(probe, sent_at, result)
    }

    async fn send_form(&self, probe: &Probe) -> Result<(), JournalError> {
        let allow_hosts = self.settings.allow_hosts.clone();
        let client = match crate::crawl::probe_client(self.http, move |host| {
            settings::host_allowed(&allow_hosts, host)
        }) {
            Ok(c) => c,
            Err(e) => return self.journal.mark_failed(probe.id, &e.to_string()),
        };
        let page = probe.page.as_deref().unwrap_or(&probe.target);
        let sent_at = now();
        let result = submit::submit(
            &client,
            page,
            &probe.target,
            &self.settings.persona,
            &probe.token,
            self.phrases,
            self.http.timeout,
        )
        .await;
        self.record(probe, sent_at, result)
    }

    /// Keeps what sending a form came to.
    fn record(
        &self,
        probe: &Probe,
        sent_at: i64,
        result: Result<submit::Submitted, submit::SubmitError>,
    ) -> Result<(), JournalError> {
        match result {
            Ok(submitted) => {
                let persona = &self.settings.persona;
                let outcome = Outcome {
                    gave_email: submitted.filled.gave_email,
                    gave_phone: submitted.filled.gave_phone,
                    typed: vec![
                        persona.name.clone(),
                        persona.phone.clone(),
                        persona.email_for(&probe.token),
                    ],
                    answer: Some(submitted.answer),
                };
                let detail = outcome
                    .answer
                    .as_ref()
                    .map(|a| match (a.browser, a.status) {
                        (true, 0) => "in a browser: nothing left the page".to_string(),
                        (true, status) => format!("in a browser, HTTP {status}"),
                        (false, status) => format!("HTTP {status}"),
                    });
                let sent_at = submitted.sent_at.unwrap_or(sent_at);
                self.journal
                    .mark_sent(probe.id, sent_at, None, detail.as_deref())?;
                self.journal.record_outcome(
                    probe.id,
                    &serde_json::to_string(&outcome).expect("an outcome serialises"),
                )
            }
            Err(e) => self.journal.mark_failed(probe.id, &e.to_string()),
        }
    }
}
