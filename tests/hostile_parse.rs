//! tmp exploration
#[test]
fn explore() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().map(|e| e == "eml").unwrap_or(false)).collect();
    files.sort();
    for p in files {
        let raw = std::fs::read(&p).unwrap();
        let t = std::time::Instant::now();
        let r = triaje::mail::parse(&raw);
        let el = t.elapsed();
        match r {
            Ok(m) => eprintln!("{} [{:?}] subj={:?} from={:?} date={:?} auto={:?} atts={} body({})={:?}", p.file_name().unwrap().to_string_lossy(), el, m.subject.chars().take(60).collect::<String>(), m.from.as_ref().map(|a| (&a.email, &a.name)), m.date, m.auto_submitted, m.attachments.len(), m.body_text.len(), m.fresh_text.chars().take(70).collect::<String>()),
            Err(e) => eprintln!("{} ERR {e}", p.display()),
        }
    }
}
