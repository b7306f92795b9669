//! A promise of a time: «в течение 15 минут», «перезвоним через 30 секунд», «within 2
//! hours», «сегодня до 18:00». A confirmation without one leaves the customer guessing
//! (PRACTICE.md 22, 24).

use std::sync::LazyLock;

use regex::Regex;

static PROMISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?:в\s+течени[ея]|через|не\s+более|до|за|within|in\s+the\s+next|in|under)\s+
        (?:\d+|одн\w*|дв\w*|тр[её]\w*|пят\w*|десят\w*|пол\w*|нескольк\w*|пар\w*|one|two|three|five|ten|a|an|few|24|48)?\s*
        (?:[-–]\s*\d+\s*)?
        (?:рабоч\w+\s+)?(?:business\s+|working\s+)?
        (?:секунд\w*|минут\w*|час\w*|сут\w*|дн\w*|дня|день|seconds?|minutes?|mins?|hours?|days?)
        |(?:сегодня|завтра|today|tomorrow)(?:\s+до\s+\d{1,2}[:.]\d{2}|\s+by\s+\d{1,2}\s*(?:am|pm)?)?
        |до\s+конца\s+(?:рабочего\s+)?дня|by\s+the\s+end\s+of\s+the\s+(?:business\s+|working\s+)?day
        |в\s+ближайш\w+\s+\d+\s*(?:минут\w*|час\w*)",
    )
    .expect("valid promise pattern")
});

/// The first promise of a time in `text`, as written.
pub fn find(text: &str) -> Option<String> {
    PROMISE
        .find(text)
        .map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn promises_in_russian_and_english() {
        for (text, expected) in [
            ("Спасибо! Перезвоним через 30 секунд.", "через 30 секунд"),
            ("Ответим в течение 2 часов", "в течение 2 часов"),
            (
                "Мы ответим в течение одного рабочего дня.",
                "в течение одного рабочего дня",
            ),
            ("We will reply within 2 hours.", "within 2 hours"),
            (
                "Менеджер свяжется с вами сегодня до 18:00",
                "сегодня до 18:00",
            ),
            (
                "We answer by the end of the business day",
                "by the end of the business day",
            ),
        ] {
            assert_eq!(find(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn vague_words_are_not_a_promise() {
        for text in [
            "Спасибо! Мы свяжемся с вами в ближайшее время.",
            "Thank you, we will get back to you soon.",
            "Ваша заявка принята.",
        ] {
            assert_eq!(find(text), None, "{text}");
        }
    }
}
