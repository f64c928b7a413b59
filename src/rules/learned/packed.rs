//! A trained model in a binary form that needs no reading of counts and no training: the shipped seeds' models
//! (`seed.bin`, `seed-clases.bin`, written beside their `.txt` by `triaje rules learn … --write-seed`).
//!
//! Every `triaje rules test` used to read the seed's 1.6 MB of counts and train on them (about a quarter of its
//! instructions, and growing with the seed). The packed form is the model exactly as [`LearnedModel::train`]
//! left it — its classes, priors, and each occupied slot of its table with the slot's number — so loading it
//! is copying words into place: the same table to the last bit, whatever the training computed, and the same
//! slots (the words a vote shows are ranked by slot where their weights tie). Nothing in it depends on how the
//! model is trained; `seed.rs`'s test checks the shipped files are what their `.txt` trains to.
//!
//! Layout, every number little-endian (read with `from_le_bytes`, so the same bytes on any machine and no
//! alignment needed): [`MAGIC`]; the number of classes, then each class's length and UTF-8 bytes (`u32`s);
//! each class's log-prior and the messages (`f64`s); the words a slot (`u32`) and the slots (`u64`); the
//! occupied slots (`u64`), their numbers in increasing order (`u32` each), then their words (`u64` each, the
//! key first).

use super::model::LearnedModel;

/// First bytes of the packed form, with its version.
const MAGIC: &[u8; 16] = b"triaje-nb-tabla1";

impl LearnedModel {
    /// The packed form of this model (see the module's documentation).
    pub fn to_packed(&self) -> Vec<u8> {
        let occupied: Vec<usize> = (0..self.table.len() / self.stride)
            .filter(|&s| self.table[s * self.stride] != 0)
            .collect();
        let mut out = Vec::with_capacity(64 + occupied.len() * (4 + 8 * self.stride));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.classes.len() as u32).to_le_bytes());
        for c in &self.classes {
            out.extend_from_slice(&(c.len() as u32).to_le_bytes());
            out.extend_from_slice(c.as_bytes());
        }
        for p in &self.log_prior {
            out.extend_from_slice(&p.to_bits().to_le_bytes());
        }
        out.extend_from_slice(&self.messages.to_bits().to_le_bytes());
        out.extend_from_slice(&(self.stride as u32).to_le_bytes());
        out.extend_from_slice(&((self.table.len() / self.stride) as u64).to_le_bytes());
        out.extend_from_slice(&(occupied.len() as u64).to_le_bytes());
        for &s in &occupied {
            out.extend_from_slice(&(s as u32).to_le_bytes());
        }
        for &s in &occupied {
            for w in &self.table[s * self.stride..(s + 1) * self.stride] {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Reads the packed form; the error says what is wrong with it. Whatever the bytes, it never panics nor
    /// allocates more than they can describe.
    pub fn from_packed(bytes: &[u8]) -> Result<LearnedModel, String> {
        let mut r = Reader { bytes };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("no es un modelo empaquetado de triaje (versión 1)".into());
        }
        let n = r.u32()? as usize;
        let mut classes = Vec::with_capacity(n.min(r.bytes.len() / 4));
        for _ in 0..n {
            let len = r.u32()? as usize;
            let name = std::str::from_utf8(r.take(len)?).map_err(|_| "clase no UTF-8")?;
            classes.push(name.to_string());
        }
        let log_prior = (0..n)
            .map(|_| r.u64().map(f64::from_bits))
            .collect::<Result<Vec<f64>, String>>()?;
        let messages = f64::from_bits(r.u64()?);
        let stride = r.u32()? as usize;
        let slots = usize::try_from(r.u64()?).map_err(|_| "demasiadas casillas")?;
        let occupied = usize::try_from(r.u64()?).map_err(|_| "demasiadas casillas ocupadas")?;
        // At least the words the classes' numbers take ([`LearnedModel`] reads class `c` in word `1 + c / 2`).
        if stride < 1 + n.div_ceil(2) || !slots.is_power_of_two() || occupied > slots {
            return Err(format!(
                "tabla imposible: {n} clases, {stride} palabras por casilla, {slots} casillas, {occupied} ocupadas"
            ));
        }
        let numbers = r.take(occupied.checked_mul(4).ok_or("demasiadas casillas")?)?;
        let words = r.take(
            occupied
                .checked_mul(stride * 8)
                .ok_or("demasiadas casillas")?,
        )?;
        if !r.bytes.is_empty() {
            return Err("sobran bytes al final".into());
        }
        // Only now, once the bytes are known to hold `occupied` slots: `slots` and `stride` alone could ask for any
        // size (a trained table is a quarter to a half full; sixteen times the words read is a wide bound).
        let table_words = slots
            .checked_mul(stride)
            .filter(|&w| w <= (occupied * stride).saturating_mul(16).max(1 << 14))
            .ok_or_else(|| format!("{slots} casillas para {occupied} ocupadas"))?;
        let mut table = vec![0u64; table_words];
        let mut previous: Option<usize> = None;
        for (number, slot_words) in numbers.chunks_exact(4).zip(words.chunks_exact(stride * 8)) {
            let s = u32::from_le_bytes(number.try_into().expect("4 bytes")) as usize;
            if s >= slots || previous.is_some_and(|p| p >= s) {
                return Err(format!("casilla {s} fuera de orden o de la tabla"));
            }
            previous = Some(s);
            let to = &mut table[s * stride..(s + 1) * stride];
            for (t, w) in to.iter_mut().zip(slot_words.chunks_exact(8)) {
                *t = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            }
            if to[0] == 0 {
                return Err(format!("casilla {s} ocupada sin clave"));
            }
        }
        Ok(LearnedModel {
            classes,
            log_prior,
            table,
            stride,
            mask: slots - 1,
            messages,
        })
    }
}

