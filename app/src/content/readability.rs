//! Flesch reading ease: 206.835 - 1.015 (words / sentences) - 84.6 (syllables / words).
//! 60 or more is plain English; the content guide asks for that.

pub fn flesch_reading_ease(text: &str) -> f64 {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphabetic()))
        .collect();
    if words.is_empty() {
        return 100.0;
    }
    let sentences = text
        .split(['.', '!', '?', '\n'])
        .filter(|s| {
            s.split_whitespace()
                .any(|w| w.chars().any(|c| c.is_alphabetic()))
        })
        .count()
        .max(1);
    let syllables: usize = words.iter().map(|w| syllables(w)).sum();
    let words_n = words.len() as f64;
    206.835 - 1.015 * (words_n / sentences as f64) - 84.6 * (syllables as f64 / words_n)
}

/// Vowel groups, less a silent final 'e'; at least one per word.
fn syllables(word: &str) -> usize {
    let word: String = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let mut count = 0;
    let mut previous_vowel = false;
    for c in word.chars() {
        let vowel = "aeiouy".contains(c);
        if vowel && !previous_vowel {
            count += 1;
        }
        previous_vowel = vowel;
    }
    if word.ends_with('e') && !word.ends_with("le") && count > 1 {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_plain_sentences_score_higher_than_long_latinate_ones() {
        let plain =
            flesch_reading_ease("Tell someone you trust. You are not in trouble. We can help you.");
        let dense = flesch_reading_ease(
            "Organisational safeguarding responsibilities necessitate comprehensive interdisciplinary collaboration notwithstanding jurisdictional considerations.",
        );
        assert!(plain > 80.0, "{plain}");
        assert!(dense < 0.0, "{dense}");
    }

    #[test]
    fn syllables_are_counted_roughly() {
        assert_eq!(syllables("cat"), 1);
        assert_eq!(syllables("online"), 2);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("helpline"), 2);
    }
}
