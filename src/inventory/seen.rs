//! How each point was seen (`--render`): what its page sightings add up to.

use super::{Inventory, PageRef};
use crate::types::contact::Seen;

/// Each point's `seen` from its page sightings (a widget's is kept as it is added).
pub(super) fn summarise_seen(inventory: &mut Inventory) {
    fn of_refs(pages: &[PageRef]) -> Seen {
        Seen::of_all(pages.iter().map(|p| p.seen))
    }
    for p in &mut inventory.phones {
        p.seen = Seen::of_all(p.pages.iter().map(|o| o.seen));
    }
    for e in &mut inventory.emails {
        e.seen = Seen::of_all(e.pages.iter().map(|o| o.seen));
    }
    for m in &mut inventory.messengers {
        m.seen = Seen::of_all(m.pages.iter().map(|o| o.seen));
    }
    for i in &mut inventory.email_images {
        i.seen = of_refs(&i.pages);
    }
    for p in &mut inventory.social_profiles {
        p.seen = of_refs(&p.pages);
    }
    for f in &mut inventory.forms {
        f.seen = of_refs(&f.pages);
    }
    for place in inventory
        .addresses
        .iter_mut()
        .chain(inventory.hours.iter_mut())
    {
        place.seen = of_refs(&place.pages);
    }
}
