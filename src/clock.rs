//! Wall-clock time as the journal and the mailbox speak it: seconds since the Unix epoch,
//! and civil dates for IMAP searches and form fields.

/// Now, in seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The UTC calendar date of `secs` as (year, month 1–12, day 1–31), by Howard Hinnant's
/// days-to-civil algorithm.
pub fn civil_date(secs: i64) -> (i64, u32, u32) {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// `2026-11-22`.
pub fn iso_date(secs: i64) -> String {
    let (y, m, d) = civil_date(secs);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2026-11-22T20:00:00Z`: when a report was made.
pub fn iso_datetime(secs: i64) -> String {
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        iso_date(secs),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// `22-Nov-2026`, as IMAP's SEARCH SINCE wants it.
pub fn imap_date(secs: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d) = civil_date(secs);
    format!("{d}-{}-{y}", MONTHS[(m as usize).saturating_sub(1).min(11)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso_date(0), "1970-01-01");
        // 2026-11-22 20:00:00 UTC
        assert_eq!(iso_date(1_795_377_600), "2026-11-22");
        assert_eq!(imap_date(1_795_377_600), "22-Nov-2026");
        assert_eq!(iso_datetime(1_795_377_600 + 3_723), "2026-11-22T21:02:03Z");
        assert_eq!(iso_date(951_782_400), "2000-02-29");
    }
}
