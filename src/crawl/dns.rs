//! Name lookups through a chosen DNS server (`--dns-server`) instead of the system's: the
//! same server the mail checks ask, so one flag points the whole audit at one resolver.

use std::net::SocketAddr;
use std::sync::Arc;

use hickory_resolver::config::{NameServerConfigGroup, ResolverConfig};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::{Resolver, ResolverBuilder};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

pub struct ServerResolver {
    resolver: Arc<Resolver<TokioConnectionProvider>>,
}

/// A resolver builder that asks only `server`.
pub fn builder_for(server: SocketAddr) -> ResolverBuilder<TokioConnectionProvider> {
    let config = ResolverConfig::from_parts(
        None,
        Vec::new(),
        NameServerConfigGroup::from_ips_clear(&[server.ip()], server.port(), true),
    );
    Resolver::builder_with_config(config, TokioConnectionProvider::default())
}

impl ServerResolver {
    pub fn new(server: SocketAddr) -> Self {
        Self {
            resolver: Arc::new(builder_for(server).build()),
        }
    }
}

impl Resolve for ServerResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let resolver = self.resolver.clone();
        Box::pin(async move {
            let absolute = format!("{}.", name.as_str().trim_end_matches('.'));
            let found = resolver.lookup_ip(absolute.as_str()).await?;
            let addrs: Addrs = Box::new(
                found
                    .iter()
                    .map(|ip| SocketAddr::new(ip, 0))
                    .collect::<Vec<_>>()
                    .into_iter(),
            );
            Ok(addrs)
        })
    }
}
