//! A citizen rating the reply with a number instead of a click. Pure reading of what the person wrote. (The
//! supervisor's verdict on a Legal reply is read in [`super::verdict`].)

/// The rating in a citizen's answer to the survey: the text is a single number from 1 to 5 (optionally with
/// «estrellas», a full stop or an emoji-free «de 5»). Anything longer is a new question, not a rating.
pub fn rating_in(fresh_text: &str) -> Option<u8> {
    let text = fresh_text.trim().to_lowercase();
    let text = text.trim_end_matches(['.', '!', ' ']);
    let core = text
        .strip_suffix("de 5")
        .or_else(|| text.strip_suffix("/5"))
        .unwrap_or(text)
        .trim();
    let core = core
        .strip_suffix("estrellas")
        .or_else(|| core.strip_suffix("estrella"))
        .unwrap_or(core)
        .trim();
    match core {
        "1" | "uno" => Some(1),
        "2" | "dos" => Some(2),
        "3" | "tres" => Some(3),
        "4" | "cuatro" => Some(4),
        "5" | "cinco" => Some(5),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_number_is_a_rating() {
        assert_eq!(rating_in("4"), Some(4));
        assert_eq!(rating_in(" 5 estrellas.\n"), Some(5));
        assert_eq!(rating_in("3 de 5"), Some(3));
        assert_eq!(rating_in("Cuatro"), Some(4));
    }

    #[test]
    fn anything_else_is_not() {
        assert_eq!(rating_in("6"), None);
        assert_eq!(rating_in("0"), None);
        assert_eq!(rating_in("Tengo 2 preguntas más sobre el RNP"), None);
        assert_eq!(rating_in(""), None);
    }
}
