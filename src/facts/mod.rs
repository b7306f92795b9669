//! Facts about the site that need the network once the inventory is built: whether form
//! actions answer, whether e-mail domains accept mail. Kept apart so the checks stay pure
//! functions of the inventory.

pub mod action;
pub mod mail_domain;
