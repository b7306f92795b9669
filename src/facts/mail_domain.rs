//! Does an e-mail domain accept mail? An MX record says yes; with none, an A or AAAA record
//! still does (RFC 5321 §5.1, the implicit MX); a "null MX" (RFC 7505) or no records at all
//! say no. A resolver that does not answer says nothing: the check is skipped, never turned
//! into a finding.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::{ResolveError, Resolver};

use crate::types::facts::{MailDomain, MailStatus};

/// A resolver for mail checks.
pub struct MailDns {
    resolver: Resolver<TokioConnectionProvider>,
}

impl MailDns {
    /// The system's resolver, or the DNS server at `server` when given.
    ///
    /// # Errors
    /// No resolver can be set up (no `/etc/resolv.conf`, say).
    pub fn new(server: Option<SocketAddr>, timeout: Duration) -> Result<Self, String> {
        let mut builder = match server {
            Some(addr) => crate::crawl::dns::builder_for(addr),
            None => Resolver::builder_tokio().map_err(|e| e.to_string())?,
        };
        let options = builder.options_mut();
        options.timeout = timeout;
        options.attempts = 1;
        Ok(Self {
            resolver: builder.build(),
        })
    }

    /// Looks a domain up.
    pub async fn check(&self, domain: &str) -> MailDomain {
        let unknown = |error: &ResolveError| MailDomain {
            domain: domain.to_string(),
            status: MailStatus::Unknown,
            mx: Vec::new(),
            error: Some(error.to_string()),
        };
        // A trailing dot: the name is absolute, no search domains appended.
        let name = format!("{}.", domain.trim_end_matches('.'));
        match self.resolver.mx_lookup(name.as_str()).await {
            Ok(lookup) => {
                let mut records: Vec<(u16, String)> = lookup
                    .iter()
                    .map(|mx| (mx.preference(), mx.exchange().to_utf8()))
                    .collect();
                records.sort();
                let null_mx = records.len() == 1 && records[0].1.trim_end_matches('.').is_empty();
                MailDomain {
                    domain: domain.to_string(),
                    status: if null_mx || records.is_empty() {
                        MailStatus::NoMail
                    } else {
                        MailStatus::AcceptsMail
                    },
                    mx: records.into_iter().map(|(_, host)| host).collect(),
                    error: None,
                }
            }
            Err(e) if e.is_no_records_found() => match self.resolver.lookup_ip(name.as_str()).await
            {
                Ok(ips) if ips.iter().next().is_some() => MailDomain {
                    domain: domain.to_string(),
                    status: MailStatus::AcceptsMail,
                    mx: Vec::new(),
                    error: None,
                },
                Ok(_) => MailDomain {
                    domain: domain.to_string(),
                    status: MailStatus::NoMail,
                    mx: Vec::new(),
                    error: None,
                },
                Err(e) if e.is_no_records_found() => MailDomain {
                    domain: domain.to_string(),
                    status: MailStatus::NoMail,
                    mx: Vec::new(),
                    error: None,
                },
                Err(e) => unknown(&e),
            },
            Err(e) => unknown(&e),
        }
    }
}