/// Reads the packed form from its start on.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// The next `len` bytes.
    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        if len > self.bytes.len() {
            return Err("el modelo empaquetado está cortado".into());
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{message_features, Counts};
    use super::*;

    /// Everything a model holds, comparable to the last bit.
    fn bits(m: &LearnedModel) -> (Vec<String>, Vec<u64>, Vec<u64>, usize, usize, u64) {
        (
            m.classes.clone(),
            m.log_prior.iter().map(|p| p.to_bits()).collect(),
            m.table.clone(),
            m.stride,
            m.mask,
            m.messages.to_bits(),
        )
    }

    fn model(classes: &[&str]) -> LearnedModel {
        let mut c = Counts::default();
        for (i, class) in classes.iter().enumerate() {
            for t in [
                "renovar inscripcion rnp",
                "carta fianza garantia",
                "clave seace",
            ] {
                let text = format!("{t} {i} {class}");
                c.add(
                    class,
                    &message_features("", 1.0, &text),
                    1.0 + i as f64 / 3.0,
                );
            }
        }
        LearnedModel::train(&c).expect("a model")
    }

    #[test]
    fn a_model_reads_back_from_its_packed_form_to_the_last_bit() {
        // Odd and even numbers of classes: the last word of a slot half used or full.
        for classes in [
            &["RNP", "Legal"][..],
            &["RNP", "Legal", "SEACE"],
            &["a", "b", "c", "d", "ñ"],
        ] {
            let m = model(classes);
            let back = LearnedModel::from_packed(&m.to_packed()).expect("reads back");
            assert_eq!(bits(&back), bits(&m));
            let v = "quiero renovar mi inscripcion con carta fianza";
            assert_eq!(back.vote("", 1.0, v), m.vote("", 1.0, v));
        }
    }

    #[test]
    fn a_damaged_packed_form_is_refused() {
        let packed = model(&["RNP", "Legal", "SEACE"]).to_packed();
        for len in 0..packed.len() {
            assert!(LearnedModel::from_packed(&packed[..len]).is_err(), "{len}");
        }
        let mut longer = packed.clone();
        longer.push(0);
        assert!(LearnedModel::from_packed(&longer).is_err());
        let mut other = packed.clone();
        other[0] = b'T';
        assert!(LearnedModel::from_packed(&other).is_err());
        // A header that asks for a huge table with nothing in it.
        for (stride, slots) in [(u32::MAX, 1u64 << 10), (2, 1 << 40), (2, 1 << 20)] {
            let mut huge = MAGIC.to_vec();
            huge.extend_from_slice(&2u32.to_le_bytes());
            for class in ["a", "b"] {
                huge.extend_from_slice(&1u32.to_le_bytes());
                huge.extend_from_slice(class.as_bytes());
            }
            huge.extend_from_slice(&[0; 24]);
            huge.extend_from_slice(&stride.to_le_bytes());
            huge.extend_from_slice(&slots.to_le_bytes());
            huge.extend_from_slice(&0u64.to_le_bytes());
            assert!(
                LearnedModel::from_packed(&huge).is_err(),
                "{stride} {slots}"
            );
        }
        // Each byte changed in turn: refused or read, never a panic.
        for i in 0..packed.len().min(400) {
            let mut b = packed.clone();
            b[i] ^= 0xa5;
            let _ = LearnedModel::from_packed(&b);
        }
    }
}
